"""Completion rules as progress applies them, read through the activity contract.

Each activity page says how it completes (`ActivityPage.completion_condition()`, courses.catalog):
lessons on viewing or when marked done, quizzes when passed or when taken at all, H5P items
when passed. The course page holds the course rule (`CoursePage.completion_rule`): the minimum
score in every required graded activity and how many required activities must be complete.
A course certifies when it names a certificate template (`CoursePage.certificate_template`, a
real field; courses.certificates owns the template). Progress reads nothing else from the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from wagtail.models import Page

from courses.catalog.completion import CompletionCondition
from courses.catalog.models import ActivityPage, CoursePage

if TYPE_CHECKING:
    from .models import ActivityCompletion


def is_activity(page: Page) -> bool:
    return isinstance(page if isinstance(page, ActivityPage) else page.specific, ActivityPage)


def activity_condition(activity: Page) -> CompletionCondition:
    """The completion condition of an activity page (given as a plain or a specific page)."""
    specific = activity if isinstance(activity, ActivityPage) else activity.specific
    if not isinstance(specific, ActivityPage):
        raise TypeError(f"{type(specific).__name__} is not an activity page")
    return specific.completion_condition()


def completes_by_reading(activity: Page) -> bool:
    """Whether the learner completes the activity by opening it or by marking it done (lessons, and
    H5P content without scores): its views are recorded and it may be marked done."""
    condition = activity_condition(activity)
    return condition.completes_on_view or condition.needs_mark_done


def lesson_completes_on_view(lesson: Page) -> bool:
    return activity_condition(lesson).completes_on_view


def result_meets_condition(
    activity: Page, *, score: Decimal | None, max_score: Decimal | None, passed: bool | None
) -> bool:
    """Whether a reported result completes the activity under its own completion condition."""
    return activity_condition(activity).met_by_result(score=score, max_score=max_score, passed=passed)


@dataclass(frozen=True)
class CourseRule:
    min_score_percent: Decimal | None = None
    min_required_activities: int | None = None

    def needed(self, required_total: int) -> int:
        """How many required activities must be complete (at least one, at most all)."""
        if self.min_required_activities is None:
            return required_total
        return max(1, min(self.min_required_activities, required_total))

    def counts(self, record: ActivityCompletion | None) -> bool:
        """Whether a completion record counts toward the course: complete and, if graded, good enough."""
        if record is None or not record.is_completed:
            return False
        if self.min_score_percent is None or not record.max_score:
            return True
        return (record.score or 0) * 100 / record.max_score >= self.min_score_percent


def course_rule(course: CoursePage) -> CourseRule:
    rule = course.completion_rule
    return CourseRule(
        min_score_percent=Decimal(rule.min_score_percent) if rule.min_score_percent is not None else None,
        min_required_activities=rule.min_required_activities,
    )


def course_certifies(course: CoursePage) -> bool:
    """Whether completing the course earns a certificate (needs the trust rule's trusted result)."""
    return course.certificate_template_id is not None
