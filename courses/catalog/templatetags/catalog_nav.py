"""Where the catalogue lives, for the site navigation on every page."""

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.catalog.models import ActivityPage, CatalogPage, CoursePage, Topic
from courses.catalog.selectors import (
    SEARCH_VOCABULARY_CACHE_KEY,
    TOPICS_CACHE_KEY,
    outline_generation_bump,
    outline_site_generation_bump,
)

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


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def _forget_topics(sender, **kwargs) -> None:
    cache.delete(TOPICS_CACHE_KEY)


def _forget_outlines_of(page, *, revision_id: int | None = None, parent_path: str | None = None) -> None:
    """A course or one of its activities changed: its course's outline is computed anew."""
    specific_class = page.specific_class
    if specific_class is not None and issubclass(specific_class, CoursePage):
        outline_generation_bump(path=page.path, revision_id=revision_id)
    elif specific_class is not None and issubclass(specific_class, ActivityPage):
        outline_generation_bump(path=parent_path or page.path[: -page.steplen], revision_id=revision_id)
    else:
        outline_site_generation_bump()  # a page above the courses: their URLs may have changed


@receiver(page_published)
def _forget_outline_on_publish(sender, instance, revision=None, **kwargs) -> None:
    _forget_outlines_of(instance, revision_id=revision.pk if revision is not None else None)


@receiver(page_unpublished)
def _forget_outline_on_unpublish(sender, instance, **kwargs) -> None:
    _forget_outlines_of(instance)


@receiver(post_page_move)
def _forget_outline_on_move(sender, instance, parent_page_before=None, **kwargs) -> None:
    _forget_outlines_of(instance)
    if parent_page_before is not None:
        outline_generation_bump(path=parent_page_before.path)  # the course it left


@receiver(post_delete)
def _forget_outline_on_delete(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        _forget_outlines_of(instance)
