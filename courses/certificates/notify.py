"""The messages certificates send, through lernplattform.notifications.

Each message has a dedupe key naming the certificate and the cycle (e.g. the 30-day reminder of
certificate 12), so a job that runs twice or two racing workers write it once. With the
notifications kind registry (`notifications.registry`) the key is that app's unique
(kind, dedupe_key); without it, the key is kept in `Notification.topic` and checked before sending.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from lernplattform.notifications.models import Notification

CERTIFICATE_PLACEHOLDERS = {
    "course_title": _("Titel des Kurses"),
    "course_url": _("Adresse des Kurses"),
    "certificate_url": _("Adresse des Zertifikats"),
    "verify_url": _("Öffentliche Prüfadresse"),
    "valid_until": _("Gültig bis"),
    "person_name": _("Name der Person mit dem Zertifikat"),
}

# code -> (label, subject, text); {{ name }} placeholders as the notifications registry fills them.
KINDS: dict[str, tuple[Any, Any, Any]] = {
    "certificates.issued": (
        _("Zertifikat ausgestellt"),
        _("Ihr Zertifikat: {{ course_title }}"),
        _(
            "Guten Tag {{ recipient_name }},\n\nIhr Zertifikat für „{{ course_title }}“ ist ausgestellt. "
            "Sie finden es unter „Meine Zertifikate“:\n{{ certificate_url }}\n\n"
            "Öffentliche Prüfadresse: {{ verify_url }}\nGültig bis: {{ valid_until }}"
        ),
    ),
    "certificates.expiring": (
        _("Zertifikat läuft ab"),
        _("Das Zertifikat „{{ course_title }}“ läuft am {{ valid_until }} ab"),
        _(
            "Guten Tag {{ recipient_name }},\n\ndas Zertifikat von {{ person_name }} für „{{ course_title }}“ "
            "gilt bis {{ valid_until }}. Zum Verlängern den Kurs erneut abschließen:\n{{ course_url }}\n\n"
            "Zertifikate: {{ certificate_url }}"
        ),
    ),
    "certificates.expired": (
        _("Zertifikat abgelaufen"),
        _("Das Zertifikat „{{ course_title }}“ ist abgelaufen"),
        _(
            "Guten Tag {{ recipient_name }},\n\ndas Zertifikat von {{ person_name }} für „{{ course_title }}“ "
            "ist am {{ valid_until }} abgelaufen. Mit dem Kurs lässt es sich erneuern:\n{{ course_url }}"
        ),
    ),
    "certificates.recertification_due": (
        _("Rezertifizierung fällig"),
        _("Rezertifizierung: {{ course_title }}"),
        _(
            "Guten Tag {{ recipient_name }},\n\nIhr Zertifikat für „{{ course_title }}“ gilt bis {{ valid_until }}. "
            "Sie sind erneut in den Kurs eingeschrieben; schließen Sie ihn bis dahin ab, um es zu verlängern:\n"
            "{{ course_url }}"
        ),
    ),
    "certificates.path_recertification_due": (
        _("Rezertifizierung fällig (Lernpfad)"),
        _("Rezertifizierung: {{ course_title }}"),
        _(
            "Guten Tag {{ recipient_name }},\n\nIhr Zertifikat für den Lernpfad „{{ course_title }}“ gilt bis "
            "{{ valid_until }}. Sie sind erneut in den Lernpfad eingeschrieben; schließen Sie seine Kurse bis "
            "dahin noch einmal ab, um es zu verlängern:\n{{ course_url }}"
        ),
    ),
    "certificates.scheduled_publish_refused": (
        _("Geplante Veröffentlichung abgelehnt (Zertifikat ohne Test)"),
        _("„{{ course_title }}“ wurde nicht veröffentlicht"),
        _(
            "Guten Tag {{ recipient_name }},\n\nder Kurs „{{ course_title }}“ sollte zum geplanten Zeitpunkt "
            "veröffentlicht werden. Das ist nicht geschehen: Dieser Kurs stellt ein Zertifikat aus und braucht "
            "deshalb mindestens einen veröffentlichten Pflicht-Test, der auf dem Server bewertet wird. Fügen Sie "
            "einen Test hinzu und markieren Sie ihn als Pflichtaktivität, oder entfernen Sie die "
            "Zertifikatsvorlage. Der Entwurf ist gespeichert; die Planung ist aufgehoben, veröffentlichen oder "
            "planen Sie ihn danach erneut:\n{{ course_url }}"
        ),
    ),
    "certificates.name_missing": (
        _("Name für das Zertifikat fehlt"),
        _("Bitte ergänzen Sie Ihren Namen für das Zertifikat „{{ course_title }}“"),
        _(
            "Guten Tag,\n\nSie haben „{{ course_title }}“ abgeschlossen. Für das Zertifikat brauchen wir Ihren "
            "vollständigen Namen (Vor- und Nachname), so wie er gedruckt werden soll. Bitte ergänzen Sie ihn "
            "in Ihrem Profil; das Zertifikat wird danach ausgestellt:\n{{ certificate_url }}"
        ),
    ),
}


def registry_available() -> bool:
    return importlib.util.find_spec("lernplattform.notifications.registry") is not None


def kinds_register() -> None:
    """Register our kinds with the notifications registry, where it exists (called from apps.ready)."""
    if not registry_available():
        return
    from lernplattform.notifications.registry import register_kind

    for code, (label, subject, text) in KINDS.items():
        register_kind(
            code=code,
            label=label,
            placeholders=CERTIFICATE_PLACEHOLDERS,
            default_subject=subject,
            default_text=text,
        )


def _fill(text: Any, context: dict[str, str]) -> str:
    result = str(text)
    for name, value in context.items():
        result = result.replace("{{ " + name + " }}", str(value))
    return result


def notify(
    *, kind: str, dedupe_key: str, user: Any = None, recipients: Iterable[str] = (), context: dict[str, str]
) -> Notification | None:
    """Schedule one message once per dedupe key, in the caller's transaction."""
    if registry_available():
        from lernplattform.notifications.services import notification_schedule

        return notification_schedule(
            kind=kind, dedupe_key=dedupe_key, user=user, recipients=list(recipients), context=context
        )
    from lernplattform.notifications.services import notification_send

    topic = f"{kind}:{dedupe_key}"[:64]
    existing = Notification.objects.filter(topic=topic).first()
    if existing is not None:
        return existing
    _label, subject, text = KINDS[kind]
    values = {"recipient_name": getattr(user, "full_name", "") or "", **context}
    addresses = [*([user.email] if user is not None else []), *recipients]
    return notification_send(
        recipients=addresses, subject=_fill(subject, values), body=_fill(text, values), topic=topic
    )
