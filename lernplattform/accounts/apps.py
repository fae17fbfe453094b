from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lernplattform.accounts"
    label = "accounts"
    verbose_name = _("Konten und Organisationen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .kinds import register_account_kinds

        register_account_kinds()

        from . import roles_cache  # noqa: F401  (receivers that refresh the cached roles)
        from .ratelimit import login_failure_record

        user_login_failed.connect(login_failure_record, dispatch_uid="accounts.login_failure_record")
