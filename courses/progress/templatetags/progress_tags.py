"""Template tags that put progress on pages other apps own (the course page's enrol panel)."""

from django import template

from courses.progress import rules
from courses.progress.models import ActivityCompletion
from courses.progress.page_state import course_path_of, page_course_state
from courses.progress.selectors import CourseProgress, course_progress, course_progress_of
from lernplattform.accounts.selectors import user_is_pending

register = template.Library()


def _progress_for_request(request, course) -> CourseProgress | None:
    """The learner's progress in a course, computed once per request however many tags ask."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    cache = request.__dict__.setdefault("_course_progress", {})
    if course.pk not in cache:
        course = course.specific
        found = page_course_state(request=request, course_path=course.path)
        cache[course.pk] = (
            course_progress_of(user=user, course=course, outline=found[0], state=found[1])
            if found is not None
            else course_progress(user=user, course=course)
        )
    return cache[course.pk]


@register.simple_tag(takes_context=True)
def completed_activity_ids(context, course) -> set[int]:
    """The ids of the course's activities this learner has completed (the outline marks them).

    `{% completed_activity_ids course as done %}` – catalog's templates ask progress here, so
    catalog's code never imports progress (DESIGN.md layers). Reads the request's learner state.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if course is None or user is None or not user.is_authenticated:
        return set()
    found = page_course_state(request=request, course_path=course.path)
    return found[1].completed_ids() if found is not None else set()


@register.inclusion_tag("progress/includes/enrol_panel.html", takes_context=True)
def course_enrol_panel(context, course):
    """The enrol action, or the learner's progress, next step and what changed since completion."""
    request = context.get("request")
    user = getattr(request, "user", None)
    progress = _progress_for_request(request, course) if request is not None else None
    pending = bool(user and user.is_authenticated and not progress.enrolment and user_is_pending(user=user))
    return {"request": request, "course": course, "progress": progress, "user": user, "pending": pending}


@register.inclusion_tag("progress/includes/lesson_completion.html", takes_context=True)
def lesson_completion(context, lesson):
    """On a lesson page: the learner's state, and "Als erledigt markieren" where the lesson asks for it.

    Include it in the lesson template with `{% load progress_tags %}{% lesson_completion page %}`.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    record = None
    if user is not None and user.is_authenticated:
        found = page_course_state(request=request, course_path=course_path_of(lesson), extra_ids=(lesson.pk,))
        if found is not None and lesson.pk in found[1].records:
            record = found[1].records[lesson.pk]
        elif found is None or lesson.pk not in {i.page.pk for i in found[0].items}:
            record = ActivityCompletion.objects.filter(user=user, activity_id=lesson.pk).first()
    condition = rules.activity_condition(lesson)
    done = condition.items & set(record.items_done) if record is not None else set()
    return {
        "request": request,
        "lesson": lesson,
        "record": record,
        "needs_mark_done": condition.needs_mark_done,
        "needs_items": condition.needs_items,
        "items_total": len(condition.items),
        "items_done": len(done),
        "user": user,
    }
