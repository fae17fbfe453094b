from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lernplattform.reports"
    label = "reports"
    verbose_name = _("Auswertungen")

    def ready(self) -> None:
        from .kinds import register_report_kinds

        register_report_kinds()
