"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1): a server that is down delays, never loses.

Each test starts its own sink on a free port of this checkout's block (tests/servers.py).
"""

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from lernplattform.notifications import services
from lernplattform.notifications.models import Notification
from lernplattform.notifications.services import notification_retry, notification_schedule, notifications_sweep
from tests.factories.accounts import UserFactory
from tests.servers import free_port, smtp_sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    services._connection_close()
    yield port
    services._connection_close()


def _schedule(n, django_capture_on_commit_callbacks):
    people = [UserFactory(email=f"person{i}@example.org") for i in range(n)]
    with django_capture_on_commit_callbacks(execute=True):
        return [
            notification_schedule(
                kind="progress.overdue",
                dedupe_key=f"enrolment:{person.pk}:2027-01-01",
                user=person,
                context={"course_title": "Datenschutz", "due_date": "01.01.2027"},
            )
            for person in people
        ]


def test_mail_server_down_messages_wait_and_each_is_delivered_once_when_it_is_back(
    smtp_port, django_capture_on_commit_callbacks
):
    # The mail server is down: the after-commit deliveries fail, nothing is lost.
    rows = _schedule(3, django_capture_on_commit_callbacks)
    for row in rows:
        row.refresh_from_db()
        assert row.status == Notification.Status.PENDING
        assert (row.attempts, row.failures) == (1, 0)  # an unreachable server is not the message's fault
        assert row.last_error
        assert row.send_after > timezone.now()  # backed off

    # Down for a day: the sweeper keeps trying with back-off; no message is dead-lettered.
    start = timezone.now()
    with time_machine.travel(start, tick=True) as traveller:
        for _hour in range(24):
            traveller.shift(datetime.timedelta(hours=1))
            notifications_sweep()
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.PENDING}
    assert Notification.objects.filter(failures=0).count() == 3

    # Back up: the next sweeps deliver each exactly once.
    with smtp_sink(smtp_port) as sink, time_machine.travel(start + datetime.timedelta(days=2), tick=True):
        assert notifications_sweep() == 3
        assert notifications_sweep() == 0
        assert sorted(sink.message_ids()) == sorted(r.message_id for r in rows)
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert [m["To"] for m in sink.messages] == [f"person{i}@example.org" for i in range(3)]
    assert sink.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_crash_after_the_server_accepted_resends_with_the_same_message_id(
    smtp_port, django_capture_on_commit_callbacks
):
    with smtp_sink(smtp_port) as sink:
        # The worker dies after the server accepted the message, before our commit.
        with mock.patch.object(services, "_mark_sent", side_effect=SystemExit("worker killed")):
            with pytest.raises(SystemExit):
                _schedule(1, django_capture_on_commit_callbacks)
        [row] = Notification.objects.all()
        assert row.status == Notification.Status.PENDING and row.claimed_at is not None
        assert len(sink.messages) == 1

        # A second task for it meanwhile does not send it again while the claim is fresh.
        assert services.notification_deliver_now(notification_id=row.pk) is False

        # After the claim timeout the sweeper sends it again, with the same Message-ID.
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=True):
            notifications_sweep()
            notifications_sweep()
        assert sink.message_ids() == [row.message_id, row.message_id]
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert row.failures == 1


def test_a_message_refused_n_times_goes_to_the_dead_letters_and_can_be_retried(
    settings, smtp_port, django_capture_on_commit_callbacks
):
    import smtplib

    settings.NOTIFICATIONS_MAX_FAILURES = 3
    refused = smtplib.SMTPRecipientsRefused({"person0@example.org": (550, b"no such user")})
    with smtp_sink(smtp_port) as sink:
        with mock.patch("django.core.mail.backends.smtp.EmailBackend.send_messages", side_effect=refused):
            [row] = _schedule(1, django_capture_on_commit_callbacks)
            moment = timezone.now()
            for _ in range(5):
                moment += datetime.timedelta(hours=1)
                with time_machine.travel(moment, tick=True):
                    notifications_sweep()
        row.refresh_from_db()
        assert row.status == Notification.Status.FAILED
        assert row.failures == 3
        assert "550" in row.last_error

        # The address was fixed: the admin's retry sends it.
        with time_machine.travel(moment, tick=True), django_capture_on_commit_callbacks(execute=True):
            notification_retry(notification_id=row.pk)
        row.refresh_from_db()
        assert row.status == Notification.Status.SENT
        assert sink.message_ids() == [row.message_id]
