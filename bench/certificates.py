#!/usr/bin/env python3
"""Benchmark: issue N certificates through the task path, and PDF rendering against a bare page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench_certs \
        .venv/bin/python bench/certificates.py --count 10000

What it measures (one process = one worker; figures are per worker):
  1. the full task path: the Celery task `certificates.certificate_issue` run in this process for
     each of N certifiable course completions (lock, snapshot, number, render, store the PDF, insert,
     event, e-mail outbox row) – certificates per second, and memory (RSS and Python heap) sampled
     along the way, to show it stays flat. The e-mail itself is delivered by another task
     (`notifications.notification_deliver`, measured by bench/notifications_send.py); with
     `--deliver inline` it runs inside the issuing task instead, as in eager mode;
  2. rendering alone: `certificate_pdf_render` of a real snapshot against a bare one-page reportlab
     document with the same embedded fonts and a few lines of text, in the same run.

It creates its own database content (a course, a template, N learners and their completions) in
the database named by DATABASE_URL – use a throw-away database: the script migrates it and refuses
to run on one that holds certificates it did not make. Media files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mib() -> float:
    """Current resident set size (Linux /proc), in MiB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def setup_django(media: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")
    os.environ["MEDIA_ROOT"] = media
    # The e-mail backend discards (an SMTP server is not what is measured; locmem would grow memory).
    os.environ["EMAIL_URL"] = "dummymail://"
    # As in production: DEBUG on would log every query (memory) and slow every one of them.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(16).hex())
    os.environ.pop("CELERY_BROKER_URL", None)  # eager: the task runs in this process, as in a worker
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def data_create(count: int):
    """A certifying course and `count` learners with a certifiable completion each (bulk, no tasks)."""
    from django.utils import timezone
    from wagtail.models import Page

    from courses.catalog.models import CoursePage, Topic
    from courses.certificates.models import CertificateSignatory, CertificateTemplate
    from courses.progress.models import CourseCompletion
    from lernplattform.accounts.models import Membership, Organisation, User

    land, _ = Organisation.objects.get_or_create(ars="090000000000", defaults={"name": "Bayern", "kind": "land"})
    org, _ = Organisation.objects.get_or_create(
        ars="091840119119", defaults={"name": "Garching b.München", "kind": "gemeinde", "parent": land}
    )
    template, created = CertificateTemplate.objects.get_or_create(
        name="Benchmark", defaults={"validity": "from_completion", "validity_months": 24}
    )
    if created:
        CertificateSignatory.objects.create(template=template, name="Dr. Anna Groß", title="Leitung", sort_order=0)
    topic, _ = Topic.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
    course = CoursePage.objects.filter(slug="bench-kurs").first()
    if course is None:
        root = Page.objects.get(depth=1)
        course = CoursePage(
            title="Datenschutz im Bürgerbüro", slug="bench-kurs", topic=topic, certificate_template=template
        )
        root.add_child(instance=course)
    run = time.time_ns()  # unique per call (the profile makes a second set)
    users = User.objects.bulk_create(
        User(email=f"bench-{run}-{i}@example.org", full_name=f"Jürgen Weiß-Müller {chr(65 + i % 26)}ößler")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=org, role="learner", valid_from=timezone.localdate()) for u in users
    )
    now = timezone.now()
    completions = CourseCompletion.objects.bulk_create(
        CourseCompletion(
            user=u,
            course=course,
            completed_at=now,
            course_title=course.title,
            trusted=True,
            certifiable=True,
            grade=Decimal("90"),
        )
        for u in users
    )
    return [c.pk for c in completions]


def deliveries_separate() -> list[int]:
    """Hand the e-mail delivery task to a "broker" that only records it, as a worker would for the
    notifications queue: the issuing task writes the outbox row, delivering it is another task."""
    from lernplattform.notifications import services as notification_services

    queued: list[int] = []

    def enqueue(task, *args, **kwargs):
        queued.append(args[0] if args else kwargs.get("notification_id"))
        return True

    notification_services.enqueue = enqueue  # type: ignore[assignment]
    return queued


def bench_task_path(completion_ids: list[int]) -> dict:
    from courses.certificates.tasks import certificate_issue

    samples = []
    cpu = time.process_time()
    start = time.perf_counter()
    step = max(1, len(completion_ids) // 10)
    for index, pk in enumerate(completion_ids, 1):
        certificate_issue.apply(kwargs={"course_completion_id": pk}).get()
        if index % step == 0 or index == len(completion_ids):
            samples.append((index, time.perf_counter() - start, _rss_mib(), len(gc.get_objects())))
    elapsed = time.perf_counter() - start
    return {
        "count": len(completion_ids),
        "seconds": elapsed,
        "cpu": time.process_time() - cpu,
        "samples": samples,
    }


def task_profile(completion_ids: list[int]) -> None:
    """Where the task path's time goes (cProfile over extra completions) and its queries per certificate."""
    import cProfile
    import pstats

    from django.db import connection

    from courses.certificates.tasks import certificate_issue

    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql.split(" ", 1)[0])
        return execute(sql, params, many, context)

    profile = cProfile.Profile()
    with connection.execute_wrapper(count):
        profile.enable()
        for pk in completion_ids:
            certificate_issue.apply(kwargs={"course_completion_id": pk}).get()
        profile.disable()
    kinds: dict[str, int] = {}
    for verb in statements:
        kinds[verb] = kinds.get(verb, 0) + 1
    per = ", ".join(f"{verb} {n / len(completion_ids):.1f}" for verb, n in sorted(kinds.items()))
    print(
        f"Task path profile ({len(completion_ids)} certificates): {len(statements) / len(completion_ids):.1f} "
        f"statements per certificate ({per})"
    )
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats("certificates|notifications|pdf|psycopg", 25)


def render_profile(repeat: int) -> None:
    """Where a certificate's render time goes (cProfile, top functions by own time)."""
    import cProfile
    import pstats

    from courses.certificates.models import Certificate
    from courses.certificates.pdf import Images, certificate_pdf_render

    snapshot = Certificate.objects.order_by("-pk").first().snapshot
    images = Images(logo=None, signatures={})
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        certificate_pdf_render(snapshot=snapshot, images=images)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(15)


def bench_render(repeat: int) -> dict:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from courses.certificates.models import Certificate
    from courses.certificates.pdf import FONT_BOLD, FONT_REGULAR, Images, certificate_pdf_render, fonts_register

    fonts_register()
    snapshot = Certificate.objects.order_by("-pk").first().snapshot
    images = Images(logo=None, signatures={})

    def bare() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT_REGULAR)
        canvas.setFont(FONT_BOLD, 30)
        canvas.drawCentredString(297, 700, "Zertifikat")
        canvas.setFont(FONT_REGULAR, 12)
        for line in range(12):
            canvas.drawString(60, 640 - 18 * line, f"Zeile {line}: Jürgen Weiß-Müller, „Datenschutz“, 25. November")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    results = {}
    for name, function in (
        ("bare page", bare),
        ("certificate", lambda: certificate_pdf_render(snapshot=snapshot, images=images)),
    ):
        function()  # warm up
        gc.collect()
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        results[name] = repeat / (time.perf_counter() - start)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="certificates to issue (default 10000)")
    parser.add_argument("--render", type=int, default=300, help="renderings per variant (default 300)")
    parser.add_argument(
        "--deliver",
        choices=["separate", "inline"],
        default="separate",
        help="e-mail delivery: a separate task (recorded, not run; default) or inline in the issuing task",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print a profile of the task path (with statements per certificate) and of the rendering",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Bitte DATABASE_URL auf eine PostgreSQL-Datenbank zum Wegwerfen setzen.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-certs-") as media:
        setup_django(media)
        import logging

        logging.disable(logging.INFO)
        queued = deliveries_separate() if args.deliver == "separate" else None
        ids = data_create(args.count)
        task = bench_task_path(ids)
        if args.profile:
            # Extra completions, so the figures above are not slowed by the profiler.
            task_profile(data_create(min(args.count, 100)))
        render = bench_render(args.render)
        if args.profile:
            render_profile(min(args.render, 100))
    rate = task["count"] / task["seconds"]
    print(f"Task path: {task['count']} certificates in {task['seconds']:.1f} s = {rate:.1f} per second (1 worker)")
    print(
        f"  CPU of this process: {task['cpu'] / task['count'] * 1000:.1f} ms per certificate "
        f"(= {task['count'] / task['cpu']:.1f} per CPU second; PostgreSQL's own time not included)"
    )
    if queued is not None:
        print(f"  e-mail: outbox row written in the task, {len(queued)} delivery tasks handed on (not run here)")
    else:
        print("  e-mail: delivered inline by the issuing task (dummy backend)")
    print("  issued   seconds   RSS MiB   Python objects")
    for index, seconds, rss, objects in task["samples"]:
        print(f"  {index:6d}   {seconds:7.1f}   {rss:7.1f}   {objects:9d}")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    bare, cert = render["bare page"], render["certificate"]
    print(f"Rendering: bare page {bare:.1f}/s, certificate {cert:.1f}/s, ratio {cert / bare:.2f}")
    print(f"Load when finished: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
