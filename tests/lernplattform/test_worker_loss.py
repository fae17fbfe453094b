"""A killed worker does not strand its task (issue 10, finding 7).

With acks_late the broker keeps a task until the worker finishes it; a worker killed mid-task never
acknowledges it, and Redis hands it to another worker once the visibility timeout has passed. The
task itself is safe to run twice (the notification's claim is taken over when stale), so the message
goes out exactly once. Needs PostgreSQL (the worker is a separate process) and redis-server.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import SmtpSink, broker_at, free_port, redis_available, redis_server

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL") or not redis_available(),
        reason="Broker-Tests nur mit CELERY_BROKER_URL (und redis-server)",
    ),
]


class RcptHoldSink(SmtpSink):
    """Stalls at RCPT, before any message is handed over: a worker killed now has sent nothing."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        import asyncio

        if not self.hold.is_set():
            self.holding.set()
            while not self.hold.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextlib.contextmanager
def rcpt_hold_sink(port):
    from aiosmtpd.controller import Controller

    sink = RcptHoldSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        sink.hold.set()
        controller.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_workers_task_is_redelivered_and_done_once_within_the_visibility_timeout():
    """SIGKILL a real worker mid-task; a restarted worker finishes it within the stated time.

    The stated time is the visibility timeout plus the restore sweep (10 s): production uses
    CELERY_TASK_TIME_LIMIT + 60 s = 6 min; this test's workers run with 3 s so the test stays fast.
    """
    from django.db import connection

    from lernplattform.notifications.services import notification_schedule
    from tests.factories.accounts import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("der Worker-Prozess braucht eine gemeinsame Datenbank (PostgreSQL)")
    db = connection.settings_dict
    redis_port = free_port()
    smtp_port = free_port(exclude=(redis_port,))
    visibility = 3
    with redis_server(redis_port) as broker_url, rcpt_hold_sink(smtp_port) as sink, broker_at(broker_url):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lernplattform.settings.base",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_BROKER_VISIBILITY_TIMEOUT": str(visibility),
            "CELERY_BROKER_RESTORE_INTERVAL": "1",
            "NOTIFICATIONS_CLAIM_TIMEOUT": "2",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        }
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "lernplattform", "worker", "-P", "solo",
            "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning",
        ]  # fmt: skip

        def worker():
            return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603

        sink.hold.clear()  # the mail server stalls: the worker is mid-task when it is killed
        first = worker()
        try:
            person = UserFactory(email="kill@example.org")
            notification = notification_schedule(kind="progress.overdue", dedupe_key="kill:1", user=person, context={})
            assert sink.holding.wait(90), "the worker never started the task"
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            killed_at = time.monotonic()
        finally:
            if first.poll() is None:
                first.kill()
        sink.hold.set()
        notification.refresh_from_db()
        assert notification.sent_at is None and notification.claimed_at is not None

        second = worker()
        try:
            deadline = killed_at + 90
            while time.monotonic() < deadline:
                notification.refresh_from_db()
                if notification.sent_at is not None:
                    break
                time.sleep(0.2)
            took = time.monotonic() - killed_at
            time.sleep(2)  # a duplicate delivery would arrive now
        finally:
            second.terminate()
            second.wait(30)

    assert notification.sent_at is not None, "the task was not redelivered within 90 s"
    # Worker start-up (Django: several seconds on this machine) + 3 s visibility + 1 s restore sweep.
    assert took < 60, f"redelivered after {took:.1f} s"
    assert [m["Message-ID"] for m in sink.messages] == [notification.message_id], "delivered exactly once"
    assert notification.failures == 1  # the lost attempt is counted
