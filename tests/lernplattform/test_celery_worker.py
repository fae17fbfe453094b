"""A real Celery worker takes a task from the real broker (Redis) and does the work once.

Runs only when CELERY_BROKER_URL names a broker (as in .ci/run); on the embedded default
tasks run eagerly and this test is skipped.
"""

import os
import time

import pytest
from django.core import mail

from lernplattform.notifications.models import Notification

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"), reason="kein Broker: CELERY_BROKER_URL ist nicht gesetzt"
    ),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notification_is_delivered_by_a_real_worker_through_the_broker(monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from lernplattform.celery import app
    from lernplattform.notifications.services import notification_send

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    assert app.conf.broker_url.startswith(("redis://", "amqp://")), app.conf.broker_url

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        # Autocommit (transaction=True): on_commit fires at once and the task goes to the broker.
        notification = notification_send(recipients=["worker@example.org"], subject="Über den Broker", body="Hallo")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.sent_at:
                break
            time.sleep(0.2)

    assert notification.sent_at is not None, "the worker did not deliver within 30 s"
    assert Notification.objects.get(pk=notification.pk).attempts == 1
    assert [m.subject for m in mail.outbox] == ["Über den Broker"]
