from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_permissions(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from .services import h5p_permissions_setup

    # Our receiver may run before auth's (app order), so make sure our permissions exist.
    create_permissions(sender, verbosity=0, using=using)
    h5p_permissions_setup()


class H5pConfig(AppConfig):
    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P-Inhalte")

    def ready(self) -> None:
        # Role groups are derived, never edited by hand: give them their H5P rights after
        # every migrate, once the permissions exist.
        post_migrate.connect(_setup_permissions, sender=self, dispatch_uid="h5p_permissions_setup")
