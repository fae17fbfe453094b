"""The one completion service (DESIGN.md): enrolments, activity results, course and path completion.

Every way a result reaches the platform – lesson views, "mark as done", server-graded quizzes,
H5P xAPI statements, imports, tasks – goes through these functions; nothing else writes
enrolments or completions.

Concurrency: all writes for one person in one course run under a row lock on their enrolment
(`select_for_update`). Two requests at once for the same activity, or for two activities of the
same course, therefore run one after the other, and the second sees what the first committed –
so a course whose last two activities finish at the same moment still completes, exactly once.
Unique constraints back this up (one current enrolment, one completion per activity, course and
path); an IntegrityError from a racing insert is caught and the winner's row is used. Path
completion, which spans courses, locks the person's row instead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import PENDING_MESSAGE, user_is_pending, users_manageable_by
from lernplattform.core.errors import NotPermitted, ValidationFailed

from . import notify, rules
from .models import (
    ActivityCompletion,
    CourseCompletion,
    Enrolment,
    EnrolmentRule,
    LearningPath,
    LearningPathStep,
    PathCompletion,
    PathEnrolment,
)
from .selectors import (
    CURRENT,
    course_activities,
    course_grade,
    path_lock_message,
    path_lock_on_course,
    path_step_unlocked,
    user_may_manage,
)
from .signals import course_completed, path_completed

# Sources of results, as stored in ActivityCompletion.source.
SOURCE_LESSON_VIEW = "lesson_view"
SOURCE_LESSON_DONE = "lesson_done"


# Enrolment


def _current_enrolment_for_update(*, user: User, course: CoursePage) -> Enrolment | None:
    return Enrolment.objects.select_for_update().filter(CURRENT, user=user, course=course).first()


def _enrolment_lock_or_create(
    *,
    user: User,
    course: CoursePage,
    enrolled_by: User | None,
    method: str,
    due_date: datetime.date | None = None,
) -> tuple[Enrolment, bool]:
    """The person's current enrolment, locked for this transaction; created if there is none."""
    enrolment = _current_enrolment_for_update(user=user, course=course)
    if enrolment is not None:
        return enrolment, False
    completed = CourseCompletion.objects.filter(user=user, course=course).first()
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                enrolled_by=enrolled_by,
                method=method,
                due_date=due_date,
                # Someone who finished the course before keeps it finished when enrolling again.
                status=Enrolment.Status.COMPLETED if completed else Enrolment.Status.ACTIVE,
                completed_at=completed.completed_at if completed else None,
            )
        return enrolment, True
    except IntegrityError:
        # A concurrent request enrolled the person first; use its enrolment.
        enrolment = _current_enrolment_for_update(user=user, course=course)
        if enrolment is None:  # pragma: no cover - the winner cannot vanish under READ COMMITTED
            raise
        return enrolment, False


def enrolment_create(
    *,
    user: User,
    course: CoursePage,
    enrolled_by: User,
    due_date: datetime.date | None = None,
    path: LearningPath | None = None,
    method: str | None = None,
    renewal: bool = False,
) -> Enrolment:
    """Enrol a person in a course: themselves, or someone in an organisation admin's scope.

    The one enrolment service: the course page, the org admin's form, the API and future bulk
    tools (CSV, rules) call it. Enrolling an already enrolled person returns their enrolment
    (an admin's due date updates it). Through a learning path, the step must be unlocked.

    ``renewal=True`` (recertification, courses.certificates) starts the next cycle for someone who
    completed the course: the enrolment becomes active again, only what they do from now on counts,
    and their earlier completion stays as history. Calling it again in the same cycle changes nothing.
    """
    if not isinstance(course, CoursePage):
        course = course.specific
    if not isinstance(course, CoursePage):
        raise ValidationError(_("Nur in Kurse kann man sich einschreiben."))
    if not course.live:
        raise ValidationError(_("Dieser Kurs ist nicht veröffentlicht."))
    if not user.is_active:
        raise ValidationError(_("Dieses Benutzerkonto ist deaktiviert."))
    if user_is_pending(user=user):
        raise PermissionDenied(PENDING_MESSAGE)
    self_enrolment = enrolled_by.pk == user.pk
    if not self_enrolment and not user_may_manage(viewer=enrolled_by, user=user):
        raise PermissionDenied(_("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich einschreiben."))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen.")})
    if path is not None and not path_step_unlocked(user=user, path=path, course=course):
        raise ValidationError(_("Dieser Schritt des Lernpfads ist noch gesperrt."))
    if path is None and self_enrolment and not renewal:
        # A person on a learning path takes its locked steps in order, by whatever route they come.
        lock = path_lock_on_course(user=user, course=course)
        if lock is not None:
            raise ValidationError(path_lock_message(lock))
    renewal_method = method or Enrolment.Method.RENEWAL
    method = method or (Enrolment.Method.SELF if self_enrolment else Enrolment.Method.ADMIN)
    with transaction.atomic():
        enrolment, created = _enrolment_lock_or_create(
            user=user, course=course, enrolled_by=enrolled_by, method=method, due_date=due_date
        )
        if renewal:
            return _enrolment_next_cycle(
                enrolment=enrolment, enrolled_by=enrolled_by, due_date=due_date, method=renewal_method
            )
        if not created and due_date is not None and not self_enrolment and enrolment.due_date != due_date:
            enrolment.due_date = due_date
            enrolment.save(update_fields=["due_date"])
        if created:
            notify.enrolments_announce(enrolments=[enrolment])
    return enrolment


def _enrolment_next_cycle(
    *, enrolment: Enrolment, enrolled_by: User, due_date: datetime.date | None, method: str = Enrolment.Method.RENEWAL
) -> Enrolment:
    """Open the next cycle on a locked enrolment whose current cycle is completed (else leave it).

    A course renewed for a learning path's next cycle says so (method "path"): like any course taken
    through a path, it is reminded of its due date through the path, not on its own.
    """
    completed_cycle = CourseCompletion.objects.filter(
        user_id=enrolment.user_id, course_id=enrolment.course_id, cycle=enrolment.cycle
    ).exists()
    if not completed_cycle:
        return enrolment  # the current cycle is still open: nothing to renew yet
    enrolment.cycle += 1
    enrolment.cycle_started_at = timezone.now()
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.completed_at = None
    enrolment.method = method
    enrolment.enrolled_by = enrolled_by
    enrolment.due_date = due_date
    enrolment.save(
        update_fields=["cycle", "cycle_started_at", "status", "completed_at", "method", "enrolled_by", "due_date"]
    )
    return enrolment


def enrolments_create_many(
    *,
    users: list[User],
    course: CoursePage,
    enrolled_by: User,
    due_date: datetime.date | None = None,
    method: str = Enrolment.Method.BULK,
    rule: EnrolmentRule | None = None,
) -> list[Enrolment]:
    """Enrol many people in a course at once (bulk upload, rules, learning paths): the same rules as
    `enrolment_create`, checked in a fixed number of queries for the whole list.

    People already enrolled keep their enrolment as it is (nothing changes on a second run); the
    new enrolments are returned. Everyone must be active and in the enrolling admin's scope.
    """
    if not isinstance(course, CoursePage):
        course = course.specific
    if not course.live:
        raise ValidationFailed("progress.course_not_live", _("Dieser Kurs ist nicht veröffentlicht."))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationFailed(
            "progress.due_date_past", _("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen.")
        )
    people = {u.pk: u for u in users}
    if not people:
        return []
    if any(not u.is_active for u in people.values()):
        raise ValidationFailed("progress.user_inactive", _("Dieses Benutzerkonto ist deaktiviert."))
    others = [pk for pk in people if pk != enrolled_by.pk]
    if others:
        visible = set(users_manageable_by(viewer=enrolled_by).filter(pk__in=others).values_list("pk", flat=True))
        if len(visible) != len(others):
            raise NotPermitted(
                "progress.enrol_scope", _("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich einschreiben.")
            )
    with transaction.atomic():
        enrolled = set(
            Enrolment.objects.filter(CURRENT, course=course, user_id__in=people).values_list("user_id", flat=True)
        )
        completed = {
            c.user_id: c.completed_at
            for c in CourseCompletion.objects.filter(course=course, user_id__in=people).only("user_id", "completed_at")
        }
        now = timezone.now()
        new = [
            Enrolment(
                user_id=pk,
                course=course,
                enrolled_by=enrolled_by,
                method=method,
                rule=rule,
                due_date=due_date,
                enrolled_at=now,
                # Someone who finished the course before keeps it finished when enrolled again.
                status=Enrolment.Status.COMPLETED if pk in completed else Enrolment.Status.ACTIVE,
                completed_at=completed.get(pk),
            )
            for pk in people
            if pk not in enrolled
        ]
        # A racing enrolment (the person enrolled themselves a moment ago) wins; ours is dropped.
        Enrolment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        created = list(
            Enrolment.objects.filter(
                CURRENT, course=course, user_id__in=[e.user_id for e in new], enrolled_at=now, enrolled_by=enrolled_by
            ).select_related("user", "course")
        )
        notify.enrolments_announce(enrolments=created)
    return created


def path_enrolments_create_many(
    *,
    users: list[User],
    path: LearningPath,
    enrolled_by: User,
    due_date: datetime.date | None = None,
    method: str = Enrolment.Method.BULK,
    rule: EnrolmentRule | None = None,
) -> list[PathEnrolment]:
    """Enrol many people in a learning path with its due date; the courses whose steps are open for
    each person are enrolled at once (with the same due date), later ones as they unlock."""
    if not path.live:
        raise ValidationFailed("progress.path_not_live", _("Dieser Lernpfad ist nicht veröffentlicht."))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationFailed(
            "progress.due_date_past", _("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen.")
        )
    people = {u.pk: u for u in users}
    if not people:
        return []
    others = [pk for pk in people if pk != enrolled_by.pk]
    if others:
        visible = set(users_manageable_by(viewer=enrolled_by).filter(pk__in=others).values_list("pk", flat=True))
        if len(visible) != len(others):
            raise NotPermitted(
                "progress.enrol_scope", _("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich einschreiben.")
            )
    with transaction.atomic():
        enrolled = set(
            PathEnrolment.objects.filter(path=path, user_id__in=people)
            .exclude(status=PathEnrolment.Status.CANCELLED)
            .values_list("user_id", flat=True)
        )
        # The latest completed cycle per person (renewals complete a path again).
        done = dict(
            PathCompletion.objects.filter(path=path, user_id__in=people)
            .order_by("cycle")
            .values_list("user_id", "cycle")
        )
        now = timezone.now()
        new = [
            PathEnrolment(
                user_id=pk,
                path=path,
                enrolled_by=enrolled_by,
                method=method,
                rule=rule,
                due_date=due_date,
                enrolled_at=now,
                status=PathEnrolment.Status.COMPLETED if pk in done else PathEnrolment.Status.ACTIVE,
                completed_at=now if pk in done else None,
                cycle=done.get(pk, 1),
            )
            for pk in people
            if pk not in enrolled
        ]
        PathEnrolment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        created = list(
            PathEnrolment.objects.filter(
                path=path, user_id__in=[e.user_id for e in new], enrolled_at=now, enrolled_by=enrolled_by
            ).select_related("user", "path")
        )
        # The open steps per person, from their completed courses (one query for everyone).
        steps = list(
            LearningPathStep.objects.filter(path=path)
            .select_related("course")
            .prefetch_related("prerequisites")
            .order_by("sort_order")
        )
        course_ids = [s.course_id for s in steps]
        completions: dict[int, set[int]] = {}
        for user_id, course_id in CourseCompletion.objects.filter(
            user_id__in=[e.user_id for e in created], course_id__in=course_ids
        ).values_list("user_id", "course_id"):
            completions.setdefault(user_id, set()).add(course_id)
        by_course: dict[int, list[User]] = {}
        for enrolment in created:
            if enrolment.status != PathEnrolment.Status.ACTIVE:
                continue
            for step in _open_steps(path=path, steps=steps, completed_ids=completions.get(enrolment.user_id, set())):
                by_course.setdefault(step.course_id, []).append(people[enrolment.user_id])
        courses = {s.course_id: s.course for s in steps}
        for course_id, members in by_course.items():
            if courses[course_id].live:
                enrolments_create_many(
                    users=members,
                    course=courses[course_id],
                    enrolled_by=enrolled_by,
                    due_date=due_date,
                    method=Enrolment.Method.PATH,
                )
        notify.path_enrolments_announce(enrolments=[e for e in created if e.status == PathEnrolment.Status.ACTIVE])
    return created


def _open_steps(
    *, path: LearningPath, steps: list[LearningPathStep], completed_ids: set[int]
) -> list[LearningPathStep]:
    """The steps a person can start now: unlocked (prerequisites and, on a sequential path, earlier
    required steps done) and not yet completed."""
    open_steps = []
    blocked = False
    for step in steps:
        missing = any(c.pk not in completed_ids for c in step.prerequisites.all()) or (path.sequential and blocked)
        if step.course_id not in completed_ids and not missing:
            open_steps.append(step)
        if step.is_required and step.course_id not in completed_ids:
            blocked = True
    return open_steps


def _path_enrolment_advance(*, user: User, path: LearningPath) -> None:
    """After a course completes: enrol the person in the path steps that just opened (same due date).

    In a renewal cycle of the path, a step whose course was completed in an earlier cycle opens
    that course's next cycle, as the course renewal does (`_enrolment_next_cycle`).
    """
    enrolment = PathEnrolment.objects.filter(user=user, path=path, status=PathEnrolment.Status.ACTIVE).first()
    if enrolment is None:
        return
    steps = list(
        LearningPathStep.objects.filter(path=path)
        .select_related("course")
        .prefetch_related("prerequisites")
        .order_by("sort_order")
    )
    course_ids = [s.course_id for s in steps]
    started = enrolment.cycle_started_at
    completed_ids = set(_course_completions_in_path_cycle(user=user, course_ids=course_ids, started=started))
    current = {e.course_id: e for e in Enrolment.objects.filter(CURRENT, user=user, course_id__in=course_ids)}
    due_date = enrolment.due_date if enrolment.due_date and enrolment.due_date >= timezone.localdate() else None
    for step in _open_steps(path=path, steps=steps, completed_ids=completed_ids):
        if not step.course.live:
            continue
        existing = current.get(step.course_id)
        if existing is None:
            _enrolment_lock_or_create(
                user=user,
                course=step.course,
                enrolled_by=enrolment.enrolled_by,
                method=Enrolment.Method.PATH,
                due_date=due_date,
            )
        elif started is not None and existing.status == Enrolment.Status.COMPLETED:
            locked = _current_enrolment_for_update(user=user, course=step.course)
            if locked is not None:
                _enrolment_next_cycle(
                    enrolment=locked,
                    enrolled_by=enrolment.enrolled_by or user,
                    due_date=due_date,
                    method=Enrolment.Method.PATH,
                )


def enrolment_cancel(*, enrolment: Enrolment, cancelled_by: User) -> Enrolment:
    """Unenrol: the record stays as history (status, date, who). Completed courses stay."""
    if cancelled_by.pk != enrolment.user_id and not user_may_manage(viewer=cancelled_by, user=enrolment.user):
        raise PermissionDenied(_("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich abmelden."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status == Enrolment.Status.CANCELLED:
            return locked
        if locked.status == Enrolment.Status.COMPLETED:
            raise ValidationError(_("Ein abgeschlossener Kurs bleibt abgeschlossen; eine Abmeldung ist nicht nötig."))
        locked.status = Enrolment.Status.CANCELLED
        locked.unenrolled_at = timezone.now()
        locked.unenrolled_by = cancelled_by
        locked.save(update_fields=["status", "unenrolled_at", "unenrolled_by"])
    return locked


# Activity results


def _activity_course(activity: Page) -> CoursePage | None:
    """The course an activity page belongs to (its parent), or None outside a course."""
    if activity.depth <= 1:
        return None
    return CoursePage.objects.filter(path=activity.path[: -Page.steplen]).first()


def _validate_scores(score: Decimal | None, max_score: Decimal | None) -> None:
    if score is not None and score < 0:
        raise ValidationError(_("Die Punktzahl darf nicht negativ sein."))
    if max_score is not None and max_score < 0:
        raise ValidationError(_("Die Höchstpunktzahl darf nicht negativ sein."))
    if score is not None and max_score is not None and score > max_score:
        raise ValidationError(_("Die Punktzahl darf die Höchstpunktzahl nicht übersteigen."))


def _completion_lock_or_create(*, user: User, activity: Page, course: CoursePage, source: str) -> ActivityCompletion:
    record = ActivityCompletion.objects.select_for_update().filter(user=user, activity_id=activity.pk).first()
    if record is not None:
        return record
    try:
        with transaction.atomic():
            return ActivityCompletion.objects.create(
                user=user,
                activity_id=activity.pk,
                activity_type=ContentType.objects.get_for_model(type(activity)),
                course=course,
                source=source,
            )
    except IntegrityError:
        return ActivityCompletion.objects.select_for_update().get(user=user, activity_id=activity.pk)


def _record(
    *,
    user: User,
    activity: Page,
    source: str,
    completes: bool,
    enrol: bool,
    result: dict[str, Any] | None = None,
    course: CoursePage | None = None,
) -> ActivityCompletion | None:
    """Record something a learner did in an activity, then re-evaluate the course."""
    if not getattr(user, "is_authenticated", False):
        return None
    course = course or _activity_course(activity)
    if course is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        if enrol:
            enrolment, _created = _enrolment_lock_or_create(
                user=user, course=course, enrolled_by=user, method=Enrolment.Method.AUTO
            )
        else:
            locked = _current_enrolment_for_update(user=user, course=course)
            if locked is None:
                return None  # browsing a course one is not enrolled in records nothing
            enrolment = locked
        record = _completion_lock_or_create(user=user, activity=activity, course=course, source=source)
        fields = ["source", "updated_at"]
        record.source = source
        # In a renewal cycle, what was done before the cycle began is history: it has to be done again.
        stale = _record_from_earlier_cycle(record, enrolment)
        if result is not None:
            record.score = result["score"]
            record.max_score = result["max_score"]
            record.passed = result["passed"]
            # Trust sticks: once a server-graded result exists, a browser result does not undo it.
            record.trusted = (record.trusted and not stale) or result["trusted"]
            record.result_count += 1
            fields += ["score", "max_score", "passed", "trusted", "result_count"]
        # Completion sticks too: a later failed attempt does not take a completed activity back.
        if not record.is_completed or stale:
            if completes:
                record.state = ActivityCompletion.State.COMPLETED
                record.completed_at = now
                fields += ["state", "completed_at"]
            elif result is not None and result["passed"] is False:
                record.state = ActivityCompletion.State.FAILED
                fields.append("state")
        record.save(update_fields=fields)
        enrolment.last_activity_id = activity.pk
        enrolment.last_activity_at = now
        enrolment.save(update_fields=["last_activity", "last_activity_at"])
        _course_completion_evaluate_locked(user=user, course=course, enrolment=enrolment)
    return record


def _record_from_earlier_cycle(record: ActivityCompletion, enrolment: Enrolment) -> bool:
    started = enrolment.cycle_started_at
    return bool(started and record.completed_at and record.completed_at < started)


def activity_result_record(
    *,
    user: User,
    activity: Page,
    score: Decimal | None,
    max_score: Decimal | None,
    passed: bool,
    trusted: bool,
    source: str,
) -> ActivityCompletion | None:
    """Record a graded result: quizzes (trusted, server-graded) and H5P (untrusted, from the browser).

    The caller reports the activity's current result under its own grading method (best, last,
    average); we keep the latest report, and whether it completes the activity follows the page's
    completion setting (see `rules`). Idempotent: the same result twice leaves one record. Taking
    an activity enrols the learner if they were not enrolled. Returns None outside a course.
    """
    score = Decimal(score) if score is not None else None
    max_score = Decimal(max_score) if max_score is not None else None
    _validate_scores(score, max_score)
    if not rules.is_activity(activity):
        return None  # only a course's activities complete; other pages record nothing
    completes = rules.result_meets_condition(activity, score=score, max_score=max_score, passed=passed)
    return _record(
        user=user,
        activity=activity,
        source=source,
        completes=completes,
        enrol=True,
        result={"score": score, "max_score": max_score, "passed": passed, "trusted": trusted},
    )


# When nothing else changes, a learner's position ("continue where you stopped") is written at most
# this often per course: reading through lessons already seen costs no write transaction.
POSITION_WRITE_INTERVAL = datetime.timedelta(minutes=1)


def _position_remember(*, enrolment: Enrolment, activity: Page, now: datetime.datetime) -> None:
    """Remember the learner's position, at most once per POSITION_WRITE_INTERVAL per enrolment.

    One conditional UPDATE, no transaction: two requests at once write at most once, and a position
    written less than a minute ago stays (the next step shown is the first unfinished one after it).
    """
    recent = now - POSITION_WRITE_INTERVAL
    if enrolment.last_activity_at is not None and enrolment.last_activity_at > recent:
        return
    written = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=recent))
        .update(last_activity_id=activity.pk, last_activity_at=now)
    )
    if written:
        enrolment.last_activity_id = activity.pk
        enrolment.last_activity_at = now


def _view_changes_record(*, record: ActivityCompletion | None, enrolment: Enrolment, completes: bool) -> bool:
    """Whether opening the activity changes its completion record (else only the position may change)."""
    if record is None:
        return True  # the first view of the activity
    return completes and (not record.is_completed or _record_from_earlier_cycle(record, enrolment))


def lesson_view_record(
    *,
    user: User,
    lesson: Page,
    enrolment: Enrolment | None = None,
    record: ActivityCompletion | None = None,
    known: bool = False,
) -> ActivityCompletion | None:
    """A learner opened a lesson: completes it if its mode is "viewed"; remembers where they are.

    Only for enrolled learners – browsing a course records nothing. Writes only when something
    changes: the first view (and, for "viewed" lessons, the completion it brings, with the course
    evaluated after it) runs the locked write of `_record`; a later view at most moves the position,
    once a minute. A caller that already loaded the learner's enrolment and this lesson's record
    (the page view, from the learner's course state) passes them with ``known=True``.
    """
    if not rules.is_activity(lesson) or not getattr(user, "is_authenticated", False):
        return None
    course = None
    if not known:
        course = _activity_course(lesson)
        if course is None:
            return None
        enrolment = Enrolment.objects.filter(CURRENT, user=user, course=course).first()
        record = ActivityCompletion.objects.filter(user=user, activity_id=lesson.pk).first() if enrolment else None
    if enrolment is None:
        return None
    completes = rules.lesson_completes_on_view(lesson)
    if not _view_changes_record(record=record, enrolment=enrolment, completes=completes):
        _position_remember(enrolment=enrolment, activity=lesson, now=timezone.now())
        return record
    return _record(
        user=user, activity=lesson, source=SOURCE_LESSON_VIEW, completes=completes, enrol=False, course=course
    )


def activity_visit_record(
    *, user: User, activity: Page, enrolment: Enrolment | None = None, known: bool = False
) -> None:
    """A learner opened a quiz or H5P activity: only remembered for "continue where you stopped"."""
    if not getattr(user, "is_authenticated", False):
        return
    if not known:
        course = _activity_course(activity)
        if course is None:
            return
        enrolment = Enrolment.objects.filter(CURRENT, user=user, course=course).first()
    if enrolment is not None:
        _position_remember(enrolment=enrolment, activity=activity, now=timezone.now())


def lesson_mark_done(*, user: User, lesson: Page) -> ActivityCompletion | None:
    """A learner marked a lesson as done (enrols them if needed)."""
    return _record(user=user, activity=lesson, source=SOURCE_LESSON_DONE, completes=True, enrol=True)


# Course and path completion


def course_completion_evaluate(*, user: User, course: CoursePage) -> CourseCompletion | None:
    """Check whether a person has completed a course (e.g. after a trainer changed its rules)."""
    with transaction.atomic():
        enrolment = _current_enrolment_for_update(user=user, course=course)
        if enrolment is None:
            return CourseCompletion.objects.filter(user=user, course=course).first()
        return _course_completion_evaluate_locked(user=user, course=course, enrolment=enrolment)


def _course_completion_evaluate_locked(
    *, user: User, course: CoursePage, enrolment: Enrolment
) -> CourseCompletion | None:
    """The course rule: the required activities complete (all, or as many as the rule says), each
    graded one with at least the rule's minimum score.

    A completed course stays completed whatever trainers change later. For a course that
    certifies, DESIGN.md's trust rule decides `certifiable`: at least one required activity must
    carry a trusted (server-graded) result; browser-made scores alone count toward progress only.
    """
    existing = CourseCompletion.objects.filter(user=user, course=course, cycle=enrolment.cycle).first()
    if existing is not None:
        return existing
    activities = course_activities(courses=[course])[course.pk]
    if not activities:
        return None
    required = [a for a in activities if a.is_required] or activities
    records = [
        r
        for r in ActivityCompletion.objects.filter(user=user, activity_id__in=[a.id for a in required])
        if not _record_from_earlier_cycle(r, enrolment)
    ]
    rule = rules.course_rule(course)
    done = [r for r in records if rule.counts(r)]
    if len(done) < rule.needed(len(required)):
        return None
    grade = course_grade(records=done)
    trusted = any(r.trusted for r in done)
    now = timezone.now()
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                user=user,
                course=course,
                completed_at=now,
                course_revision_id=course.live_revision_id,
                course_title=course.title,
                course_published_at=course.last_published_at,
                activity_ids=[a.id for a in activities],
                grade=grade,
                trusted=trusted,
                certifiable=rules.course_certifies(course) and trusted,
                cycle=enrolment.cycle,
            )
    except IntegrityError:
        return CourseCompletion.objects.get(user=user, course=course, cycle=enrolment.cycle)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    transaction.on_commit(
        lambda: course_completed.send(sender=CourseCompletion, completion=completion, user=user, course=course)
    )
    notify.course_completion_announce(completion=completion)
    for path in LearningPath.objects.filter(Q(steps__course=course) | Q(renewal_course=course)).distinct():
        if path_completion_evaluate(user=user, path=path) is None:
            _path_enrolment_advance(user=user, path=path)
    return completion


def path_cycle_enrolment(*, user: User, path: LearningPath) -> PathEnrolment | None:
    """The enrolment that says which cycle of a path a person is in: the current one, else the
    latest cancelled one. A renewal cycle, once begun, stays begun when its enrolment is cancelled:
    the earlier completion is history, not the answer, and only courses completed since count."""
    current = PathEnrolment.objects.filter(user=user, path=path).exclude(status=PathEnrolment.Status.CANCELLED)
    enrolment = current.first()
    cancelled = (
        PathEnrolment.objects.filter(user=user, path=path, status=PathEnrolment.Status.CANCELLED)
        .order_by("-cycle", "-enrolled_at")
        .first()
    )
    if cancelled is not None and (enrolment is None or cancelled.cycle > enrolment.cycle):
        return cancelled
    return enrolment


def path_completion_evaluate(*, user: User, path: LearningPath) -> PathCompletion | None:
    """A path completes when all its required steps' courses are complete (all steps if none is required).

    Certification cycles: the person's current path enrolment says the cycle; in a renewal cycle
    only courses completed since it began count, and the path completes again in that cycle (the
    earlier completion stays as history).
    """
    with transaction.atomic():
        # Courses of one path complete under different enrolment locks; the person's row
        # serialises path evaluation so two courses finishing at once still complete the path.
        User.objects.select_for_update().filter(pk=user.pk).first()
        enrolment = path_cycle_enrolment(user=user, path=path)
        cycle = enrolment.cycle if enrolment is not None else 1
        existing = PathCompletion.objects.filter(user=user, path=path, cycle=cycle).first()
        if existing is not None:
            return existing
        steps = list(LearningPathStep.objects.filter(path=path).values_list("course_id", "is_required"))
        if not steps:
            return None
        required = [c for c, is_required in steps if is_required] or [c for c, _r in steps]
        started = enrolment.cycle_started_at if enrolment else None
        latest = _course_completions_in_path_cycle(user=user, course_ids=required, started=started)
        if len(latest) < len(set(required)) and started is not None and path.renewal_course_id:
            # A renewal cycle of a path with a refresher course: completing it in this cycle renews
            # (doing all the path's courses again renews as well).
            refresher = _course_completions_in_path_cycle(
                user=user, course_ids=[path.renewal_course_id], started=started
            )
            if refresher:
                required, latest = [path.renewal_course_id], refresher
        if len(latest) < len(set(required)):
            return None
        try:
            with transaction.atomic():
                completion = PathCompletion.objects.create(
                    user=user,
                    path=path,
                    course_ids=sorted(set(required)),
                    trusted=all(c.trusted for c in latest.values()),
                    cycle=cycle,
                )
        except IntegrityError:
            return PathCompletion.objects.get(user=user, path=path, cycle=cycle)
        PathEnrolment.objects.filter(user=user, path=path, status=PathEnrolment.Status.ACTIVE).update(
            status=PathEnrolment.Status.COMPLETED, completed_at=completion.completed_at
        )
        notify.path_completion_announce(completion=completion)
        transaction.on_commit(
            lambda: path_completed.send(sender=PathCompletion, completion=completion, user=user, path=path)
        )
        return completion


def _course_completions_in_path_cycle(
    *, user: User, course_ids: list[int], started: datetime.datetime | None
) -> dict[int, CourseCompletion]:
    """The latest completion per course that counts in a path cycle begun at `started` (None: all)."""
    completions = CourseCompletion.objects.filter(user=user, course_id__in=course_ids)
    if started is not None:
        completions = completions.filter(completed_at__gte=started)
    return {c.course_id: c for c in completions.order_by("completed_at", "pk")}


def path_enrolment_renew(
    *, user: User, path: LearningPath, enrolled_by: User, due_date: datetime.date | None = None
) -> PathEnrolment:
    """Start the next cycle of a learning path for someone who completed it (recertification).

    The path enrolment becomes active again (created if the person completed the path without
    one), only courses completed from now on count, and the earlier path completion stays as
    history. The courses of the steps that are open now start their next cycle through the course
    renewal (`enrolment_create(renewal=True)`); later steps follow as they unlock
    (`_path_enrolment_advance`). Calling it again in the same open cycle changes nothing.
    """
    if not path.live:
        raise ValidationFailed("progress.path_not_live", _("Dieser Lernpfad ist nicht veröffentlicht."))
    if not user.is_active:
        raise ValidationFailed("progress.user_inactive", _("Dieses Benutzerkonto ist deaktiviert."))
    with transaction.atomic():
        # The lock path evaluation takes: a course completing meanwhile sees the new cycle or the old.
        User.objects.select_for_update().filter(pk=user.pk).first()
        enrolment = (
            PathEnrolment.objects.select_for_update()
            .filter(user=user, path=path)
            .exclude(status=PathEnrolment.Status.CANCELLED)
            .first()
        )
        latest = PathCompletion.objects.filter(user=user, path=path).order_by("-cycle").first()
        if enrolment is None:
            enrolment = PathEnrolment.objects.create(
                user=user,
                path=path,
                enrolled_by=enrolled_by,
                method=Enrolment.Method.RENEWAL,
                status=PathEnrolment.Status.COMPLETED if latest else PathEnrolment.Status.ACTIVE,
                completed_at=latest.completed_at if latest else None,
                cycle=latest.cycle if latest else 1,
            )
        if latest is None or latest.cycle < enrolment.cycle:
            return enrolment  # the current cycle is still open: nothing to renew yet
        enrolment.cycle = latest.cycle + 1
        enrolment.cycle_started_at = timezone.now()
        enrolment.status = PathEnrolment.Status.ACTIVE
        enrolment.completed_at = None
        enrolment.method = Enrolment.Method.RENEWAL
        enrolment.enrolled_by = enrolled_by
        enrolment.due_date = due_date
        enrolment.save(
            update_fields=["cycle", "cycle_started_at", "status", "completed_at", "method", "enrolled_by", "due_date"]
        )
        refresher = path.renewal_course
        if refresher is not None:
            # The path names a refresher course: its next cycle instead of the path's courses.
            if not refresher.live:
                raise ValidationFailed(
                    "progress.renewal_course_not_live",
                    _("Der Auffrischungskurs dieses Lernpfads ist nicht veröffentlicht."),
                )
            enrolment_create(
                user=user,
                course=refresher,
                enrolled_by=enrolled_by,
                due_date=due_date,
                renewal=True,
                method=Enrolment.Method.PATH,
            )
            return enrolment
        steps = list(
            LearningPathStep.objects.filter(path=path)
            .select_related("course")
            .prefetch_related("prerequisites")
            .order_by("sort_order")
        )
        # Nothing of the new cycle is done yet: the steps open without any completion start now.
        for step in _open_steps(path=path, steps=steps, completed_ids=set()):
            if step.course.live:
                enrolment_create(
                    user=user,
                    course=step.course,
                    enrolled_by=enrolled_by,
                    due_date=due_date,
                    renewal=True,
                    method=Enrolment.Method.PATH,
                )
    return enrolment
