"""E-mails the platform sends: one record per message, so delivery can be retried and audited."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An e-mail to one or more people; delivered by a Celery task, at most once."""

    recipients = models.JSONField(_("Empfänger/innen"), default=list)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    reply_to = models.EmailField(_("Antwort an"), blank=True)
    topic = models.CharField(
        _("Anlass"), max_length=64, blank=True, help_text=_("Woher die Nachricht kommt, z. B. barrier_report.")
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return self.subject
