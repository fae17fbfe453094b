"""What progress tells people by e-mail: enrolments, due dates, completions.

Every message goes through `lernplattform.notifications.services.notification_schedule` (the one
way the platform e-mails anyone) as a row written in the caller's transaction, so it is sent once
the enrolment or completion has committed and never for one that was rolled back. Each carries a
dedupe key (kind, object, cycle): scheduling it again – a job that runs twice, two racing workers –
sends nothing more. The kinds and their German default texts are registered in `register_kinds`
(called from the app config); platform admins can edit the texts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lernplattform.notifications.registry import register_kind
from lernplattform.notifications.services import notification_schedule

if TYPE_CHECKING:
    from lernplattform.accounts.models import User

    from .models import CourseCompletion, Enrolment, PathCompletion, PathEnrolment

KIND_ENROLMENT = "progress.enrolment_created"
KIND_PATH_ENROLMENT = "progress.path_enrolment_created"
KIND_DUE_SOON = "progress.due_soon"
KIND_OVERDUE = "progress.overdue"
KIND_COURSE_COMPLETED = "progress.course_completed"
KIND_PATH_COMPLETED = "progress.path_completed"

# Enrolments made for someone else are announced; the learner's own ones are not.
ANNOUNCED_METHODS = {"admin", "bulk", "rule"}


def register_kinds() -> None:
    course = {"course_title": gettext_lazy("Titel des Kurses"), "course_url": gettext_lazy("Adresse des Kurses")}
    path = {"path_title": gettext_lazy("Titel des Lernpfads"), "path_url": gettext_lazy("Adresse des Lernpfads")}
    due = {"due_date": gettext_lazy("Zu erledigen bis (oder „ohne Frist“)")}
    target = {
        "course_title": gettext_lazy("Titel des Kurses oder Lernpfads"),
        "course_url": gettext_lazy("Adresse des Kurses oder Lernpfads"),
        "due_date": gettext_lazy("Zu erledigen bis"),
    }
    register_kind(
        code=KIND_ENROLMENT,
        label=gettext_lazy("Einschreibung in einen Kurs"),
        description=gettext_lazy("Wenn die Organisationsverwaltung oder eine Regel jemanden einschreibt."),
        placeholders={**course, **due},
        default_subject=gettext_lazy("Sie sind eingeschrieben: {{ course_title }}"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\nSie sind in den Kurs „{{ course_title }}“ eingeschrieben.\n"
            "Zu erledigen bis: {{ due_date }}\n\nZum Kurs: {{ course_url }}\n\n"
            "Falls Sie noch kein Passwort haben, folgen Sie zuerst dem Link in Ihrer Einladung."
        ),
    )
    register_kind(
        code=KIND_PATH_ENROLMENT,
        label=gettext_lazy("Einschreibung in einen Lernpfad"),
        description=gettext_lazy("Wenn die Organisationsverwaltung oder eine Regel jemanden einschreibt."),
        placeholders={**path, **due},
        default_subject=gettext_lazy("Sie sind eingeschrieben: Lernpfad {{ path_title }}"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\nSie sind in den Lernpfad „{{ path_title }}“ eingeschrieben.\n"
            "Zu erledigen bis: {{ due_date }}\n\nZum Lernpfad: {{ path_url }}"
        ),
    )
    register_kind(
        code=KIND_DUE_SOON,
        label=gettext_lazy("Fälligkeit naht"),
        description=gettext_lazy("Einmal, eine einstellbare Zahl von Tagen vor dem Fälligkeitsdatum."),
        placeholders={**target, "days_left": gettext_lazy("Verbleibende Tage")},
        default_subject=gettext_lazy("Erinnerung: „{{ course_title }}“ ist bis {{ due_date }} abzuschließen"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\n„{{ course_title }}“ ist bis {{ due_date }} abzuschließen "
            "(noch {{ days_left }} Tage).\n\nWeiterlernen: {{ course_url }}"
        ),
    )
    register_kind(
        code=KIND_OVERDUE,
        label=gettext_lazy("Überfällig"),
        description=gettext_lazy("Einmal, am Tag nach dem Fälligkeitsdatum, wenn noch nicht abgeschlossen."),
        placeholders=target,
        default_subject=gettext_lazy("Überfällig: {{ course_title }}"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\n„{{ course_title }}“ war bis {{ due_date }} abzuschließen. "
            "Bitte holen Sie das bald nach.\n\nWeiterlernen: {{ course_url }}"
        ),
    )
    register_kind(
        code=KIND_COURSE_COMPLETED,
        label=gettext_lazy("Kurs abgeschlossen"),
        placeholders={**course, "completed_on": gettext_lazy("Abgeschlossen am")},
        default_subject=gettext_lazy("Abgeschlossen: {{ course_title }}"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\nherzlichen Glückwunsch! Sie haben „{{ course_title }}“ am "
            "{{ completed_on }} abgeschlossen.\n\nZum Kurs: {{ course_url }}"
        ),
    )
    register_kind(
        code=KIND_PATH_COMPLETED,
        label=gettext_lazy("Lernpfad abgeschlossen"),
        placeholders={**path, "completed_on": gettext_lazy("Abgeschlossen am")},
        default_subject=gettext_lazy("Lernpfad abgeschlossen: {{ path_title }}"),
        default_text=gettext_lazy(
            "Guten Tag {{ recipient_name }},\n\nherzlichen Glückwunsch! Sie haben den Lernpfad „{{ path_title }}“ "
            "am {{ completed_on }} abgeschlossen.\n\nZum Lernpfad: {{ path_url }}"
        ),
    )


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def course_url(course) -> str:
    return _absolute(course.get_url() or reverse("progress:dashboard"))


def path_url(path) -> str:
    return _absolute(reverse("progress:path_detail", args=[path.slug]))


def day(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else _("ohne Frist")


def enrolments_announce(*, enrolments: Iterable[Enrolment]) -> None:
    """Tell people an admin (or a rule) enrolled them in a course."""
    for enrolment in enrolments:
        if enrolment.method not in ANNOUNCED_METHODS or enrolment.status != "active":
            continue
        notification_schedule(
            kind=KIND_ENROLMENT,
            dedupe_key=f"enrolment:{enrolment.pk}",
            user=enrolment.user,
            context={
                "course_title": enrolment.course.title,
                "course_url": course_url(enrolment.course),
                "due_date": day(enrolment.due_date),
            },
        )


def path_enrolments_announce(*, enrolments: Iterable[PathEnrolment]) -> None:
    """Tell people an admin (or a rule) enrolled them in a learning path."""
    for enrolment in enrolments:
        if enrolment.method not in ANNOUNCED_METHODS:
            continue
        notification_schedule(
            kind=KIND_PATH_ENROLMENT,
            dedupe_key=f"path_enrolment:{enrolment.pk}",
            user=enrolment.user,
            context={
                "path_title": enrolment.path.title,
                "path_url": path_url(enrolment.path),
                "due_date": day(enrolment.due_date),
            },
        )


def due_reminder(
    *, user: User, title: str, url: str, due_date: datetime.date, overdue: bool, dedupe_key: str, today: datetime.date
) -> None:
    """A reminder of a due date, before it (due soon) or after it (overdue); once per key."""
    context = {"course_title": title, "course_url": url, "due_date": day(due_date)}
    if not overdue:
        context["days_left"] = str(max(0, (due_date - today).days))
    notification_schedule(
        kind=KIND_OVERDUE if overdue else KIND_DUE_SOON, dedupe_key=dedupe_key, user=user, context=context
    )


def course_completion_announce(*, completion: CourseCompletion) -> None:
    notification_schedule(
        kind=KIND_COURSE_COMPLETED,
        dedupe_key=f"course_completion:{completion.pk}",
        user=completion.user,
        context={
            "course_title": completion.course_title,
            "course_url": course_url(completion.course),
            "completed_on": day(timezone.localdate(completion.completed_at)),
        },
    )


def path_completion_announce(*, completion: PathCompletion) -> None:
    notification_schedule(
        kind=KIND_PATH_COMPLETED,
        dedupe_key=f"path_completion:{completion.pk}",
        user=completion.user,
        context={
            "path_title": completion.path.title,
            "path_url": path_url(completion.path),
            "completed_on": day(timezone.localdate(completion.completed_at)),
        },
    )
