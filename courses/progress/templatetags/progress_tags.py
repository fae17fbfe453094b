"""Template tags that put progress on pages other apps own (the course page's enrol panel)."""

from django import template

from courses.progress import rules
from courses.progress.models import ActivityCompletion
from courses.progress.selectors import course_progress
from lernplattform.accounts.selectors import user_is_pending

register = template.Library()


@register.inclusion_tag("progress/includes/enrol_panel.html", takes_context=True)
def course_enrol_panel(context, course):
    """The enrol action, or the learner's progress, next step and what changed since completion."""
    request = context.get("request")
    user = getattr(request, "user", None)
    progress = course_progress(user=user, course=course) if user and user.is_authenticated else None
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
        record = ActivityCompletion.objects.filter(user=user, activity_id=lesson.pk).first()
    return {
        "request": request,
        "lesson": lesson,
        "record": record,
        "needs_mark_done": rules.activity_condition(lesson).needs_mark_done,
        "user": user,
    }
