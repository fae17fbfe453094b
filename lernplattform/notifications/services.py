"""The one way anything e-mails anyone: record the message, deliver it in a task after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notification_send(
    *, recipients: Iterable[str], subject: str, body: str, reply_to: str = "", topic: str = ""
) -> Notification | None:
    """Queue an e-mail; it leaves only once the surrounding transaction has committed.

    Returns None when there is nobody to write to.
    """
    addresses = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    if not addresses:
        return None
    # Header injection: a subject is one line.
    subject = " ".join(subject.split())[:200]
    notification = Notification.objects.create(
        recipients=addresses, subject=subject, body=body, reply_to=reply_to, topic=topic
    )
    from .tasks import notification_deliver  # the task module imports this one

    transaction.on_commit(lambda: notification_deliver.delay(notification.pk))
    return notification


def notification_deliver_now(*, notification_id: int) -> bool:
    """Send one queued e-mail unless it went out already; True when it was sent now.

    The row lock makes two workers running the same task send it once.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.sent_at is not None:
            return False
        notification.attempts += 1
        try:
            EmailMessage(
                subject=notification.subject,
                body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=notification.recipients,
                reply_to=[notification.reply_to] if notification.reply_to else None,
            ).send()
        except Exception as error:  # the task retries; keep what went wrong for the admin
            Notification.objects.filter(pk=notification.pk).update(
                attempts=notification.attempts, last_error=str(error)[:2000]
            )
            raise
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def platform_admins_notify(*, subject: str, body: str, reply_to: str = "", topic: str = "") -> Notification | None:
    """Write to every current platform admin (and the addresses in PLATFORM_ADMIN_EMAILS)."""
    from lernplattform.accounts.selectors import platform_admin_emails

    recipients = [*platform_admin_emails(), *getattr(settings, "PLATFORM_ADMIN_EMAILS", [])]
    return notification_send(recipients=recipients, subject=subject, body=body, reply_to=reply_to, topic=topic)
