"""CPU per request, in process, for the learner pages of issue 18 (no HTTP server, no wrk).

Production settings (lernplattform.settings.base, DEBUG off) on a seeded PostgreSQL database with
the Redis cache, a `django.test.Client` logged in as the demo learner (the session
bench/page_setup.py builds), WARMUP requests per page, then N requests measured with
`time.process_time()` (CPU of this process only, so other processes on the machine disturb it
little). ROUNDS interleave the pages (A B A B ...) and the per-page figure is the lowest round
(the least disturbed), with all rounds printed.

Usage (the database is seeded once with `manage.py migrate` and `manage.py seed_demo`; see
docs/performance.md, "CPU per request"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_perf_bench CACHE_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/cpu_per_request.py [--pages lesson course] [-n 200] [--warmup 20]
        [--rounds 3] [--profile lesson] [--top 30]

It refuses a database whose name does not look like lp_..._bench (it writes page views there).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lp_perf_bench")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("CACHE_KEY_PREFIX", "cpubench")
os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-cpu-per-request-benchmark-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "lp_cpu_bench" / "static"))  # collected once
os.environ.pop("CELERY_BROKER_URL", None)  # page views enqueue nothing

PAGES = ("lesson", "course", "catalogue", "dashboard", "progress_api", "home_anonymous")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", default=["lesson", "course"], choices=PAGES)
    parser.add_argument("-n", type=int, default=200, help="measured requests per page and round")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=PAGES, help="also profile this page (cProfile, n requests)")
    parser.add_argument("--top", type=int, default=30, help="lines of the profile (cumulative time)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--queries", action="store_true", help="print the SQL each page runs")
    parser.add_argument(
        "--templates", action="store_true", help="CPU per template and request (inclusive of what it includes)"
    )
    args = parser.parse_args()

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    if not (name.startswith("lp_") and "bench" in name):
        sys.exit("DATABASE_URL must name a database like lp_..._bench")

    import django

    django.setup()

    from django.core.management import call_command

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # the manifest {% static %} needs

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.module_loading import import_string

    from courses.catalog.models import CatalogPage
    from courses.lessons.models import LessonPage
    from courses.progress.demo import LEARNER_EMAIL
    from courses.progress.models import Enrolment
    from lernplattform.accounts.models import User

    assert not settings.DEBUG
    learner = User.objects.get(email=LEARNER_EMAIL)
    enrolment = Enrolment.objects.filter(user=learner, status=Enrolment.Status.ACTIVE).select_related("course").first()
    assert enrolment is not None, "the demo learner has no active enrolment: run manage.py seed_demo"
    course = enrolment.course
    lesson = LessonPage.objects.live().child_of(course).order_by("path").first()
    catalog = CatalogPage.objects.live().first()
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user"))
    session = SessionStore()
    session[SESSION_KEY] = str(learner.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    session.create()
    urls = {
        "lesson": lesson.url,
        "course": course.url,
        "catalogue": catalog.url,
        "dashboard": "/lernen/",
        "progress_api": "/api/v1/progress/courses/",
        "home_anonymous": "/",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    anonymous = Client(HTTP_HOST="127.0.0.1")

    def get(page: str) -> None:
        response = (anonymous if page.endswith("_anonymous") else client).get(urls[page])
        assert response.status_code == 200, (urls[page], response.status_code)

    def cpu_ms(page: str, count: int) -> float:
        start = time.process_time()
        for _ in range(count):
            get(page)
        return (time.process_time() - start) * 1000 / count

    pages = list(dict.fromkeys(args.pages + ([args.profile] if args.profile else [])))
    queries = {}
    for page in pages:
        for _ in range(args.warmup):
            get(page)
        with CaptureQueriesContext(connection) as captured:
            get(page)
        queries[page] = len(captured.captured_queries)
        if args.queries:
            print(f"== queries of {page}")
            for query in captured.captured_queries:
                print("  ", query["sql"][:300])

    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rounds: dict[str, list[float]] = {page: [] for page in args.pages}
    for _ in range(args.rounds):
        for page in args.pages:
            rounds[page].append(cpu_ms(page, args.n))
    print(f"{'page':<16} {'min ms':>7} {'rounds (ms CPU per request)':<40} queries  url")
    for page in args.pages:
        figures = " / ".join(f"{value:.2f}" for value in rounds[page])
        print(f"{page:<16} {min(rounds[page]):7.2f} {figures:<40} {queries[page]:>7}  {urls[page]}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    if args.templates:
        from collections import defaultdict

        from django.template.base import Template

        spent: dict[str, float] = defaultdict(float)
        original = Template._render

        def timed(self, context):
            start = time.process_time()
            try:
                return original(self, context)
            finally:
                spent[self.origin.template_name or "?"] += time.process_time() - start

        Template._render = timed
        for page in args.pages:
            spent.clear()
            total = cpu_ms(page, args.n)
            print(f"== templates of {page} ({total:.2f} ms CPU per request, timed)")
            for name, seconds in sorted(spent.items(), key=lambda item: -item[1])[:25]:
                print(f"  {seconds * 1000 / args.n:7.2f} ms  {name}")
        Template._render = original

    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waits for the database
        profiler.enable()
        for _ in range(args.n):
            get(args.profile)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        print(f"== profile of {args.n} requests to {args.profile} ({urls[args.profile]})")
        print(out.getvalue())


if __name__ == "__main__":
    main()
