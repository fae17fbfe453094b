"""Kinds pre-registered by the notifications app itself.

Platform-level messages (password reset, security, messages to admins) belong here. The course kinds
are registered *provisionally* so the platform can schedule and admins can edit them before the
owning app registers its own (``courses.progress``, ``courses.certificates``, accounts' invitations):
an owner's ``register_kind`` with the same code takes the entry over.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .registry import register_kind

COURSE = {"course_title": _("Titel des Kurses"), "course_url": _("Adresse des Kurses")}
PATH = {"path_title": _("Titel des Lernpfads"), "path_url": _("Adresse des Lernpfads")}


def register_platform_kinds() -> None:
    register_kind(
        code="notifications.message",
        label=_("Nachricht der Plattform"),
        description=_("Einzelne Nachrichten ohne eigene Vorlage (z. B. an die Plattform-Administration)."),
        placeholders={"subject": _("Betreff"), "body": _("Text")},
        default_subject="{{ subject }}",
        default_text="{{ body }}",
        mandatory=True,
    )
    register_kind(
        code="accounts.password_reset",
        label=_("Passwort zurücksetzen"),
        placeholders={"reset_url": _("Link zum Setzen des neuen Passworts")},
        default_subject=_("Passwort zurücksetzen"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nSie haben ein neues Passwort für {{ platform_name }} angefordert. "
            "Über diesen Link setzen Sie es:\n\n{{ reset_url }}\n\n"
            "Wenn Sie das nicht waren, können Sie diese Nachricht ignorieren."
        ),
        mandatory=True,
        provisional=True,
    )
    register_kind(
        code="accounts.security",
        label=_("Sicherheitshinweis"),
        placeholders={"message": _("Hinweis")},
        default_subject=_("Sicherheitshinweis zu Ihrem Konto"),
        default_text=_("Guten Tag {{ recipient_name }},\n\n{{ message }}"),
        mandatory=True,
        provisional=True,
    )
    register_kind(
        code="accounts.invitation",
        label=_("Einladung"),
        placeholders={
            "organisation_name": _("Organisation"),
            "invite_url": _("Link zum Annehmen der Einladung"),
            "expires_on": _("Gültig bis"),
            "invited_by": _("Eingeladen von"),
        },
        default_subject=_("Einladung zu {{ platform_name }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\n{{ invited_by }} lädt Sie für {{ organisation_name }} zu "
            "{{ platform_name }} ein. Über diesen Link setzen Sie Ihr Passwort:\n\n{{ invite_url }}\n\n"
            "Der Link gilt bis {{ expires_on }}."
        ),
        mandatory=True,
        provisional=True,
    )
    register_kind(
        code="progress.enrolment_created",
        label=_("Einschreibung"),
        placeholders={**COURSE, "due_date": _("Fällig bis (falls gesetzt)")},
        default_subject=_("Sie sind eingeschrieben: {{ course_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nSie sind in „{{ course_title }}“ eingeschrieben.\n\n"
            "Zum Kurs: {{ course_url }}"
        ),
        provisional=True,
    )
    register_kind(
        code="progress.due_soon",
        label=_("Fälligkeit naht"),
        placeholders={**COURSE, "due_date": _("Fällig bis"), "days_left": _("Verbleibende Tage")},
        default_subject=_("Erinnerung: „{{ course_title }}“ ist bis {{ due_date }} abzuschließen"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\n„{{ course_title }}“ ist bis {{ due_date }} abzuschließen "
            "(noch {{ days_left }} Tage).\n\nZum Kurs: {{ course_url }}"
        ),
        provisional=True,
    )
    register_kind(
        code="progress.overdue",
        label=_("Überfällig"),
        placeholders={**COURSE, "due_date": _("Fällig bis")},
        default_subject=_("Überfällig: {{ course_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\n„{{ course_title }}“ war bis {{ due_date }} abzuschließen.\n\n"
            "Zum Kurs: {{ course_url }}"
        ),
        provisional=True,
    )
    register_kind(
        code="progress.course_completed",
        label=_("Kurs abgeschlossen"),
        placeholders={**COURSE, "completed_on": _("Abgeschlossen am")},
        default_subject=_("Abgeschlossen: {{ course_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nSie haben „{{ course_title }}“ am {{ completed_on }} abgeschlossen."
        ),
        provisional=True,
    )
    register_kind(
        code="progress.path_completed",
        label=_("Lernpfad abgeschlossen"),
        placeholders={**PATH, "completed_on": _("Abgeschlossen am")},
        default_subject=_("Lernpfad abgeschlossen: {{ path_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nSie haben den Lernpfad „{{ path_title }}“ am {{ completed_on }} "
            "abgeschlossen."
        ),
        provisional=True,
    )
    certificate = {
        **COURSE,
        "certificate_url": _("Adresse des Zertifikats"),
        "verify_url": _("Öffentliche Prüfadresse"),
        "valid_until": _("Gültig bis"),
    }
    register_kind(
        code="certificates.issued",
        label=_("Zertifikat ausgestellt"),
        placeholders=certificate,
        default_subject=_("Ihr Zertifikat: {{ course_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nIhr Zertifikat für „{{ course_title }}“ ist ausgestellt:\n"
            "{{ certificate_url }}"
        ),
        provisional=True,
    )
    register_kind(
        code="certificates.expiring",
        label=_("Zertifikat läuft ab"),
        placeholders=certificate,
        default_subject=_("Ihr Zertifikat „{{ course_title }}“ läuft am {{ valid_until }} ab"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nIhr Zertifikat für „{{ course_title }}“ gilt bis {{ valid_until }}."
            "\n\nZum Kurs: {{ course_url }}"
        ),
        provisional=True,
    )
    register_kind(
        code="certificates.recertification_due",
        label=_("Rezertifizierung fällig"),
        placeholders=certificate,
        default_subject=_("Rezertifizierung fällig: {{ course_title }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\nfür „{{ course_title }}“ ist die Rezertifizierung fällig "
            "(Zertifikat gültig bis {{ valid_until }}).\n\nZum Kurs: {{ course_url }}"
        ),
        provisional=True,
    )
