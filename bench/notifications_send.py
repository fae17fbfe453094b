#!/usr/bin/env python3
"""Send N scheduled reminders through the task path to a local SMTP sink; then schedule them again.

What it measures (issue 13, "Performance"):
  1. scheduling: N reminders (kind progress.due_soon), one ``notification_schedule`` per person with
     a dedupe key, committed in batches as a reminder job would;
  2. delivery: real Celery workers (``celery worker -P solo``, --workers of them) take the tasks from
     the broker and hand each message to an aiosmtpd sink started here; messages per second, in
     total and per worker, from the first commit to the last message at the sink;
  3. a second run of the same scheduling job: how many new messages it causes (must be 0).

Needs PostgreSQL and a broker (the task path), e.g.:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench_notifications \
  CELERY_BROKER_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/notifications_send.py --messages 10000
The database is created and migrated if needed; the bench's people and messages are removed first.
The SMTP sink listens on 127.0.0.1 (--smtp-port, default: a free port of 8140-8149).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")

KIND = "progress.due_soon"
PREFIX = "bench-notify-"


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.message_ids: set[str] = set()
        self.lock = threading.Lock()
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        content = envelope.original_content or envelope.content
        header, _sep, _body = content.partition(b"\r\n\r\n")
        message_id = ""
        for line in header.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        with self.lock:
            self.count += 1
            self.message_ids.add(message_id)
            self.last_at = time.monotonic()
        return "250 OK"


def free_port() -> int:
    import socket

    for port in range(8140, 8150):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port in 8140-8149")


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=500, help="reminders per scheduling transaction")
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("postgres") or not broker:
        raise SystemExit("DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL are required: this measures the task path.")
    smtp_port = args.smtp_port or free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    ensure_database(url)

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from lernplattform.notifications.models import Notification
    from lernplattform.notifications.services import notification_schedule, notifications_sweep

    call_command("migrate", verbosity=0)
    User = get_user_model()  # noqa: N806
    Notification.objects.filter(kind=KIND, dedupe_key__startswith=PREFIX).delete()
    User.objects.filter(email__startswith=PREFIX).delete()
    User.objects.bulk_create(
        [User(email=f"{PREFIX}{i}@example.org", full_name=f"Person {i}") for i in range(args.messages)],
        batch_size=2000,
    )
    people = list(User.objects.filter(email__startswith=PREFIX).order_by("pk"))

    def scheduling_job() -> int:
        """What a reminder job does: one reminder per person and cycle, in batches."""
        created = 0
        for start in range(0, len(people), args.batch):
            with transaction.atomic():
                for person in people[start : start + args.batch]:
                    before = Notification.objects.filter(kind=KIND, dedupe_key=f"{PREFIX}{person.pk}:2027-03-01")
                    existed = before.exists()
                    notification_schedule(
                        kind=KIND,
                        dedupe_key=f"{PREFIX}{person.pk}:2027-03-01",
                        user=person,
                        context={"course_title": "Datenschutz kompakt", "due_date": "01.03.2027", "days_left": 7},
                    )
                    created += not existed
        return created

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    command = [str(Path(sys.executable).parent / "celery"), "-A", "lernplattform", "worker", "-P", "solo",
               "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"]  # fmt: skip
    workers = [
        subprocess.Popen([*command, "-n", f"bench{i}@%h"], env=env, cwd=ROOT)  # noqa: S603
        for i in range(args.workers)
    ]
    try:
        time.sleep(8)  # let the workers boot (Django, broker connection) before the clock starts
        started = time.monotonic()
        created = scheduling_job()
        scheduled_in = time.monotonic() - started
        deadline = started + args.timeout
        while sink.count < args.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        delivered_in = (sink.last_at or time.monotonic()) - started
        first_count = sink.count

        # The same job again (a beat that fires twice, a rerun after a crash): nothing new.
        again_started = time.monotonic()
        created_again = scheduling_job()
        again_in = time.monotonic() - again_started
        notifications_sweep()
        time.sleep(5)
        second_count = sink.count - first_count
        sent_rows = Notification.objects.filter(kind=KIND, dedupe_key__startswith=PREFIX, status="sent").count()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        controller.stop()

    rate = first_count / delivered_in if delivered_in else 0.0
    print(f"messages scheduled:            {created} in {scheduled_in:.1f} s ({created / scheduled_in:.0f}/s)")
    print(f"messages at the SMTP sink:     {first_count} (distinct Message-IDs: {len(sink.message_ids)})")
    print(f"rows marked sent:              {sent_rows}")
    print(f"delivery, commit to last mail: {delivered_in:.1f} s with {args.workers} worker(s)")
    print(f"throughput:                    {rate:.0f} messages/s, {rate / args.workers:.0f} per worker")
    print(f"second run of the job:         {created_again} scheduled, {second_count} sent ({again_in:.1f} s)")
    if first_count != args.messages or second_count or created_again or len(sink.message_ids) != args.messages:
        raise SystemExit("FAILED: not every reminder arrived exactly once")


if __name__ == "__main__":
    main()
