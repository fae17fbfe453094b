"""Site and page look-ups for Wagtail's page view, from the cache instead of a walk down the tree.

Wagtail resolves every page request by finding the site (one query) and walking from the site's
root page down, one child query and one specific-page query per level: eight queries before a
lesson at depth five renders anything. Wagtail caches both results on the request
(``request._wagtail_site``, ``request._wagtail_route_for_request``) and uses what it finds there;
`WagtailLookupCacheMiddleware` fills them before the view runs:

- the site for a host and port comes from the Django cache (lernplattform/core/sites.py),
  forgotten whenever a site is saved or deleted (as Wagtail does with its own site root paths);
- a page URL maps to the page's id and type. The entry checks itself: the page is loaded by id
  (one query) and only used if it is still at that URL; Wagtail's `route` then decides as always
  (live or 404, sub-routes of routable pages). A moved, renamed or deleted page therefore falls
  back to Wagtail's own walk, and publishing never needs to reach the entry.

View restrictions are Wagtail's rules, answered from a cached list where none applies
(lernplattform/portal/view_restrictions.py, installed by this middleware); everything after
routing stays Wagtail's (``before_serve_page`` hooks).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.signals import page_published, post_page_move

from lernplattform.core.sites import site_for_request, sites_forget

from .view_restrictions import view_restrictions_install

ROUTE_KEY = "portal:route:{root}:{language}:{path}"


@receiver(page_published)
@receiver(post_page_move)
def _forget_sites_when_a_root_changes(sender: Any, instance: Page, **kwargs: Any) -> None:
    # A site's root page renamed or moved changes every URL below it.
    if instance.depth <= 2:
        sites_forget()


def _route_key(root_page_id: int, path: str) -> str:
    encoded = urlsafe_base64_encode(path.encode())[:400]
    return ROUTE_KEY.format(root=root_page_id, language=get_language() or "", path=encoded)


def _expected_url_path(root_url_path: str, path: str) -> str:
    components = [c for c in path.split("/") if c]
    return root_url_path + "".join(f"{c}/" for c in components)


def _page_at(entry: tuple[int, int], url_path: str) -> Page | None:
    page_id, content_type_id = entry
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    page = model._default_manager.filter(pk=page_id).first()
    if page is None or page.url_path != url_path:
        return None  # deleted, moved or renamed since: Wagtail walks the tree
    return page


class WagtailLookupCacheMiddleware:
    """Fills Wagtail's per-request site and route caches from the Django cache for page views."""

    def __init__(self, get_response):
        self.get_response = get_response
        view_restrictions_install()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 200:
            self._remember_route(request)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is not wagtail_views.serve:
            return None
        found = site_for_request(request)
        request._wagtail_site = found[0] if found else None  # type: ignore[attr-defined]
        if found is None:
            return None
        site, root_url_path = found
        path = view_kwargs.get("path", view_args[0] if view_args else "")  # Wagtail's pattern is positional
        url_path = _expected_url_path(root_url_path, path)
        key = _route_key(site.root_page_id, url_path)
        entry = cache.get(key)
        page = _page_at(entry, url_path) if entry else None
        if page is None:
            request._lernplattform_route_key = (key, url_path)  # type: ignore[attr-defined]
            return None
        try:
            request._wagtail_route_for_request = page.route(request, [])  # type: ignore[attr-defined]
        except Http404:
            request._wagtail_route_for_request = None  # type: ignore[attr-defined]
        return None

    @staticmethod
    def _remember_route(request: HttpRequest) -> None:
        pending = getattr(request, "_lernplattform_route_key", None)
        route = getattr(request, "_wagtail_route_for_request", None)
        if pending is None or route is None:
            return
        key, url_path = pending
        page = route[0]
        if page.url_path == url_path:  # the URL named the page itself, not a sub-route below it
            cache.set(key, (page.pk, page.content_type_id), None)
