from typing import Any

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lernplattform.portal.models import FOOTER_PAGE_TYPES

register = template.Library()

# The footer's legal links, shown on every page; forgotten whenever a page is published,
# unpublished, moved or deleted (the cache is shared by all workers with CACHE_URL).
FOOTER_LINKS_CACHE_KEY = "portal:footer-links"


def _footer_links(request) -> list[dict[str, str]]:
    links = cache.get(FOOTER_LINKS_CACHE_KEY)
    if links is None:
        pages = {page.specific_class: page for page in Page.objects.live().type(*FOOTER_PAGE_TYPES).order_by("path")}
        links = []
        for page_type in FOOTER_PAGE_TYPES:
            page = pages.get(page_type)
            if page is not None:
                links.append({"title": page.title, "url": page.get_url(request), "type": page_type.__name__})
        cache.set(FOOTER_LINKS_CACHE_KEY, links, None)
    return links


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def portal_footer_links(context):
    """Links to the legal pages that exist and are live, in a fixed order (one query, then cached)."""
    request = context.get("request")
    return {"links": _footer_links(request), "request": request}


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete)
def _forget_footer_links(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        cache.delete(FOOTER_LINKS_CACHE_KEY)
