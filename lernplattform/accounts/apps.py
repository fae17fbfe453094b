from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lernplattform.accounts"
    label = "accounts"
    verbose_name = _("Konten und Organisationen")
    default_auto_field = "django.db.models.BigAutoField"
