"""Writes on quiz attempts: start, save answers, submit, close at the deadline, grade essays.

Attempts change only here (STYLE.md, rule 1). The rules that must survive races are enforced
by the database, not by a read-then-write in Python:
- one open attempt per learner and quiz (partial unique constraint; a second start resumes),
- one submission (a conditional UPDATE ... WHERE state = 'in_progress'; whoever loses the race
  gets the stored result back),
- no answer lands after submission (saves and the submit lock the attempt row first).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions import types
from courses.questions.models import Question, QuestionVersion
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed

from .permissions import user_may_grade_quiz
from .quiz_models import Attempt, AttemptSlot, QuizPage

_rng = random.SystemRandom()
FOUR_PLACES = Decimal("0.0001")


class AttemptClosedError(Conflict):
    """The attempt is no longer open (submitted, or its time ran out): views send to the review."""


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    saved_at: Any = None


# ---------------------------------------------------------------------------------------------
# Start
# ---------------------------------------------------------------------------------------------


def _draw(*, quiz: QuizPage, rng: random.Random) -> list[tuple[QuestionVersion, Decimal]]:
    """Pick the question versions for a new attempt, following the quiz's lines in order.

    Learners get the released versions (``release_services``): a question edited since the
    course's last release is drawn as released, one that joined a pool since is not drawn yet.
    Practice categories are never drawn (their answers are shown in lessons).
    """
    from .release_services import quiz_released_versions

    released = quiz_released_versions(quiz=quiz)
    rules = list(quiz.question_rules.select_related("question__category", "category").order_by("sort_order"))
    used = {r.question_id for r in rules if r.question_id}
    drawn: list[tuple[QuestionVersion, Decimal]] = []
    for rule in rules:
        if rule.question_id:
            version = released.get(rule.question_id)
            if version is not None and not rule.question.is_archived and not rule.question.category.is_practice:
                drawn.append((version, rule.mark if rule.mark is not None else version.default_mark))
            continue
        candidates = Question.objects.filter(is_archived=False, pk__in=list(released), category__is_practice=False)
        if rule.include_subcategories:
            candidates = candidates.filter(category__path__startswith=rule.category.path)
        else:
            candidates = candidates.filter(category=rule.category)
        ids = [
            pk
            for pk in candidates.order_by("pk").values_list("pk", flat=True)
            if pk not in used and released[pk].qtype != "description"
        ]
        picked = rng.sample(ids, min(rule.count, len(ids)))
        used.update(picked)
        for pk in picked:
            version = released[pk]
            drawn.append((version, rule.mark if rule.mark is not None else version.default_mark))
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def _slot_layout(*, version: QuestionVersion, shuffle_answers: bool, rng: random.Random) -> dict[str, Any]:
    """The slot's layout, drawn once; a type that draws other questions (randomsamatch) draws them
    here, on the server, and keeps them in the layout, so a resumed attempt shows the same stems."""
    from courses.questions.selectors import subquestion_pool

    qtype = types.for_data(version.data)
    pool = subquestion_pool(version=version) if qtype.draws_subquestions else []
    return qtype.layout_drawn(version.data, pool=pool, shuffle_answers=shuffle_answers, rng=rng)


def quiz_course_access(*, quiz: QuizPage, user) -> tuple[Any, bool, str]:
    """(course, enrolled, why not): whether this person may take the quiz inside its course now.

    A test belongs to its course: a locked step of the person's learning path cannot be tested
    (even with an older enrolment), and starting it enrols them through the one enrolment service.
    """
    from courses.catalog.models import CoursePage
    from courses.progress.models import Enrolment
    from courses.progress.selectors import CURRENT, path_lock_message, path_lock_on_course

    course = quiz.get_parent().specific
    if not isinstance(course, CoursePage):
        return None, True, ""
    lock = path_lock_on_course(user=user, course=course)
    if lock is not None:
        return course, False, path_lock_message(lock)
    enrolled = Enrolment.objects.filter(CURRENT, user=user, course_id=course.pk).exists()
    return course, enrolled, ""


def _enrolment_ensure(*, quiz: QuizPage, user) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from courses.progress.services import enrolment_create

    course, enrolled, refusal = quiz_course_access(quiz=quiz, user=user)
    if refusal:
        raise NotPermitted("assessment.step_locked", refusal)
    if enrolled or course is None:
        return
    try:
        enrolment_create(user=user, course=course, enrolled_by=user)
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise NotPermitted("assessment.enrolment_refused", message) from exc


def attempt_start(*, quiz: QuizPage, user, now=None, rng: random.Random | None = None) -> Attempt:
    """Start an attempt, or return the learner's open one (resume, also from another device)."""
    from lernplattform.accounts.selectors import PENDING_MESSAGE, user_is_pending

    if user_is_pending(user=user):
        raise NotPermitted("assessment.registration_pending", PENDING_MESSAGE)
    now = now or timezone.now()
    rng = rng or _rng
    for overdue in Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS, deadline__lt=now):
        attempt_submit(attempt_id=overdue.pk, now=now)
    existing = Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).first()
    if existing:
        return existing
    _enrolment_ensure(quiz=quiz, user=user)
    used = Attempt.objects.filter(quiz=quiz, user=user).count()
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise NotPermitted(
            "assessment.attempts_used_up", _("Sie haben alle erlaubten Versuche für diesen Test genutzt.")
        )
    drawn = _draw(quiz=quiz, rng=rng)
    if not drawn:
        raise Conflict("assessment.quiz_without_questions", _("Dieser Test enthält noch keine Fragen."))
    deadline = now + datetime.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                max_score=sum((mark for _v, mark in drawn), Decimal(0)),
            )
            AttemptSlot.objects.bulk_create(
                AttemptSlot(
                    attempt=attempt,
                    number=position,
                    question_version=version,
                    max_mark=mark if types.for_data(version.data).scored else Decimal(0),
                    layout=_slot_layout(version=version, shuffle_answers=quiz.shuffle_answers, rng=rng),
                )
                for position, (version, mark) in enumerate(drawn, start=1)
            )
    except IntegrityError:
        # Another tab started at the same moment: the constraint kept one; use it.
        existing = Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).first()
        if existing is None:
            raise
        return existing
    return attempt


# ---------------------------------------------------------------------------------------------
# Save
# ---------------------------------------------------------------------------------------------


def _lock_attempt(*, attempt_id: int, user, now) -> bool:
    """Lock the learner's open attempt; False if its time is up. Raises if it is not open."""
    attempt = (
        Attempt.objects.select_for_update()
        .only("id", "user_id", "quiz_id", "state", "deadline")
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise Attempt.DoesNotExist
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosedError("assessment.attempt_submitted", _("Dieser Versuch ist bereits abgegeben."))
    return not (attempt.deadline and now > attempt.deadline)


TIME_UP = gettext_lazy("Die Zeit für diesen Versuch ist abgelaufen. Er wurde mit dem Stand zum Zeitende abgegeben.")


def attempt_answers_save(
    *,
    attempt_id: int,
    user,
    answers: dict[Any, Any] | None = None,
    form: Any = None,
    flags: dict[int, bool] | None = None,
    now=None,
) -> SaveResult:
    """Save answers of an open attempt.

    ``answers`` maps slot numbers to API responses; or ``form`` is a plain form post (fields
    ``q<n>...`` and the list ``slots`` of the questions it carries, each with its "for later" box
    ``flagged``). ``flags`` sets the API's "for later" marks by slot number. Valid answers are saved even
    if others are refused; each refusal comes back with a German message per slot.
    """
    now = now or timezone.now()
    if form is not None:
        raw_by_number: dict[int, Any] = {int(n): None for n in form.getlist("slots") if str(n).isdigit()}
        # A form carries each question's "for later" box with its fields: unticked means unflagged.
        ticked = {int(n) for n in form.getlist("flagged") if str(n).isdigit()}
        flags = {n: n in ticked for n in raw_by_number}
    else:
        raw_by_number = {int(n): raw for n, raw in (answers or {}).items()}
    flags = flags or {}
    result = SaveResult(saved_at=now)
    with transaction.atomic():
        in_time = _lock_attempt(attempt_id=attempt_id, user=user, now=now)
        if in_time:
            slots = list(
                AttemptSlot.objects.filter(attempt_id=attempt_id, number__in=raw_by_number)
                .select_related("question_version")
                .only("id", "number", "layout", "response", "flagged", "question_version__data")
            )
            changed = []
            for slot in slots:
                wanted = flags.get(slot.number)
                if wanted is not None and slot.flagged != wanted:
                    slot.flagged = wanted
                    changed.append(slot)
                data = slot.question_version.data
                qtype = types.for_data(data)
                if form is not None:
                    raw = qtype.response_from_form(data, slot.layout, f"q{slot.number}", form)
                else:
                    raw = raw_by_number[slot.number]
                try:
                    clean = qtype.clean(data, slot.layout, raw)
                except types.ResponseError as exc:
                    result.errors[slot.number] = str(exc)
                    continue
                result.saved.append(slot.number)
                if clean != slot.response:
                    slot.response, slot.answered_at = clean, now
                    if slot not in changed:
                        changed.append(slot)
            for number in set(raw_by_number) - {s.number for s in slots}:
                result.errors[number] = _("Diese Frage gehört nicht zu diesem Versuch.")
            if len(changed) == 1:
                changed[0].save(update_fields=["response", "answered_at", "flagged"])
            elif changed:
                AttemptSlot.objects.bulk_update(changed, ["response", "answered_at", "flagged"])
    if not in_time:
        attempt_close_if_overdue(attempt_id=attempt_id, now=now)
        raise AttemptClosedError("assessment.attempt_time_up", str(TIME_UP))
    result.saved.sort()
    return result


# ---------------------------------------------------------------------------------------------
# Submit, deadline
# ---------------------------------------------------------------------------------------------


def _grade_slot(slot: AttemptSlot) -> None:
    data = slot.question_version.data
    qtype = types.for_data(data)
    if not qtype.scored:
        slot.fraction, slot.mark, slot.needs_grading = None, Decimal(0), False
        return
    result = qtype.score(data, slot.layout, slot.response)
    if result.needs_manual_grading and slot.response:
        # Essays: a trainer grades. An empty essay needs no trainer and earns nothing.
        slot.fraction, slot.mark, slot.needs_grading = None, None, True
        return
    fraction = result.fraction or Decimal(0)
    slot.fraction = fraction.quantize(Decimal("0.0000001"))
    slot.mark = (slot.max_mark * fraction).quantize(FOUR_PLACES)
    slot.needs_grading = False


def _passed(*, quiz: QuizPage, score_value: Decimal, max_score: Decimal) -> bool:
    if not max_score:
        return True
    return score_value / max_score * 100 >= quiz.passing_grade


def attempt_submit(*, attempt_id: int, user=None, now=None) -> Attempt:
    """Submit and grade an attempt exactly once; a repeated or concurrent submit returns the result.

    Past its deadline an attempt counts as submitted at the deadline (answers could not be saved
    after it). ``user`` restricts the attempt to its owner; the scheduler passes none.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock only the attempt row: a plain FOR UPDATE with the quiz joined would also lock the
        # quiz's page rows and make every learner of that quiz submit one after the other.
        qs = Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
        if user is not None:
            qs = qs.filter(user=user)
        attempt = qs.get(pk=attempt_id)
        if attempt.state != Attempt.State.IN_PROGRESS:
            return attempt
        by_deadline = bool(attempt.deadline and now > attempt.deadline)
        submitted_at = attempt.deadline if by_deadline else now
        slots = list(
            attempt.slots.select_related("question_version").only(
                "id", "attempt_id", "number", "layout", "response", "max_mark", "question_version__data"
            )
        )
        for slot in slots:
            _grade_slot(slot)
        pending = any(slot.needs_grading for slot in slots)
        total = sum((slot.mark or Decimal(0) for slot in slots), Decimal(0))
        state = Attempt.State.NEEDS_GRADING if pending else Attempt.State.FINISHED
        passed = None if pending else _passed(quiz=attempt.quiz, score_value=total, max_score=attempt.max_score)
        # The guard: only the request that flips the state from open to submitted grades it.
        outcome = {
            "state": state,
            "submitted_at": submitted_at,
            "closed_by_deadline": by_deadline,
            "score": None if pending else total,
            "passed": passed,
        }
        won = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(**outcome)
        if not won:
            return Attempt.objects.select_related("quiz").get(pk=attempt.pk)
        _slot_grades_write(slots)
        if not pending:
            _report_on_commit(quiz_id=attempt.quiz_id, user_id=attempt.user_id)
    for name, value in outcome.items():
        setattr(attempt, name, value)
    return attempt


def _slot_grades_write(slots: list[AttemptSlot]) -> None:
    """Write every slot's grade in one UPDATE.

    Why not bulk_update: it builds three CASE expressions of Django objects per slot, which cost
    tens of milliseconds of CPU for a 20-question attempt; the same statement written out is
    portable SQL (SQLite and PostgreSQL) and costs next to nothing to build.
    """
    if not slots:
        return
    table = connection.ops.quote_name(AttemptSlot._meta.db_table)
    whens = " ".join(["WHEN %s THEN CAST(%s AS NUMERIC)"] * len(slots))
    flags = " ".join(["WHEN %s THEN %s"] * len(slots))
    params: list[Any] = []
    for column in ("fraction", "mark"):
        for slot in slots:
            params += [slot.pk, getattr(slot, column)]
    for slot in slots:
        params += [slot.pk, slot.needs_grading]
    params += [slot.pk for slot in slots]
    sql = (
        f"UPDATE {table} SET fraction = CASE id {whens} END, mark = CASE id {whens} END, "  # noqa: S608 - no input in SQL
        f"needs_grading = CASE id {flags} END WHERE id IN ({', '.join(['%s'] * len(slots))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def attempt_close_if_overdue(*, attempt_id: int, now=None) -> bool:
    """Close an open attempt whose time is up, graded as of its deadline. True if it closed it."""
    now = now or timezone.now()
    if not Attempt.objects.filter(
        pk=attempt_id, state=Attempt.State.IN_PROGRESS, deadline__isnull=False, deadline__lt=now
    ).exists():
        return False
    attempt_submit(attempt_id=attempt_id, now=now)
    return True


def attempts_close_overdue(*, now=None, limit: int = 500) -> int:
    """The scheduled sweep: close every open attempt past its deadline (idempotent)."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    for attempt_id in ids:
        attempt_submit(attempt_id=attempt_id, now=now)
    return len(ids)


# ---------------------------------------------------------------------------------------------
# Manual grading
# ---------------------------------------------------------------------------------------------


def attempt_slot_grade(*, slot_id: int, grader, mark: Decimal, comment: str = "", now=None) -> Attempt:
    """A trainer grades one essay answer; when nothing is left to grade the attempt is finished.

    A grade can be corrected later; the attempt's result and the learner's progress follow.
    """
    now = now or timezone.now()
    with transaction.atomic():
        slot = AttemptSlot.objects.select_related("attempt__quiz").get(pk=slot_id)
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=slot.attempt_id)
        if not user_may_grade_quiz(user=grader, quiz=attempt.quiz):
            raise NotPermitted(
                "assessment.grading_not_permitted", _("Sie dürfen Versuche dieses Tests nicht bewerten.")
            )
        if attempt.state == Attempt.State.IN_PROGRESS:
            raise Conflict("assessment.attempt_not_submitted", _("Der Versuch ist noch nicht abgegeben."))
        if mark < 0 or mark > slot.max_mark:
            raise ValidationFailed(
                "assessment.mark_out_of_range",
                _("Die Punktzahl muss zwischen 0 und %(max)s liegen.") % {"max": slot.max_mark.normalize()},
            )
        slot.mark = mark.quantize(FOUR_PLACES)
        slot.fraction = (mark / slot.max_mark).quantize(Decimal("0.0000001")) if slot.max_mark else Decimal(0)
        slot.needs_grading = False
        slot.comment = comment
        slot.graded_by = grader
        slot.graded_at = now
        slot.save(update_fields=["mark", "fraction", "needs_grading", "comment", "graded_by", "graded_at"])
        marks = list(attempt.slots.values_list("mark", "needs_grading"))
        if any(pending for _m, pending in marks):
            return attempt
        total = sum((m or Decimal(0) for m, _p in marks), Decimal(0))
        attempt.score = total
        attempt.passed = _passed(quiz=attempt.quiz, score_value=total, max_score=attempt.max_score)
        attempt.state = Attempt.State.FINISHED
        attempt.reported_at = None  # a new or corrected grade: progress must hear it (again)
        attempt.save(update_fields=["score", "passed", "state", "reported_at"])
        _report_on_commit(quiz_id=attempt.quiz_id, user_id=attempt.user_id)
    return attempt


# ---------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------


def _report_on_commit(*, quiz_id: int, user_id: int) -> None:
    """Nudge a worker to tell progress; the attempt row (reported_at empty) is the durable part.

    If the broker is down the learner's submit still succeeds; the reconcile beat task reports it.
    """
    from lernplattform.core.tasks import enqueue_on_commit

    from .attempt_tasks import quiz_result_report_task

    enqueue_on_commit(quiz_result_report_task, quiz_id, user_id)


def attempt_results_report(*, quiz_id: int, user_id: int, now=None) -> int:
    """Tell progress a learner's quiz result and mark their finished attempts reported; safe to run twice.

    The attempts to mark are read before the report, so one finished meanwhile stays unreported and
    gets its own report (by its task or the reconcile task). Report and mark commit together: a worker
    killed in between leaves both undone, never a result marked reported that progress never saw.
    Returns how many attempts it marked.
    """
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    pending = list(
        Attempt.objects.filter(
            quiz_id=quiz_id, user_id=user_id, state=Attempt.State.FINISHED, reported_at__isnull=True
        ).values_list("pk", flat=True)
    )
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if quiz is None or user is None:
        return 0
    with transaction.atomic():
        quiz_result_report(quiz=quiz, user=user)
        return Attempt.objects.filter(pk__in=pending, reported_at__isnull=True).update(reported_at=now)


def attempt_results_reconcile(*, now=None, grace_seconds: int = 60, limit: int = 200) -> int:
    """The beat task: report every finished attempt whose report was lost (broker down, worker killed).

    Attempts submitted less than ``grace_seconds`` ago are left to their own task. Returns how many
    learners' results it reported.
    """
    now = now or timezone.now()
    pairs = list(
        Attempt.objects.filter(
            state=Attempt.State.FINISHED,
            reported_at__isnull=True,
            submitted_at__lte=now - datetime.timedelta(seconds=grace_seconds),
        )
        .order_by()
        .values_list("quiz_id", "user_id")
        .distinct()[:limit]
    )
    for quiz_id, user_id in pairs:
        attempt_results_report(quiz_id=quiz_id, user_id=user_id, now=now)
    return len(pairs)


def quiz_result_report(*, quiz: QuizPage, user) -> None:
    """Tell the progress service the learner's quiz result, by the quiz's grading method.

    Trusted: the server graded it. Recomputed from all attempts, so reporting twice is harmless.
    """
    from courses.progress.services import activity_result_record

    from .attempt_selectors import quiz_grade

    grade = quiz_grade(quiz=quiz, user=user)
    if grade.score is None:
        return
    activity_result_record(
        user=user,
        activity=quiz,
        score=grade.score,
        max_score=grade.max_score,
        passed=bool(grade.passed),
        trusted=True,
        source="quiz",
    )
