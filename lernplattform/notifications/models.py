"""E-mails the platform sends: one record per message, so delivery can be retried and audited."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PreviewableMixin


class Notification(models.Model):
    """An e-mail to one or more people: the outbox row, written in the transaction that caused it.

    A task delivers it after commit; a beat sweeper re-enqueues what a lost task or a broker outage left
    pending, and moves what failed too often to the dead letters (``failed``) for the platform admins.
    """

    # The outbox has an admin view, which registers it for Wagtail's reference index; nobody asks
    # "where is this person used" through outbox rows, and indexing cost five statements per e-mail.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        SENT = "sent", _("Versendet")
        FAILED = "failed", _("Fehlgeschlagen")
        SKIPPED = "skipped", _("Nicht versendet (abbestellt)")

    kind = models.CharField(_("Art"), max_length=64, blank=True, db_index=True)
    # (kind, object, cycle), e.g. "enrolment:42:2027-03-01": the same reminder is scheduled only once.
    dedupe_key = models.CharField(_("Schlüssel gegen Doppelversand"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.JSONField(_("Empfänger/innen"), default=list)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML"), blank=True)
    context = models.JSONField(_("Platzhalter-Werte"), default=dict, blank=True)
    reply_to = models.EmailField(_("Antwort an"), blank=True)
    topic = models.CharField(
        _("Anlass"), max_length=64, blank=True, help_text=_("Woher die Nachricht kommt, z. B. barrier_report.")
    )
    # Stable across resends: a resend after a crash between SMTP acceptance and our commit carries
    # the same Message-ID, so mail servers and clients can recognise the duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True, null=True, editable=False)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    send_after = models.DateTimeField(_("Frühestens senden ab"), default=timezone.now)
    claimed_at = models.DateTimeField(_("In Zustellung seit"), null=True, blank=True)
    # When a delivery task was last handed to the broker; empty when that failed (broker down) or a
    # retry is due, so the sweeper knows what needs a task without flooding a busy queue with copies.
    queued_at = models.DateTimeField(_("An die Warteschlange übergeben"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    # Failures of the message itself (refused recipient, 5xx, lost worker); an unreachable mail server
    # is not the message's fault and only delays it.
    failures = models.PositiveSmallIntegerField(_("Fehlschläge"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sent_at"]),
            models.Index(fields=["status", "send_after"], name="notification_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_unique_dedupe_key"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationTemplate(PreviewableMixin, models.Model):
    """A platform admin's wording of one kind of message (subject, plain text, HTML), in German."""

    kind = models.CharField(_("Art"), max_length=64, unique=True)
    subject = models.CharField(_("Betreff"), max_length=200)
    text = models.TextField(_("Text"), help_text=_("Platzhalter in doppelten geschweiften Klammern: {{ name }}."))
    html = models.TextField(
        _("HTML"), blank=True, help_text=_("Leer lassen, um den Text als einfaches HTML zu versenden.")
    )
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Nachrichtenvorlage")
        verbose_name_plural = _("Nachrichtenvorlagen")
        ordering = ["kind"]

    def __str__(self) -> str:
        from .registry import kind_exists, kind_get

        return str(kind_get(self.kind).label) if kind_exists(self.kind) else self.kind

    def get_preview_template(self, request, mode_name):
        return "notifications/admin/template_preview.html"

    def get_preview_context(self, request, mode_name):
        from .services import template_preview

        return {**super().get_preview_context(request, mode_name), **template_preview(template=self)}


class NotificationOptOut(models.Model):
    """A person does not want one kind of message (mandatory kinds are sent regardless)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=64)
    created_at = models.DateTimeField(_("Abbestellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abbestellung")
        verbose_name_plural = _("Abbestellungen")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_optout_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
