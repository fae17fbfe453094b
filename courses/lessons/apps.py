from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "courses.lessons"
    label = "lessons"
    verbose_name = _("Lektionen")

    def ready(self):
        from .content_cache import connect_receivers

        connect_receivers()
