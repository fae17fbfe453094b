"""Reads on quizzes and attempts: what a learner sees while taking and reviewing, grades, the grading queue.

Privacy (DESIGN.md): scores and attempts are for the learner and for trainers of the course;
organisation admins never read them through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from courses.questions import types
from courses.questions.types import AnswerPart
from lernplattform.core.errors import Conflict

from .permissions import may_grade_quiz, user_may_grade_quiz
from .quiz_models import Attempt, AttemptSlot, GradingMethod, QuizPage, ReviewWhen


def attempt_of_learner(*, attempt_id: int, user, quiz: QuizPage | None = None) -> Attempt:
    """The learner's own attempt (raises Attempt.DoesNotExist for anyone else's)."""
    qs = Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user)
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    return qs.get()


def quiz_attempts(*, quiz: QuizPage, user) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))


@dataclass
class QuizGrade:
    score: Decimal | None = None
    max_score: Decimal | None = None
    passed: bool | None = None
    attempts_used: int = 0
    attempts_left: int | None = None  # None: unlimited
    open_attempt: Attempt | None = None
    pending_grading: int = 0

    @property
    def percent(self) -> Decimal | None:
        if self.score is None or not self.max_score:
            return None
        return (self.score / self.max_score * 100).quantize(Decimal("0.1"))


def quiz_grade(*, quiz: QuizPage, user, attempts: list[Attempt] | None = None) -> QuizGrade:
    """The learner's result for a quiz by its grading method (highest, last or average)."""
    attempts = attempts if attempts is not None else quiz_attempts(quiz=quiz, user=user)
    grade = QuizGrade(attempts_used=len(attempts))
    grade.open_attempt = next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None)
    grade.pending_grading = sum(1 for a in attempts if a.state == Attempt.State.NEEDS_GRADING)
    if quiz.attempts_allowed:
        grade.attempts_left = max(0, quiz.attempts_allowed - len(attempts))
    finished = [a for a in attempts if a.state == Attempt.State.FINISHED and a.score is not None]
    if not finished:
        return grade
    if quiz.grading_method == GradingMethod.LAST:
        chosen = max(finished, key=lambda a: (a.submitted_at, a.number))
        grade.score, grade.max_score = chosen.score, chosen.max_score
    elif quiz.grading_method == GradingMethod.AVERAGE:
        n = Decimal(len(finished))
        grade.score = (sum((a.score or Decimal(0) for a in finished), Decimal(0)) / n).quantize(Decimal("0.0001"))
        grade.max_score = (sum((a.max_score for a in finished), Decimal(0)) / n).quantize(Decimal("0.0001"))
    else:
        chosen = max(
            finished, key=lambda a: ((a.score or Decimal(0)) / a.max_score if a.max_score else Decimal(1), -a.number)
        )
        grade.score, grade.max_score = chosen.score, chosen.max_score
    score = grade.score or Decimal(0)  # finished attempts all carry a score
    grade.passed = (score / grade.max_score * 100 >= quiz.passing_grade) if grade.max_score else True
    return grade


def _review_allowed(when: str, grade: QuizGrade) -> bool:
    if when == ReviewWhen.IMMEDIATELY:
        return True
    if when == ReviewWhen.AFTER_LAST_ATTEMPT:
        return bool(grade.passed) or (grade.attempts_left == 0 and grade.open_attempt is None)
    return False


@dataclass
class SlotView:
    number: int
    max_mark: Decimal
    question: dict[str, Any]
    response: dict[str, Any] | None
    flagged: bool = False
    # Filled only on the review page, and only what the quiz's settings allow.
    mark: Decimal | None = None
    state: str = ""
    needs_grading: bool = False
    feedback: list[str] = field(default_factory=list)
    # Right or wrong per picked choice, cloze gap or matched stem (with that part's feedback).
    parts: list[AnswerPart] = field(default_factory=list)
    general_feedback: str = ""
    correct: list[str] = field(default_factory=list)
    comment: str = ""


def _slots(attempt: Attempt) -> QuerySet[AttemptSlot]:
    return attempt.slots.select_related("question_version").order_by("number")


def attempt_questions(*, attempt: Attempt) -> list[SlotView]:
    """The questions of an attempt with the learner's saved answers – and nothing that tells the key."""
    return [
        SlotView(
            number=slot.number,
            max_mark=slot.max_mark,
            question=types.for_data(slot.question_version.data).learner_view(slot.question_version.data, slot.layout),
            response=slot.response,
            flagged=slot.flagged,
        )
        for slot in _slots(attempt)
    ]


@dataclass
class AttemptReview:
    attempt: Attempt
    grade: QuizGrade
    show_feedback: bool
    show_correct: bool
    slots: list[SlotView]
    # True while the learner has an open attempt of the same quiz: nothing per question is shown,
    # because the open attempt may hold the very same questions (see attempt_review).
    held_back: bool = False


def _slot_state(slot: AttemptSlot) -> str:
    if slot.needs_grading:
        return "pending"
    if slot.max_mark == 0 or slot.fraction is None:
        return ""
    if slot.fraction >= 1:
        return "correct"
    return "partial" if slot.fraction > 0 else "wrong"


def attempt_review(*, attempt: Attempt, user) -> AttemptReview:
    """The review of a submitted attempt; feedback and correct answers as the quiz's settings allow."""
    if attempt.state == Attempt.State.IN_PROGRESS:
        raise Conflict("assessment.attempt_not_submitted", _("Der Versuch ist noch nicht abgegeben."))
    grade = quiz_grade(quiz=attempt.quiz, user=user)
    # While another attempt of this quiz is open, the review must not help answer it: the open
    # attempt may have drawn the same questions, so feedback, right answers and even whether an
    # answer was right stay hidden until it is submitted. The total result stays visible.
    held_back = grade.open_attempt is not None
    show_feedback = not held_back and _review_allowed(attempt.quiz.show_feedback, grade)
    show_correct = not held_back and _review_allowed(attempt.quiz.show_correct_answers, grade)
    views = []
    for slot in _slots(attempt):
        data = slot.question_version.data
        qtype = types.for_data(data)
        view = SlotView(
            number=slot.number,
            max_mark=slot.max_mark,
            question=qtype.learner_view(data, slot.layout),
            response=slot.response,
            mark=None if held_back else slot.mark,
            state="" if held_back else _slot_state(slot),
            needs_grading=slot.needs_grading,
            comment="" if held_back else slot.comment,
        )
        if show_feedback:
            view.parts = qtype.answer_parts(data, slot.layout, slot.response)
            # Choice and cloze feedback is shown with its part; other types keep it per question.
            if not (view.parts and qtype.feedback_per_part):
                view.feedback = qtype.feedback(data, slot.layout, slot.response)
            view.general_feedback = qtype.general_feedback_for(data, slot.layout)
        if show_correct:
            view.correct = qtype.correct_answers_for(data, slot.layout)
        views.append(view)
    return AttemptReview(
        attempt=attempt,
        grade=grade,
        show_feedback=show_feedback,
        show_correct=show_correct,
        slots=views,
        held_back=held_back,
    )


# ---------------------------------------------------------------------------------------------
# Trainers
# ---------------------------------------------------------------------------------------------


def user_can_grade_quiz(*, user, quiz: QuizPage) -> bool:
    return user_may_grade_quiz(user=user, quiz=quiz)


def grading_queue(*, user) -> list[AttemptSlot]:
    """Essay answers waiting for a grade, in the courses this trainer may grade, oldest first.

    Filtered in the database: two queries (the person's roles, the slots) however many quizzes.
    """
    gradable = may_grade_quiz.queryset(user=user)
    return list(
        AttemptSlot.objects.filter(
            needs_grading=True,
            attempt__state=Attempt.State.NEEDS_GRADING,
            attempt__quiz__in=gradable.values("pk"),
        )
        .select_related("attempt__quiz", "attempt__user", "question_version")
        .order_by("attempt__submitted_at", "attempt_id", "number")
    )


def slot_for_grading(*, slot_id: int, user) -> AttemptSlot:
    slot = AttemptSlot.objects.select_related("attempt__quiz", "attempt__user", "question_version").get(pk=slot_id)
    if slot.attempt.state == Attempt.State.IN_PROGRESS or not user_can_grade_quiz(user=user, quiz=slot.attempt.quiz):
        raise AttemptSlot.DoesNotExist
    return slot
