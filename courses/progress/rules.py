"""Completion conditions read from the pages' own settings.

The settings live on the pages of their owners (catalog: CoursePage, LessonPage; assessment:
QuizPage; h5p: H5PActivityPage). We read them with getattr and a default so that progress works
before and after those fields exist, and so no app has to import progress to be completable:

- LessonPage.completion_mode: "viewed" (default; opening the lesson completes it) or "done"
  (the learner marks it as done).
- QuizPage.completion_mode: "passed" (default) or "attempted" (any submitted attempt).
- H5PActivityPage: its result is complete when `passed` (the H5P app applies the activity's
  score threshold) – or, if the page has `pass_threshold` (percent), when score/max ≥ threshold.
- CoursePage.completion_min_grade (percent, optional): the minimum overall grade.
- CoursePage certificate: a course certifies when it has a `certificate_template` (or sets
  `issues_certificate`); see `course_certifies`.
"""

from __future__ import annotations

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
    threshold = getattr(activity, "pass_threshold", None)
    if passed is None and threshold is not None and score is not None and max_score:
        return Decimal(score) * 100 / Decimal(max_score) >= Decimal(threshold)
    return bool(passed)


def course_min_grade(course: Any) -> Decimal | None:
    for name in ("completion_min_grade", "min_grade", "minimum_grade"):
        value = getattr(course, name, None)
        if value not in (None, ""):
            return Decimal(value)
    return None


def course_certifies(course: Any) -> bool:
    """Whether completing the course earns a certificate (needs the trust rule's trusted result)."""
    if getattr(course, "certificate_template_id", None) or getattr(course, "issues_certificate", False):
        return True
    return False
