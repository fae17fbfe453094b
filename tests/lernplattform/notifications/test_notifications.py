"""E-mails leave only after commit, once, through one task."""

from django.core import mail

from lernplattform.notifications.models import Notification
from lernplattform.notifications.services import notification_deliver_now, notification_send


def test_message_is_sent_after_commit_and_marked(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_send(recipients=["A@Example.org"], subject="Hallo", body="Text")
    assert not mail.outbox, "nothing leaves before the transaction commits"

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == ["a@example.org"]
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_running_the_task_twice_sends_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipients=["a@example.org"], subject="Hallo", body="Text")

    assert notification_deliver_now(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_nobody_to_write_to_creates_nothing(db):
    assert notification_send(recipients=["", "  "], subject="Hallo", body="Text") is None
    assert not Notification.objects.exists()


def test_subject_is_a_single_line(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=["a@example.org"], subject="Hallo\nBcc: x@example.org", body="Text")
    assert mail.outbox[0].subject == "Hallo Bcc: x@example.org"
