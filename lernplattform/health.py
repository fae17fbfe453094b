"""/healthz: is the database reachable, and the Celery broker? JSON, 200 when all is well, else 503.

Load balancers and docker compose poll it, so it stays cheap and never renders templates.
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "down"; the type tells the operator why
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    from lernplattform.celery import app

    if app.conf.task_always_eager:
        # No broker configured: tasks run in the web process, nothing to reach.
        return {"ok": True, "mode": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": type(error).__name__}
    return {"ok": True, "mode": "broker", "transport": conn.transport_cls}


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_state(), "broker": broker_state()}
    healthy = all(check["ok"] for check in checks.values())
    # Only the state of the checks: no debug flag, versions or settings for whoever can reach it (issue 10).
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect.

    Container health checks call http://localhost:8000/healthz from inside, where neither the
    public host name nor TLS applies; every other request goes the normal way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method == "GET":
            return healthz(request)
        return self.get_response(request)
