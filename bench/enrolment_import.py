#!/usr/bin/env python3
"""Benchmark: validate and import a bulk-enrolment CSV (default 5,000 lines, 10 % bad) on PostgreSQL.

Measures the work the two Celery tasks do (`progress.bulk_enrolment_validate` and
`progress.bulk_enrolment_import`), called directly so that broker latency does not blur the
figures: wall time to the validation report, wall time to the finished import, and SQL queries
(total and per line). Follow-up e-mails are only written to the outbox here (their delivery is
the notifications worker's job and has its own benchmark), and the invitations are accepted
afterwards in a separate, also measured, step.

The data (organisations, people, course, upload) is created under a unique ARS prefix and
removed at the end, so the script can run against any development database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_enrol \\
        .venv/bin/python bench/enrolment_import.py --lines 5000 --bad 0.10
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--bad", type=float, default=0.10, help="share of bad lines (default 0.10)")
    parser.add_argument("--existing", type=float, default=0.5, help="share of good lines with an account")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--accept", type=int, default=200, help="invitations to accept afterwards (default 200)")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway (figures not comparable)")
    args = parser.parse_args()
    if not 1 <= args.lines <= 50_000 or not 0 <= args.bad < 1:
        parser.error("--lines 1..50000, --bad 0..1")

    import django

    django.setup()
    import contextlib

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    class CaptureQueriesContext:  # counts every query (Django's own capture keeps only 9000)
        def __init__(self, conn):
            self.conn, self.count = conn, 0

        def _count(self, execute, sql, params, many, context):
            self.count += 1
            return execute(sql, params, many, context)

        def __enter__(self):
            self._stack = contextlib.ExitStack()
            self._stack.enter_context(self.conn.execute_wrapper(self._count))
            return self

        def __exit__(self, *exc):
            self._stack.close()

        def __len__(self):
            return self.count

    if connection.vendor != "postgresql" and not args.allow_sqlite:
        print("Needs PostgreSQL: set DATABASE_URL=postgres://... (or pass --allow-sqlite).", file=sys.stderr)
        return 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("migrate", verbosity=0)

    from courses.progress import bulk_services
    from courses.progress.models import BulkEnrolment, BulkEnrolmentLine, Enrolment
    from lernplattform.accounts.models import Invitation, Membership, Organisation, User
    from lernplattform.accounts.services import invitation_accept, membership_start
    from lernplattform.notifications import services as notification_services
    from lernplattform.notifications.models import Notification
    from tests.factories.pages import course_create

    # Tasks are called directly below; e-mails stay in the outbox (delivery is measured elsewhere).
    bulk_services.enqueue_on_commit = lambda *a, **k: None
    notification_services.enqueue_on_commit = lambda *a, **k: None
    tokens: dict[str, str] = {}
    from lernplattform.accounts import services as account_services

    original_mail = account_services._invitation_mail

    def keep_token(*, invitation, token):
        tokens[invitation.email] = token
        original_mail(invitation=invitation, token=token)

    account_services._invitation_mail = keep_token

    rng = random.Random(args.seed)  # noqa: S311 - shuffling test data, not cryptography
    run = f"{int(time.time()) % 100000:05d}"
    domain = f"bench{run}.example.org"
    # A Kreis with 20 Gemeinden under Land keys no real directory uses (97-99), unique per run.
    r = run[-3:]
    land = Organisation.objects.create(ars=f"98{r}0000000", name=f"Bench-Land {run}", kind="land")
    kreis = Organisation.objects.create(ars=f"99{r}0000000", name=f"Bench-Kreis {run}", kind="kreis", parent=land)
    gemeinden = [
        Organisation.objects.create(
            ars=f"99{r}0000{n:03d}", name=f"Bench-Gemeinde {run}-{n}", kind="gemeinde", parent=kreis
        )
        for n in range(1, 21)
    ]
    outside = Organisation.objects.create(ars=f"97{r}0000001", name=f"Bench-Fremd {run}", kind="gemeinde", parent=land)
    admin = User.objects.create_user(email=f"admin@{domain}", full_name="Bench Admin", password=None)
    membership_start(user=admin, organisation=kreis, role=Membership.Role.ORG_ADMIN)
    course = course_create(title=f"Bench-Kurs {run}", lessons=1, slug=f"bench-kurs-{run}")

    good = args.lines - int(args.lines * args.bad)
    with_account = int(good * args.existing)
    t0 = time.perf_counter()
    existing = User.objects.bulk_create(
        [User(email=f"p{n}@{domain}", full_name=f"Person {n}", password="!") for n in range(with_account)]  # noqa: S106
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=gemeinden[n % 20], role=Membership.Role.LEARNER)
            for n, u in enumerate(existing)
        ]
    )
    outsider = User.objects.create_user(email=f"fremd@{domain}", full_name="Fremd", password=None)
    membership_start(user=outsider, organisation=outside, role=Membership.Role.LEARNER)
    setup_s = time.perf_counter() - t0

    rows = ["E-Mail;Name;Regionalschlüssel;Rolle"]
    for n in range(good):
        org = gemeinden[n % 20]
        if n < with_account:
            rows.append(f"p{n}@{domain};Person {n};;")
        else:
            rows.append(f"neu{n}@{domain};Neue Person {n};{org.ars};Lernende/r")
    kinds = ["invalid_email", "duplicate", "unknown_organisation", "organisation_out_of_scope", "person_out_of_scope"]
    for n in range(args.lines - good):
        kind = kinds[n % len(kinds)]
        rows.append(
            {
                "invalid_email": f"kaputt{n}-at-{domain};Kaputt;;",
                "duplicate": f"p{n % max(with_account, 1)}@{domain};Doppelt;;",
                "unknown_organisation": f"x{n}@{domain};X;999999999999;",
                "organisation_out_of_scope": f"y{n}@{domain};Y;{outside.ars};",
                "person_out_of_scope": f"fremd@{domain};Fremd;;",
            }[kind]
        )
    header, body = rows[0], rows[1:]
    rng.shuffle(body)
    content = ("\r\n".join([header, *body]) + "\r\n").encode("cp1252")

    bulk = bulk_services.bulk_enrolment_upload(
        by=admin, file_name="bench.csv", content=content, course=course, default_organisation=kreis
    )
    with CaptureQueriesContext(connection) as validate_q:
        t0 = time.perf_counter()
        bulk_services.bulk_enrolment_validate(bulk_id=bulk.pk)
        validate_s = time.perf_counter() - t0
    bulk.refresh_from_db()
    bulk_services.bulk_enrolment_confirm(bulk=bulk, by=admin)
    with CaptureQueriesContext(connection) as import_q:
        t0 = time.perf_counter()
        bulk_services.bulk_enrolment_import(bulk_id=bulk.pk)
        import_s = time.perf_counter() - t0
    bulk.refresh_from_db()
    invited = BulkEnrolmentLine.objects.filter(bulk=bulk, outcome="invited").count()
    enrolled_now = Enrolment.objects.filter(course=course).count()

    # Accepting the invitations (each a request of its own in real life) enrols the rest.
    sample = list(tokens.items())[: args.accept]
    accept_error = ""
    with CaptureQueriesContext(connection) as accept_q:
        t0 = time.perf_counter()
        try:
            for email, token in sample:
                # The membership hook enrols the person (eager task after commit).
                invitation_accept(
                    token=token,
                    password="Bench-Passwort-2027",  # noqa: S106 - a throwaway bench account
                    full_name=email,
                )
        except Exception as error:  # reported, the rest of the figures still count
            accept_error = f"{type(error).__name__}: {error}"
        accept_s = time.perf_counter() - t0

    second = bulk_services.bulk_enrolment_upload(
        by=admin, file_name="bench.csv", content=content, course=course, default_organisation=kreis
    )
    t0 = time.perf_counter()
    second = bulk_services.bulk_enrolment_validate(bulk_id=second.pk)
    second_s = time.perf_counter() - t0

    lines = bulk.total_lines
    print(f"database: {connection.vendor}, lines: {lines} ({bulk.invalid_lines} bad), setup {setup_s:.1f} s")
    print(
        f"validation report:  {validate_s:6.2f} s  {len(validate_q):6d} queries"
        f"  ({len(validate_q) / lines:.3f} per line)"
    )
    print(
        f"import:             {import_s:6.2f} s  {len(import_q):6d} queries"
        f"  ({len(import_q) / bulk.valid_lines:.2f} per valid line)"
        f"  -> {enrolled_now} enrolled, {invited} invited"
    )
    accepted_enrolled = Enrolment.objects.filter(course=course).count() - enrolled_now
    if accept_error:
        print(f"accepting invitations FAILED: {accept_error}")
    else:
        print(
            f"accepting {len(sample)} invitations -> {accepted_enrolled} enrolled: {accept_s:6.2f} s, "
            f"{len(accept_q) / max(len(sample), 1):.1f} queries each"
        )
    print(
        f"same file again:    {second_s:6.2f} s  valid lines {second.valid_lines} (nothing to import), "
        f"{second.invalid_lines} reported"
    )

    # Clean up everything the run created.
    Notification.objects.filter(recipients__icontains=domain).delete()
    BulkEnrolment.objects.filter(created_by=admin).delete()
    Enrolment.objects.filter(course=course).delete()
    Invitation.objects.filter(email__endswith=domain).delete()
    Membership.objects.filter(user__email__endswith=domain).delete()
    User.objects.filter(email__endswith=domain).delete()
    course.get_children().delete()
    course.delete()
    for org in [*gemeinden, outside, kreis, land]:
        org.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
