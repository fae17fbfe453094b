from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "courses.catalog"
    label = "catalog"
    verbose_name = _("Kurskatalog")

    def ready(self) -> None:
        # Connects the navigation's cache invalidation before any page is published.
        from .templatetags import catalog_nav  # noqa: F401
