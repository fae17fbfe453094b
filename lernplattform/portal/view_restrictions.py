"""Wagtail's view-restriction check on page views, answered from a cached list when nothing applies.

Wagtail's `on_serve_page` hook (`wagtail.wagtail_hooks.check_view_restrictions`) asks the database
on every page view: the page's ancestors (to resolve aliases), then the restrictions on any of them –
two queries, although almost no page of the platform is restricted. Here the paths and ids of the
pages that carry a restriction, and the aliases with their sources, are kept in the Django cache. A
page view whose path has no restriction on it is served without a query; any other goes to
Wagtail's own check unchanged, which decides and answers as always (login redirect for "logged in"
and "groups", the password form), so the rules stay Wagtail's and only the "nothing applies" answer
is ours.

The list is recomputed when a restriction is saved or deleted, and when a page is moved, deleted or
saved as an alias (paths and aliases change what applies where). It is dropped at once and set
afresh after the commit: a request that read the old rows just before the commit uses `add`, which
never overwrites the fresh list (a delete alone would let it put the old list back).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

CACHE_KEY = "portal:view-restrictions"
# A backstop only: every change that matters recomputes the list at once.
CACHE_SECONDS = 3600

# (paths of restricted pages, ids of restricted pages, {alias path: id of its source page})
Restrictions = tuple[frozenset[str], frozenset[int], dict[str, int]]


def _restrictions_load() -> Restrictions:
    rows = list(PageViewRestriction.objects.values_list("page__path", "page_id"))
    aliases = dict(Page.objects.filter(alias_of__isnull=False).values_list("path", "alias_of_id"))
    return frozenset(path for path, _ in rows), frozenset(pk for _, pk in rows), aliases


def view_restrictions_cached() -> Restrictions:
    """The site's restricted pages and aliases (one cache read; two queries when cold)."""
    found: Restrictions | None = cache.get(CACHE_KEY)
    if found is None:
        found = _restrictions_load()
        cache.add(CACHE_KEY, found, CACHE_SECONDS)
    return found


def page_may_be_restricted(page: Page) -> bool:
    """Whether a view restriction may apply to the page: on it, an ancestor, or an alias's source.

    False means none applies (Wagtail would find none); True hands the decision to Wagtail.
    """
    paths, page_ids, aliases = view_restrictions_cached()
    if not paths:
        return False
    if page.alias_of_id is not None:
        return True  # Wagtail resolves the source; rare enough to let it ask
    for depth in range(1, page.depth + 1):
        prefix = page.path[: depth * Page.steplen]
        source_id = aliases.get(prefix)
        if prefix in paths or (source_id is not None and source_id in page_ids):
            return True
    return False


def check_view_restrictions(callback):
    """`on_serve_page`: serve at once where no restriction applies, else Wagtail's own check."""
    from wagtail.wagtail_hooks import check_view_restrictions as wagtail_check_view_restrictions

    wagtail_check = wagtail_check_view_restrictions(callback)

    def inner(page, request, serve_args, serve_kwargs):
        if page_may_be_restricted(page):
            return wagtail_check(page, request, serve_args, serve_kwargs)
        return callback(page, request, serve_args, serve_kwargs)

    return inner


def view_restrictions_install() -> None:
    """Put our check in the place of Wagtail's `on_serve_page` hook (idempotent).

    Called when the middleware loads (WagtailLookupCacheMiddleware), after Django's setup; without
    the middleware Wagtail's check runs alone – slower, never less strict. Wagtail's hook modules
    are searched first, in their usual order (importing `wagtail.wagtail_hooks` earlier would put
    Wagtail's own hooks ahead of the other apps').
    """
    from wagtail.wagtail_hooks import check_view_restrictions as wagtail_check_view_restrictions

    hooks.search_for_hooks()
    registered = hooks._hooks.get("on_serve_page", [])  # Wagtail has no public way to drop a hook
    if any(fn is check_view_restrictions for fn, _order in registered):
        return
    for index, (fn, order) in enumerate(registered):
        if fn is wagtail_check_view_restrictions:
            registered[index] = (check_view_restrictions, order)
            return
    hooks.register("on_serve_page", check_view_restrictions)


def view_restrictions_refresh() -> None:
    """Drop the cached list now and set it afresh after the commit."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.set(CACHE_KEY, _restrictions_load(), CACHE_SECONDS))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _refresh_on_restriction_change(sender: Any, **kwargs: Any) -> None:
    view_restrictions_refresh()


@receiver(post_page_move)
def _refresh_on_move(sender: Any, **kwargs: Any) -> None:
    view_restrictions_refresh()


@receiver(post_delete)
def _refresh_on_page_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        view_restrictions_refresh()


@receiver(post_save)
def _refresh_on_alias_save(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if isinstance(instance, Page) and created and instance.alias_of_id is not None:
        view_restrictions_refresh()
