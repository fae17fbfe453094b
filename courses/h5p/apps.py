from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5pConfig(AppConfig):
    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P-Inhalte")
