"""What progress tells people by e-mail: enrolments, due dates, completions.

Every message goes through `lernplattform.notifications` (the one way the platform e-mails
anyone) as a row written in the caller's transaction, so it is sent once the enrolment or
completion has committed and never for one that was rolled back. `_send` is the one place that
talks to the notifications app.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from lernplattform.notifications.services import notification_send

if TYPE_CHECKING:
    from lernplattform.accounts.models import User

    from .models import CourseCompletion, Enrolment, PathCompletion, PathEnrolment

# Notification kinds (stable names; the notifications app may register templates under them).
KIND_ENROLMENT = "enrolment"
KIND_PATH_ENROLMENT = "path_enrolment"
KIND_DUE_SOON = "due_soon"
KIND_OVERDUE = "overdue"
KIND_COURSE_COMPLETED = "course_completed"
KIND_PATH_COMPLETED = "path_completed"

# Enrolments made for someone else are announced; the learner's own ones are not.
ANNOUNCED_METHODS = {"admin", "bulk", "rule"}


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _course_url(course) -> str:
    return _absolute(course.get_url() or reverse("progress:dashboard"))


def _path_url(path) -> str:
    return _absolute(reverse("progress:path_detail", args=[path.slug]))


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j. F Y")


def _send(*, kind: str, user: User, subject: str, body: str, dedupe_key: str = "") -> None:
    notification_send(recipients=[user.email], subject=subject, body=body, topic=kind)


def _greeting(user: User) -> str:
    return _("Guten Tag %(name)s,") % {"name": user.full_name or user.email}


def _signature() -> str:
    return _("Ihre Lernplattform\n\nMeine Kurse: %(url)s") % {"url": _absolute(reverse("progress:dashboard"))}


def enrolments_announce(*, enrolments: Iterable[Enrolment]) -> None:
    """Tell people an admin (or a rule) enrolled them in a course."""
    with translation.override(settings.LANGUAGE_CODE):
        for enrolment in enrolments:
            if enrolment.method not in ANNOUNCED_METHODS or enrolment.status != "active":
                continue
            course = enrolment.course
            due = (
                _("Bitte schließen Sie den Kurs bis zum %(date)s ab.") % {"date": _date(enrolment.due_date)}
                if enrolment.due_date
                else ""
            )
            body = "\n\n".join(
                p
                for p in (
                    _greeting(enrolment.user),
                    _("Sie sind in den Kurs „%(title)s“ eingeschrieben.") % {"title": course.title},
                    due,
                    _("Zum Kurs: %(url)s") % {"url": _course_url(course)},
                    _("Falls Sie noch kein Passwort haben, folgen Sie zuerst dem Link in Ihrer Einladung."),
                    _signature(),
                )
                if p
            )
            _send(
                kind=KIND_ENROLMENT,
                user=enrolment.user,
                subject=_("Eingeschrieben: %(title)s") % {"title": course.title},
                body=body,
                dedupe_key=f"{KIND_ENROLMENT}:enrolment:{enrolment.pk}",
            )


def path_enrolments_announce(*, enrolments: Iterable[PathEnrolment]) -> None:
    """Tell people an admin (or a rule) enrolled them in a learning path."""
    with translation.override(settings.LANGUAGE_CODE):
        for enrolment in enrolments:
            if enrolment.method not in ANNOUNCED_METHODS:
                continue
            path = enrolment.path
            due = (
                _("Bitte schließen Sie den Lernpfad bis zum %(date)s ab.") % {"date": _date(enrolment.due_date)}
                if enrolment.due_date
                else ""
            )
            body = "\n\n".join(
                p
                for p in (
                    _greeting(enrolment.user),
                    _("Sie sind in den Lernpfad „%(title)s“ eingeschrieben.") % {"title": path.title},
                    due,
                    _("Zum Lernpfad: %(url)s") % {"url": _path_url(path)},
                    _("Falls Sie noch kein Passwort haben, folgen Sie zuerst dem Link in Ihrer Einladung."),
                    _signature(),
                )
                if p
            )
            _send(
                kind=KIND_PATH_ENROLMENT,
                user=enrolment.user,
                subject=_("Eingeschrieben in den Lernpfad: %(title)s") % {"title": path.title},
                body=body,
                dedupe_key=f"{KIND_PATH_ENROLMENT}:path_enrolment:{enrolment.pk}",
            )


def due_reminder(*, user: User, title: str, url: str, due_date: datetime.date, overdue: bool, dedupe_key: str) -> None:
    """A reminder of a due date, before it (due soon) or after it (overdue)."""
    with translation.override(settings.LANGUAGE_CODE):
        if overdue:
            subject = _("Überfällig: %(title)s") % {"title": title}
            text = _("„%(title)s“ sollte bis zum %(date)s abgeschlossen sein. Bitte holen Sie das bald nach.") % {
                "title": title,
                "date": _date(due_date),
            }
        else:
            subject = _("Erinnerung: „%(title)s“ bis %(date)s abschließen") % {"title": title, "date": _date(due_date)}
            text = _("Bitte denken Sie daran: „%(title)s“ ist bis zum %(date)s abzuschließen.") % {
                "title": title,
                "date": _date(due_date),
            }
        body = "\n\n".join([_greeting(user), text, _("Weiterlernen: %(url)s") % {"url": url}, _signature()])
        _send(
            kind=KIND_OVERDUE if overdue else KIND_DUE_SOON,
            user=user,
            subject=subject,
            body=body,
            dedupe_key=dedupe_key,
        )


def course_completion_announce(*, completion: CourseCompletion) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            [
                _greeting(completion.user),
                _("Herzlichen Glückwunsch! Sie haben den Kurs „%(title)s“ am %(date)s abgeschlossen.")
                % {"title": completion.course_title, "date": _date(completion.completed_at.date())},
                _signature(),
            ]
        )
        _send(
            kind=KIND_COURSE_COMPLETED,
            user=completion.user,
            subject=_("Kurs abgeschlossen: %(title)s") % {"title": completion.course_title},
            body=body,
            dedupe_key=f"{KIND_COURSE_COMPLETED}:course_completion:{completion.pk}",
        )


def path_completion_announce(*, completion: PathCompletion) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = completion.path.title
        body = "\n\n".join(
            [
                _greeting(completion.user),
                _("Herzlichen Glückwunsch! Sie haben den Lernpfad „%(title)s“ am %(date)s abgeschlossen.")
                % {"title": title, "date": _date(completion.completed_at.date())},
                _signature(),
            ]
        )
        _send(
            kind=KIND_PATH_COMPLETED,
            user=completion.user,
            subject=_("Lernpfad abgeschlossen: %(title)s") % {"title": title},
            body=body,
            dedupe_key=f"{KIND_PATH_COMPLETED}:path_completion:{completion.pk}",
        )
