"""Due-date reminders: once before the due date (configurable, default 7 days) and once when overdue.

The nightly beat task calls `due_reminders_send`. Each reminder is a notification with a dedupe
key naming the enrolment and its due date (the cycle): a job that runs twice, two workers at
once, or a run after a crash schedule nothing more; a new due date is a new cycle and gets its
own reminder. Course enrolments made through a learning path are reminded through the path.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lernplattform.notifications.models import Notification

from . import notify
from .models import Enrolment, PathEnrolment

BATCH = 500


@dataclass(frozen=True)
class ReminderResult:
    due_soon: int
    overdue: int


def reminder_days_before() -> int:
    return int(getattr(settings, "PROGRESS_REMINDER_DAYS_BEFORE", 7))


def overdue_window_days() -> int:
    """Overdue reminders go out for due dates at most this many days ago: switching the feature on
    (or a long outage) does not mail people about deadlines from years back."""
    return int(getattr(settings, "PROGRESS_OVERDUE_WINDOW_DAYS", 14))


def _taken(kind: str, keys: list[str]) -> set[str]:
    return set(Notification.objects.filter(kind=kind, dedupe_key__in=keys).values_list("dedupe_key", flat=True))


def _send(*, kind: str, candidates: list[tuple[str, object]], today: datetime.date) -> int:
    """Schedule one reminder per candidate whose key is not taken yet; batches of one transaction each."""
    sent = 0
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        taken = _taken(kind, [key for key, _e in batch])
        with transaction.atomic():
            for key, enrolment in batch:
                if key in taken:
                    continue
                if isinstance(enrolment, PathEnrolment):
                    title, url = enrolment.path.title, notify.path_url(enrolment.path)
                else:
                    title, url = enrolment.course.title, notify.course_url(enrolment.course)
                notify.due_reminder(
                    user=enrolment.user,
                    title=title,
                    url=url,
                    due_date=enrolment.due_date,
                    overdue=kind == notify.KIND_OVERDUE,
                    dedupe_key=key,
                    today=today,
                )
                sent += 1
    return sent


def due_reminders_send(*, today: datetime.date | None = None) -> ReminderResult:
    """Remind everyone whose due date is near or just passed, once per enrolment and due date."""
    today = today or timezone.localdate()
    soon_until = today + datetime.timedelta(days=reminder_days_before())
    overdue_from = today - datetime.timedelta(days=overdue_window_days())
    courses = (
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, due_date__isnull=False, user__is_active=True)
        .exclude(method=Enrolment.Method.PATH)
        .select_related("user", "course")
        .order_by("pk")
    )
    paths = (
        PathEnrolment.objects.filter(status=PathEnrolment.Status.ACTIVE, due_date__isnull=False, user__is_active=True)
        .select_related("user", "path")
        .order_by("pk")
    )
    soon = [
        (f"enrolment:{e.pk}:{e.due_date}", e) for e in courses.filter(due_date__gte=today, due_date__lte=soon_until)
    ]
    soon += [
        (f"path_enrolment:{e.pk}:{e.due_date}", e) for e in paths.filter(due_date__gte=today, due_date__lte=soon_until)
    ]
    late = [
        (f"enrolment:{e.pk}:{e.due_date}", e) for e in courses.filter(due_date__lt=today, due_date__gte=overdue_from)
    ]
    late += [
        (f"path_enrolment:{e.pk}:{e.due_date}", e) for e in paths.filter(due_date__lt=today, due_date__gte=overdue_from)
    ]
    return ReminderResult(
        due_soon=_send(kind=notify.KIND_DUE_SOON, candidates=soon, today=today),
        overdue=_send(kind=notify.KIND_OVERDUE, candidates=late, today=today),
    )
