"""The learner's state in the course of the page being served, loaded once per request.

The page-view hook (recording the view), the outline's "erledigt" marks, the lesson's completion
box and the course page's enrol panel all read the same enrolment and records: one load per
request and course, kept on the request. Only the outline (the same for everyone) is cached
across requests; the learner's state never is, so no learner sees another's marks.
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.models import Page

from courses.catalog.selectors import CourseOutline, course_outline_cached

from .selectors import LearnerCourseState, learner_course_state

_ATTRIBUTE = "_learner_course_state"


def page_course_state(
    *, request: HttpRequest, course_path: str, extra_ids: tuple[int, ...] = ()
) -> tuple[CourseOutline, LearnerCourseState] | None:
    """The course's cached outline and the requesting learner's state in it (None outside a course)."""
    states: dict[str, tuple[CourseOutline, LearnerCourseState]] = request.__dict__.setdefault(_ATTRIBUTE, {})
    if course_path not in states:
        outline = course_outline_cached(course_path=course_path, request=request)
        if outline is None:
            return None
        ids = [item.page.pk for item in outline.items]
        ids += [pk for pk in extra_ids if pk not in ids]  # e.g. a lesson not (yet) live among them
        states[course_path] = (
            outline,
            learner_course_state(user=request.user, course_id=outline.course.pk, activity_ids=ids),  # type: ignore[arg-type]
        )
    return states[course_path]


def page_course_state_forget(*, request: HttpRequest) -> None:
    """After a write in this request (a first view, a completion): the next read loads afresh."""
    request.__dict__.pop(_ATTRIBUTE, None)


def course_path_of(page: Page) -> str:
    """The path of an activity page's course (its parent)."""
    return page.path[: -Page.steplen]
