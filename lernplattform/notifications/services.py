"""The one way anything e-mails anyone: an outbox row in the caller's transaction, delivered by a task.

Sent once, never lost:
- ``notification_schedule`` writes the row in the caller's transaction; a dedupe key (kind, object,
  cycle) with a unique constraint makes a job that runs twice, or two workers racing, schedule it once.
- ``notification_deliver_now`` claims the row with a conditional UPDATE (only one worker wins), sends it
  with its stable Message-ID, then marks it sent. A crash between the mail server's acceptance and our
  commit leaves a stale claim; the sweeper sends it again with the same Message-ID, so the copy can be
  recognised as one message.
- ``notifications_sweep`` (beat, every minute) re-enqueues what is due and unsent: a task lost to a
  broker outage or a killed worker, a retry after a failure. An unreachable mail server only delays a
  message (retried with back-off, indefinitely); a message that fails by itself N times (refused, 5xx,
  lost worker) goes to the dead letters, which platform admins see in the outbox and can retry.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from lernplattform.core.errors import Conflict, ValidationFailed
from lernplattform.core.tasks import enqueue

from .models import Notification, NotificationOptOut, NotificationTemplate
from .registry import NotificationKind, kind_get, placeholders_fill, placeholders_unknown

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_failures() -> int:
    return int(_setting("NOTIFICATIONS_MAX_FAILURES", 5))


def claim_timeout() -> timedelta:
    """How long a claimed message may be in delivery before the sweeper takes it as lost.

    Longer than an SMTP conversation can take (EMAIL_TIMEOUT), shorter than the broker's visibility timeout.
    """
    return timedelta(seconds=int(_setting("NOTIFICATIONS_CLAIM_TIMEOUT", 300)))


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed attempt: 1, 2, 4 … minutes, at most NOTIFICATIONS_RETRY_MAX seconds."""
    base = int(_setting("NOTIFICATIONS_RETRY_BASE", 60))
    ceiling = int(_setting("NOTIFICATIONS_RETRY_MAX", 30 * 60))
    return timedelta(seconds=min(ceiling, base * 2 ** max(0, attempts - 1)))


def _message_id() -> str:
    domain = _setting("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "") or _from_domain()
    return f"<{uuid.uuid4().hex}@{domain}>"


def _from_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "lernplattform.invalid"


def _site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _clean_addresses(recipients: Iterable[str]) -> list[str]:
    return sorted({address.strip().lower() for address in recipients if address and address.strip()})


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def template_texts(*, kind: NotificationKind) -> tuple[str, str, str]:
    """Subject, text and HTML of a kind: the admins' wording if there is one, else the kind's defaults."""
    template = NotificationTemplate.objects.filter(kind=kind.code).first()
    if template is not None:
        return template.subject, template.text, template.html
    return str(kind.default_subject), str(kind.default_text), str(kind.default_html)


def template_validate(*, kind_code: str, subject: str, text: str, html: str) -> None:
    """Refuse a wording that uses placeholders the kind does not offer, naming them (German)."""
    kind = kind_get(kind_code)
    errors: dict[str, str] = {}
    for field, value in (("subject", subject), ("text", text), ("html", html)):
        unknown = placeholders_unknown(kind=kind, text=value or "")
        if unknown:
            errors[field] = _("Unbekannte Platzhalter: %(names)s. Erlaubt sind: %(allowed)s.") % {
                "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "allowed": ", ".join(sorted(kind.all_placeholders)),
            }
    if errors:
        raise ValidationFailed("notifications.unknown_placeholder", " ".join(errors.values()), extra={"fields": errors})


def message_render(
    *, kind: NotificationKind, context: Mapping[str, Any], subject: str, text: str, html: str
) -> tuple[str, str, str]:
    """Fill a wording with the context: plain values in subject and text, escaped values in HTML."""
    values = {key: value for key, value in context.items() if key in kind.all_placeholders}
    rendered_subject = " ".join(placeholders_fill(subject, values).split())[:200]
    rendered_text = placeholders_fill(text, values)
    if html.strip():
        rendered_html = placeholders_fill(html, values, escape=escape)
    else:
        rendered_html = linebreaks(escape(rendered_text), autoescape=False)
    return rendered_subject, rendered_text, rendered_html


def _common_context(*, user) -> dict[str, str]:
    name = ""
    if user is not None:
        name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.email
    return {"recipient_name": name, "platform_name": settings.WAGTAIL_SITE_NAME, "site_url": _site_url()}


# ---------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------


def user_opted_out(*, user, kind: NotificationKind) -> bool:
    if user is None or kind.mandatory:
        return False
    return NotificationOptOut.objects.filter(user=user, kind=kind.code).exists()


def notification_schedule(
    *,
    kind: str,
    dedupe_key: str,
    user=None,
    recipients: Iterable[str] = (),
    context: Mapping[str, Any] | None = None,
    send_after: datetime | None = None,
    reply_to: str = "",
) -> Notification | None:
    """Schedule one message of a registered kind, once per dedupe key; returns the row (new or existing).

    ``dedupe_key`` names the object and the cycle, e.g. ``f"enrolment:{e.pk}:{e.due_date}"``: scheduling
    the same (kind, key) again, from a job that runs twice or from two racing workers, returns the row
    already there and sends nothing more. ``user`` is the person written to (their address, name and
    opt-outs); ``recipients`` adds addresses without an account (e.g. an invitation). ``context`` gives
    the kind's placeholders (JSON-serialisable values, already formatted for people). The message is
    rendered now, stored, and sent after the caller's transaction commits (or at ``send_after``).
    Returns None when there is nobody to write to. A person who opted out of a kind that is not
    mandatory gets a row in state ``skipped`` (so the key stays taken) and no e-mail.
    """
    registered = kind_get(kind)
    dedupe_key = dedupe_key.strip()
    if not dedupe_key:
        raise ValueError("notification_schedule needs a dedupe_key (kind, object, cycle).")  # programming error
    existing = Notification.objects.filter(kind=kind, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    addresses = _clean_addresses([*([user.email] if user is not None and user.email else []), *recipients])
    if not addresses:
        return None
    values = {**_common_context(user=user), **dict(context or {})}
    subject, text, html = message_render(kind=registered, context=values, **_wording(registered))
    status = Notification.Status.SKIPPED if user_opted_out(user=user, kind=registered) else Notification.Status.PENDING
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                dedupe_key=dedupe_key[:200],
                user=user,
                recipients=addresses,
                subject=subject,
                body=text,
                html_body=html,
                context={key: _jsonable(value) for key, value in values.items()},
                reply_to=reply_to,
                topic=kind,
                message_id=_message_id(),
                status=status,
                send_after=send_after or timezone.now(),
            )
    except IntegrityError:
        # Another transaction scheduled the same (kind, key) first.
        return Notification.objects.get(kind=kind, dedupe_key=dedupe_key[:200])
    if status == Notification.Status.PENDING and notification.send_after <= timezone.now():
        _deliver_on_commit(notification.pk)
    return notification


def _deliver_on_commit(notification_id: int) -> None:
    """After commit, hand the delivery to the broker; if it is down, leave the row for the sweeper at once."""

    def deliver() -> None:
        from .tasks import notification_deliver  # the task module imports this one

        Notification.objects.filter(pk=notification_id, queued_at__isnull=True).update(queued_at=timezone.now())
        if not enqueue(notification_deliver, notification_id):
            Notification.objects.filter(pk=notification_id).update(queued_at=None)

    transaction.on_commit(deliver)


def _wording(kind: NotificationKind) -> dict[str, str]:
    subject, text, html = template_texts(kind=kind)
    return {"subject": subject, "text": text, "html": html}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def notification_send(
    *, recipients: Iterable[str], subject: str, body: str, reply_to: str = "", topic: str = ""
) -> Notification | None:
    """Queue a one-off e-mail (no template, no dedupe); it leaves once the transaction has committed.

    For messages written by code for admins (barrier reports, pending registrations) and Django's
    password reset. Messages to learners go through ``notification_schedule`` with a registered kind.
    Returns None when there is nobody to write to.
    """
    addresses = _clean_addresses(recipients)
    if not addresses:
        return None
    # Header injection: a subject is one line.
    subject = " ".join(subject.split())[:200]
    notification = Notification.objects.create(
        recipients=addresses,
        subject=subject,
        body=body,
        reply_to=reply_to,
        topic=topic,
        message_id=_message_id(),
    )
    _deliver_on_commit(notification.pk)
    return notification


def platform_admins_notify(*, subject: str, body: str, reply_to: str = "", topic: str = "") -> Notification | None:
    """Write to every platform admin (and the addresses in PLATFORM_ADMIN_EMAILS).

    Platform admins are the superusers: accounts derives the flag from the platform-admin membership,
    so this leaf app needs no import of accounts.
    """
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
    recipients = [*admins, *getattr(settings, "PLATFORM_ADMIN_EMAILS", [])]
    return notification_send(recipients=recipients, subject=subject, body=body, reply_to=reply_to, topic=topic)


# ---------------------------------------------------------------------------------------------
# Delivery
# ---------------------------------------------------------------------------------------------


class _Connections(threading.local):
    """One SMTP connection per worker thread, reused between messages (reopened after idling or errors)."""

    connection: Any = None
    config: tuple = ()
    used_at: float = 0.0


_connections = _Connections()


def _connection():
    idle = float(_setting("NOTIFICATIONS_CONNECTION_IDLE", 20))
    config = (settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", ""), getattr(settings, "EMAIL_PORT", 0))
    if _connections.connection is not None and (
        time.monotonic() - _connections.used_at > idle or _connections.config != config
    ):
        _connection_close()
    if _connections.connection is None:
        connection = get_connection()
        connection.open()
        _connections.connection = connection
        _connections.config = config
    _connections.used_at = time.monotonic()
    return _connections.connection


def _connection_close() -> None:
    connection, _connections.connection = _connections.connection, None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: S110 - a broken connection is dropped either way
            pass


def _unsubscribe_url(*, notification: Notification) -> str:
    token = signing.dumps({"u": notification.user_id, "k": notification.kind}, salt=UNSUBSCRIBE_SALT)
    return _site_url() + reverse("notifications:unsubscribe", kwargs={"token": token})


def _email(notification: Notification) -> EmailMultiAlternatives:
    headers = {"Message-ID": notification.message_id or _message_id()}
    body, html = notification.body, notification.html_body
    kind = kind_get(notification.kind) if notification.kind else None
    if kind is not None and not kind.mandatory and notification.user_id:
        url = _unsubscribe_url(notification=notification)
        # RFC 2369 / RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        body += "\n\n-- \n" + _("Diese Art von Nachricht abbestellen: %(url)s") % {"url": url}
        if html:
            label = escape(_("Diese Art von Nachricht abbestellen"))
            html += f'<hr><p><a href="{escape(url)}">{label}</a></p>'
    email = EmailMultiAlternatives(
        subject=notification.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=notification.recipients,
        reply_to=[notification.reply_to] if notification.reply_to else None,
        headers=headers,
    )
    if html:
        email.attach_alternative(html, "text/html")
    return email


def _server_unreachable(error: Exception) -> bool:
    """True when the mail server (not the message) is at fault: the message waits without a failure."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError)


def notification_deliver_now(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one queued e-mail unless it went out already or another worker has it; True when sent now.

    Safe to run twice and from racing workers: the conditional UPDATE lets exactly one claim it. A claim
    older than the claim timeout belongs to a worker that died mid-delivery (maybe after the server
    accepted the message): it is taken over, counted as a failure, and sent with the same Message-ID.
    """
    now = now or timezone.now()
    stale = now - claim_timeout()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING, send_after__lte=now)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(
            claimed_at=now,
            attempts=F("attempts") + 1,
            failures=F("failures") + Case(When(claimed_at__isnull=False, then=1), default=0),
        )
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    kind = kind_get(notification.kind) if notification.kind else None
    if kind is not None and user_opted_out(user=notification.user, kind=kind):
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SKIPPED, claimed_at=None)
        return False
    try:
        _connection().send_messages([_email(notification)])
    except Exception as error:
        _connection_close()
        _delivery_failed(notification=notification, error=error, now=now)
        return False
    _mark_sent(notification=notification)
    return True


def _mark_sent(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), claimed_at=None, last_error=""
    )


def _delivery_failed(*, notification: Notification, error: Exception, now: datetime) -> None:
    unreachable = _server_unreachable(error)
    failures = notification.failures + (0 if unreachable else 1)
    status = Notification.Status.FAILED if failures >= max_failures() else Notification.Status.PENDING
    logger.warning("Notification %s not delivered (%s): %s", notification.pk, type(error).__name__, error)
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=None,
        queued_at=None,
        failures=failures,
        status=status,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        send_after=now + retry_delay(notification.attempts),
    )


def notifications_sweep(*, now: datetime | None = None, limit: int = 5000) -> int:
    """The beat task: release lost claims, dead-letter what failed too often, re-enqueue what is due.

    A message is due when its ``send_after`` passed a grace period ago (the normal after-commit task
    gets the first go). Returns how many deliveries it enqueued.
    """
    now = now or timezone.now()
    stale = now - claim_timeout()
    lost = Notification.objects.filter(status=Notification.Status.PENDING, claimed_at__lt=stale)
    # A claim this old means the worker died mid-delivery (perhaps after the server accepted it).
    lost.update(
        claimed_at=None,
        failures=F("failures") + 1,
        last_error=_("Zustellung abgebrochen (Worker verloren); wird mit derselben Message-ID erneut gesendet."),
    )
    Notification.objects.filter(status=Notification.Status.PENDING, failures__gte=max_failures()).update(
        status=Notification.Status.FAILED
    )
    grace = timedelta(seconds=int(_setting("NOTIFICATIONS_SWEEP_GRACE", 30)))
    # A task handed to the broker this long ago and still not run was lost (or the queue is that long).
    requeue = timedelta(seconds=int(_setting("NOTIFICATIONS_REQUEUE_AFTER", 5 * 60)))
    due = list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, claimed_at__isnull=True, send_after__lte=now - grace
        )
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - requeue))
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
    from .tasks import notification_deliver

    sent = 0
    for notification_id in due:
        Notification.objects.filter(pk=notification_id).update(queued_at=timezone.now())
        if not enqueue(notification_deliver, notification_id):
            Notification.objects.filter(pk=notification_id).update(queued_at=None)
            break  # the broker is down: the next sweep tries again
        sent += 1
    return sent


def notification_retry(*, notification_id: int) -> Notification:
    """A platform admin sends a dead letter again: back to pending with a clean failure count."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status not in (Notification.Status.FAILED, Notification.Status.PENDING):
            raise Conflict(
                "notifications.not_retryable",
                _("Nur wartende oder fehlgeschlagene Nachrichten können erneut gesendet werden."),
            )
        notification.status = Notification.Status.PENDING
        notification.failures = 0
        notification.claimed_at = None
        notification.queued_at = None
        notification.send_after = timezone.now()
        notification.save(update_fields=["status", "failures", "claimed_at", "queued_at", "send_after"])
        _deliver_on_commit(notification.pk)
    return notification


# ---------------------------------------------------------------------------------------------
# Opt-out
# ---------------------------------------------------------------------------------------------


def user_opt_out_set(*, user, kind: str, opted_out: bool) -> None:
    """A person opts out of (or back into) one kind; mandatory kinds cannot be opted out of."""
    registered = kind_get(kind)
    if opted_out and registered.mandatory:
        raise ValidationFailed(
            "notifications.mandatory_kind",
            _("„%(kind)s“ ist eine Pflichtnachricht und kann nicht abbestellt werden.") % {"kind": registered.label},
        )
    if opted_out:
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
    else:
        NotificationOptOut.objects.filter(user=user, kind=kind).delete()


def unsubscribe_token_read(*, token: str) -> tuple[int, str] | None:
    """The (user id, kind) of a one-click unsubscribe link, or None when it is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]
