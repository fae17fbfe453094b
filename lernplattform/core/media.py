"""Django's own serving of user uploads (MEDIA_URL), caged so that no upload runs script on our origin.

Trainers upload images, documents, captions and H5P packages; any of them may be hostile (an SVG or
HTML file with script, an HTML file named .png). Every response therefore carries
``Content-Security-Policy: sandbox; default-src 'none'`` (opened directly, the file gets an opaque
origin and may load nothing) and ``nosniff`` (the browser keeps the type we send); only raster
images are shown inline, everything else is a download. Embedding in our pages (<img>, <video>,
<track>) is unaffected: these headers only act when a file is opened as a document.

A reverse proxy that serves /media/ itself must send the same headers (docs/security.md).
H5P files are not served here but by courses.h5p.views (they need their own rules).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

MEDIA_POLICY = "sandbox; default-src 'none'"
INLINE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def media_headers(response: HttpResponseBase, *, filename: str) -> HttpResponseBase:
    suffix = Path(filename).suffix.lower()
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    if suffix in INLINE_TYPES:
        response["Content-Type"] = INLINE_TYPES[suffix]
        if "Content-Disposition" in response:
            del response["Content-Disposition"]
    else:
        response["Content-Disposition"] = "attachment"
        guessed = mimetypes.guess_type(filename)[0]
        # Never a type the browser would render as a document of ours.
        if guessed in (None, "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"):
            response["Content-Type"] = "application/octet-stream"
    return response


@require_safe
def media_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    if not getattr(settings, "SERVE_MEDIA", False):
        raise Http404
    try:
        response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except SuspiciousFileOperation as exc:
        raise Http404 from exc
    return media_headers(response, filename=path)
