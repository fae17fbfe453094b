from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "courses.progress"
    label = "progress"
    verbose_name = _("Lernfortschritt")

    def ready(self) -> None:
        from lernplattform.accounts.hooks import membership_changed_subscribe

        from . import notify
        from .rule_services import membership_changed_receiver

        notify.register_kinds()
        membership_changed_subscribe(membership_changed_receiver)
