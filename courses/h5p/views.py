"""Public H5P views: the sandboxed player page and the H5P files it loads.

Everything served here may run a package's JavaScript, so every response carries
``Content-Security-Policy: sandbox allow-scripts``: the browser gives the document
an opaque origin, so a script in it can neither read our cookies nor call our API
with the learner's session - whether it runs in the player iframe or someone
opens the file directly.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from wagtail.models import Page

from . import storage
from .models import H5PContent
from .selectors import (
    h5p_content_is_live,
    h5p_content_origin,
    h5p_player_frame_config,
    h5p_preview_token,
    h5p_preview_token_valid,
    h5p_user_may_preview,
)

SANDBOX = "sandbox allow-scripts"
TEXT_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml"}


def _site_origins() -> str:
    origins = ["'self'"]
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if base.scheme and base.netloc:
        origins.append(f"{base.scheme}://{base.netloc}")
    origins.extend(getattr(settings, "H5P_FRAME_ANCESTORS", []))
    return " ".join(dict.fromkeys(origins))


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def frame_policy(request: HttpRequest) -> str:
    """The player frame's policy: run the package, but let it reach no host but the content origin.

    The sandbox already keeps the package away from our cookies and API; this keeps a learner's
    typed answers from being sent anywhere else (fetch, beacons, images, fonts, forms, frames).
    Package code itself comes from our own store, so scripts are limited to files of that origin.
    """
    origin = h5p_content_origin() or f"{request.scheme}://{request.get_host()}"
    sources = " ".join(dict.fromkeys(filter(None, [origin, _origin_of(settings.STATIC_URL)])))
    return "; ".join(
        [
            SANDBOX,
            "default-src 'none'",
            f"script-src {sources}",
            # H5P content types set inline styles everywhere (positions, sizes, colours).
            f"style-src {sources} 'unsafe-inline'",
            f"img-src {sources} data: blob:",
            f"media-src {sources} data: blob:",
            f"font-src {sources} data:",
            f"connect-src {origin}",
            "form-action 'none'",
            "base-uri 'none'",
            f"frame-ancestors {_site_origins()}",
        ]
    )


def sandbox_headers(response: HttpResponse, *, policy: str = SANDBOX) -> HttpResponse:
    response["Content-Security-Policy"] = policy
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    # The sandboxed player has an opaque origin ("null"): its fetch() of h5p.json and
    # library.json is a cross-origin request. Files are public and carry no cookies.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _preview_allowed(request: HttpRequest, content_id: int, token: str) -> bool:
    return bool(token) and h5p_preview_token_valid(token=token, content_id=content_id)


@require_safe
@xframe_options_exempt
def player_frame(request: HttpRequest, content_id: int) -> HttpResponse:
    """The page inside the sandboxed iframe; it only talks to its parent by postMessage.

    Items on a live page play for everyone; others only with a preview token (handed to editors
    by the parent page) or for a signed-in editor opening the frame directly.
    """
    content = get_object_or_404(H5PContent, pk=content_id)
    token = request.GET.get("vorschau", "")
    preview = None
    if not h5p_content_is_live(content_id=content.pk):
        if _preview_allowed(request, content.pk, token):
            preview = token
        elif h5p_user_may_preview(user=request.user):
            preview = h5p_preview_token(content_id=content.pk)
        else:
            raise Http404
    config = {
        **h5p_player_frame_config(content=content, preview_token=preview),
        "frameJs": static("h5p-standalone/frame.bundle.js"),
        "frameCss": static("h5p-standalone/styles/h5p.css"),
    }
    response = render(request, "h5p/player_frame.html", {"content": content, "frame_config": config})
    response["Cache-Control"] = "no-store"
    return sandbox_headers(response, policy=frame_policy(request))


@require_safe
@xframe_options_exempt
def h5p_file(request: HttpRequest, path: str, token: str = "") -> HttpResponse:
    """Libraries are shared code and public; an item's files only if a live page plays it, or by token."""
    root = storage.h5p_root().resolve()
    parts = Path(path).parts
    if not parts or parts[0] not in {"content", "libraries"} or any(p.startswith(".") for p in parts):
        raise Http404
    if token and parts[0] != "content":
        raise Http404
    cache_control = "public, max-age=300"
    if parts[0] == "content":
        if len(parts) < 2 or not parts[1].isdigit():
            raise Http404
        content_id = int(parts[1])
        if token:
            if not _preview_allowed(request, content_id, token):
                raise Http404
            cache_control = "private, no-store"
        elif not h5p_content_is_live(content_id=content_id):
            raise Http404
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404
    content_type = TEXT_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
    response = FileResponse(target.open("rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = cache_control
    return sandbox_headers(response)


def activity_iri(request: HttpRequest, page_id: int, content_id: int) -> HttpResponse:
    """xAPI object ids point here; resolve them to the page that plays the item."""
    page = get_object_or_404(Page, pk=page_id, live=True)
    return HttpResponseRedirect(page.url or "/")
