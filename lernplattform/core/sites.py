"""The Wagtail site of a request from the Django cache instead of a query.

Wagtail looks the site up once per request (``Site.find_for_request``, one query) whenever a page
URL is built or a page is served, and keeps it on the request as ``request._wagtail_site``. The
site for a host and port is cached here, forgotten whenever a site is saved or deleted or a
site's root page changes (portal.routing). Views that build page URLs outside Wagtail's page view
(the dashboard, the API) call `site_remember_on_request` just before; nothing sets it for every
request, so requests that build no page URL pay nothing (a cache miss costs two queries where
Wagtail's own look-up costs one).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Page, Site

SITE_KEY = "portal:site:{host}:{port}"
SITES_VERSION_KEY = "portal:sites-version"


def _sites_version() -> int:
    version = cache.get(SITES_VERSION_KEY)
    if version is None:
        cache.add(SITES_VERSION_KEY, 1, None)
        version = cache.get(SITES_VERSION_KEY, 1)
    return int(version)


def _site_key(request: HttpRequest) -> str:
    host = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
    # Host headers are the client's: encode them so any byte is a valid cache key.
    encoded = urlsafe_base64_encode(host.lower().encode())[:200]
    return f"{SITE_KEY.format(host=encoded, port=request.get_port())}:{_sites_version()}"


def site_for_request(request: HttpRequest) -> tuple[Site, str] | None:
    """The Wagtail site serving the request and its root page's url_path (cached)."""
    key = _site_key(request)
    entry: tuple[Site, str] | None = cache.get(key)
    if entry is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        root_url_path = Page.objects.filter(pk=site.root_page_id).values_list("url_path", flat=True).first()
        if root_url_path is None:
            return None
        entry = (site, root_url_path)
        cache.set(key, entry, None)
    return entry


def site_remember_on_request(request: HttpRequest) -> None:
    """Give Wagtail the request's site from the cache before page URLs are built (no query when warm)."""
    if hasattr(request, "_wagtail_site"):
        return
    found = site_for_request(request)
    request._wagtail_site = found[0] if found else None  # type: ignore[attr-defined]


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def sites_forget(**kwargs: Any) -> None:
    """Forget every cached site (a site changed, or a site's root page did)."""
    try:
        cache.incr(SITES_VERSION_KEY)
    except ValueError:
        cache.set(SITES_VERSION_KEY, 2, None)
