"""Where the catalogue lives, for the site navigation on every page."""

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.catalog.models import CatalogPage
from courses.catalog.selectors import SEARCH_VOCABULARY_CACHE_KEY

register = template.Library()

CACHE_KEY = "catalog:nav-url"
# Editors rarely move the catalogue; a stale link in another worker lives at most this long.
CACHE_SECONDS = 300


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The URL of the live course catalogue, or an empty string while there is none.

    Editors may move or rename the catalogue page, so its URL is looked up, but cached: every
    page shows it, and hot pages keep their bounded query counts.
    """
    url = cache.get(CACHE_KEY)
    if url is None:
        page = CatalogPage.objects.live().order_by("path").first()
        url = (page.get_url(request=context.get("request")) or "") if page else ""
        cache.set(CACHE_KEY, url, CACHE_SECONDS)
    return url


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=CatalogPage)
def _forget_catalog_url(sender, instance, **kwargs) -> None:
    if isinstance(instance.specific_deferred, CatalogPage):
        cache.delete(CACHE_KEY)
    # Titles and summaries of published pages are the words a search typo is corrected to.
    cache.delete(SEARCH_VOCABULARY_CACHE_KEY)
