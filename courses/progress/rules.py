"""Completion conditions read from the pages' own settings.

The settings live on the pages of their owners (catalog: CoursePage, LessonPage; assessment:
QuizPage; h5p: H5PActivityPage). We read them with getattr and a default so that progress works
before and after those fields exist, and so no app has to import progress to be completable:

- LessonPage.completion_mode: "viewed" (default; opening the lesson completes it) or "done"
  (the learner marks it as done).
- QuizPage.completion_mode: "passed" (default) or "attempted" (any submitted attempt).
- H5PActivityPage: its result is complete when `passed` (the H5P app applies the activity's
  `passing_threshold`) – or, if the caller leaves `passed` open, when score/max ≥ that threshold.
- CoursePage.completion_rule (catalog): `min_score_percent` – the minimum score in every required
  graded activity; `min_required_activities` – how many required activities must be complete
  (None: all).
- CoursePage.certificate_template (a real field, courses.certificates' template): a course
  certifies when it names one; see `course_certifies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

VIEW_MODES = {"viewed", "view", "opened"}
ATTEMPT_MODES = {"attempted", "attempt", "any_attempt", "any"}


def lesson_completes_on_view(lesson: Any) -> bool:
    return str(getattr(lesson, "completion_mode", "viewed") or "viewed") in VIEW_MODES


def result_meets_condition(
    activity: Any, *, score: Decimal | None, max_score: Decimal | None, passed: bool | None
) -> bool:
    """Whether a reported result completes the activity under its own completion setting."""
    mode = str(getattr(activity, "completion_mode", "passed") or "passed")
    if mode in ATTEMPT_MODES or mode in VIEW_MODES:
        return True
    threshold = getattr(activity, "passing_threshold", None)
    if passed is None and threshold is not None and score is not None and max_score:
        return Decimal(score) * 100 / Decimal(max_score) >= Decimal(threshold)
    return bool(passed)


@dataclass(frozen=True)
class CourseRule:
    min_score_percent: Decimal | None = None
    min_required_activities: int | None = None

    def needed(self, required_total: int) -> int:
        """How many required activities must be complete (at least one, at most all)."""
        if self.min_required_activities is None:
            return required_total
        return max(1, min(self.min_required_activities, required_total))

    def counts(self, record: Any) -> bool:
        """Whether a completion record counts toward the course: complete and, if graded, good enough."""
        if record is None or not record.is_completed:
            return False
        if self.min_score_percent is None or not record.max_score:
            return True
        return (record.score or 0) * 100 / record.max_score >= self.min_score_percent


def course_rule(course: Any) -> CourseRule:
    rule = getattr(course, "completion_rule", None)
    if rule is None:
        return CourseRule()
    minimum = getattr(rule, "min_score_percent", None)
    return CourseRule(
        min_score_percent=Decimal(minimum) if minimum is not None else None,
        min_required_activities=getattr(rule, "min_required_activities", None),
    )


def course_certifies(course: Any) -> bool:
    """Whether completing the course earns a certificate (needs the trust rule's trusted result)."""
    return course.certificate_template_id is not None
