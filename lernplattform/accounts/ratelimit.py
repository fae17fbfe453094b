"""Counting requests per client address and per e-mail address, to slow down abuse (issue 10).

Fixed windows in the cache (Redis in production, so every web process shares the counts).
Keys are hashed: neither addresses nor IPs are stored in clear in the cache. What a limit
protects and its size are in settings (``RATE_LIMITS``); ``docs/security.md`` lists them.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lernplattform.core.errors import RateLimited


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies what the outermost appended.

    django-axes uses this too (AXES_CLIENT_IP_CALLABLE), so lockouts and rate limits agree.
    Entries left of the trusted ones are whatever the client sent, and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def _key(bucket: str, subject: str, window: int) -> str:
    digest = hashlib.sha256(f"{bucket}:{subject}".encode()).hexdigest()[:32]
    return f"ratelimit:{bucket}:{digest}:{int(time.time() // window)}"


def rate_count(*, bucket: str, subject: str, window: int) -> int:
    """How many events this window has counted so far."""
    return int(cache.get(_key(bucket, subject, window), 0))


def rate_hit(*, bucket: str, subject: str, window: int) -> int:
    """Count one event and return the count of this window, this one included."""
    key = _key(bucket, subject, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def rate_limit_check(*, action: str, request: HttpRequest, address: str = "") -> None:
    """Count one ``action`` for the client IP (and the e-mail address, if given); raise when over a limit.

    Every attempt counts, allowed or not, so that hammering does not reset the window.
    """
    limits = settings.RATE_LIMITS[action]
    window = int(limits["window"])
    over = rate_hit(bucket=f"{action}:ip", subject=client_ip(request), window=window) > limits["per_ip"]
    if address:
        per_address = rate_hit(bucket=f"{action}:address", subject=address.strip().lower(), window=window)
        over = over or per_address > limits["per_address"]
    if over:
        minutes = max(1, window // 60)
        raise RateLimited(
            f"ratelimit.{action}",
            _("Zu viele Anfragen in kurzer Zeit. Bitte versuchen Sie es in %(minutes)d Minuten erneut.")
            % {"minutes": minutes},
        )


def _login_window() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def login_failure_count(*, request: HttpRequest) -> int:
    return rate_count(bucket="login_failure:ip", subject=client_ip(request), window=_login_window())


def login_failure_record(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver: one more failure for the client's address, whichever account."""
    if request is not None:
        rate_hit(bucket="login_failure:ip", subject=client_ip(request), window=_login_window())


class ClientAddressLockoutBackend:
    """Refuses every login from an address with too many recent failures, over all accounts.

    django-axes locks a user+address pair; this adds the per-address limit. Like axes it
    raises PermissionDenied, which stops Django's backend chain; the login view shows the
    lockout page (429) when it finds ``request.login_address_locked``. No ``get_user``: it
    never logs anyone in, and sessions must name the backend that did.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and login_failure_count(request=request) >= settings.LOGIN_FAILURES_PER_IP:
            request.login_address_locked = True
            raise PermissionDenied
        return None
