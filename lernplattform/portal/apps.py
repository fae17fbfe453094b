from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lernplattform.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Signal receivers that forget cached sites and footer links.
        from . import routing  # noqa: F401
        from .templatetags import portal_tags  # noqa: F401
