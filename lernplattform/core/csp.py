"""Content-Security-Policy for our pages (django-csp), with a measured, looser policy for the admin.

Our own pages load scripts and styles only from files of our origin and from tags carrying the
per-request nonce (``{{ request.csp_nonce }}``); nothing inline, no ``eval``, no foreign origin
(DESIGN.md: no personal data leaves the platform). The settings hold the policy
(``CONTENT_SECURITY_POLICY``); this middleware only swaps in ``CONTENT_SECURITY_POLICY_ADMIN``
for the Wagtail and Django admin, whose templates and bundles need inline styles and
``'unsafe-inline'`` scripts (measured in Chromium, see docs/security.md). The admin is reached
only by signed-in staff and still allows no foreign origin, no plugins, no framing by others.

Responses that set their own policy (the sandboxed H5P player and files, /media/) keep it.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIXES)


class LernplattformCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if not report_only and parts.config is None and admin_policy and is_admin_path(request.path_info):
            parts.config = default_config(admin_policy["DIRECTIVES"])
        return parts
