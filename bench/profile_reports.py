#!/usr/bin/env python3
"""Where the time of a report request goes, in process (Django test client, no HTTP, no gunicorn).

For the Gemeinde dashboard, the Kreis dashboard and the Kreis people list page (the same URLs as
bench/reports.py, as the same admins of the generated data) it prints per request: the wall time
(p50), the time spent in SQL (p50, measured around each cursor execute on the client side, so it
includes the round trip) and the number of queries, then each query of one request with its time,
and with --profile the functions that took the most cumulative time (cProfile over --repeat requests).

Needs DATABASE_URL (the scale database). Usage, on the database bench/run_reports.sh uses:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_reports_scale .venv/bin/python bench/profile_reports.py
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "scale.lernplattform.example"


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")
    for name, value in (
        ("DEBUG", "False"),
        ("SECRET_KEY", "bench-reports-not-secret"),
        ("ALLOWED_HOSTS", "testserver,127.0.0.1"),
        ("SECURE_SSL_REDIRECT", "False"),
        ("SESSION_COOKIE_SECURE", "False"),
        ("CSRF_COOKIE_SECURE", "False"),
        ("CONN_MAX_AGE", "60"),
        ("LOG_LEVEL", "WARNING"),
    ):
        os.environ.setdefault(name, value)
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


class QueryTimer:
    """An execute wrapper: the SQL text and time of every query of a request."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def measure(client, url: str, *, warmup: int, repeat: int, profile: bool) -> dict:
    from django.db import connection

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    walls, sqls, counts = [], [], []
    last = QueryTimer()
    profiler = cProfile.Profile() if profile else None
    for _ in range(repeat):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
            if profiler:
                profiler.disable()
        assert response.status_code == 200, (url, response.status_code)
        sqls.append(sum(ms for ms, _sql in timer.queries))
        counts.append(len(timer.queries))
        last = timer
    result = {
        "url": url,
        "wall_p50_ms": round(statistics.median(walls), 1),
        "sql_p50_ms": round(statistics.median(sqls), 1),
        "queries": counts[-1],
        "last": last.queries,
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        result["profile"] = out.getvalue()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    parser.add_argument("--only", choices=["gemeinde", "kreis", "people"], action="append")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.test import Client

    from lernplattform.accounts.models import Membership, User

    def admin_of(who: str):
        user = User.objects.get(email=f"{who}@{DOMAIN}")
        membership = Membership.objects.get(user=user)
        client = Client()
        # Axes records logins with the client's address; the test client's login request has none.
        settings.AXES_ENABLED = False
        try:
            client.force_login(user)
        finally:
            settings.AXES_ENABLED = True
        return client, membership.organisation_id

    kreis_client, kreis_id = admin_of("kreis")
    gemeinde_client, gemeinde_id = admin_of("gemeinde")
    cases = {
        "gemeinde": (gemeinde_client, f"/api/v1/reports/organisations/{gemeinde_id}/"),
        "kreis": (kreis_client, f"/api/v1/reports/organisations/{kreis_id}/"),
        "people": (kreis_client, f"/api/v1/reports/organisations/{kreis_id}/people/?seite=2&sortierung=name"),
    }
    for name in args.only or list(cases):
        client, url = cases[name]
        result = measure(client, url, warmup=args.warmup, repeat=args.repeat, profile=args.profile)
        print(
            f"== {name}: {url}\n   wall p50 {result['wall_p50_ms']} ms, SQL p50 {result['sql_p50_ms']} ms, "
            f"{result['queries']} queries"
        )
        for ms, sql in result["last"]:
            print(f"   {ms:7.2f} ms  {' '.join(sql.split())[:150]}")
        if args.profile:
            print(result["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
