"""Template tags that put progress on pages other apps own (the course page's enrol panel)."""

from django import template

from courses.progress.selectors import course_progress

register = template.Library()


@register.inclusion_tag("progress/includes/enrol_panel.html", takes_context=True)
def course_enrol_panel(context, course):
    """The enrol action, or the learner's progress, next step and what changed since completion."""
    request = context.get("request")
    user = getattr(request, "user", None)
    progress = course_progress(user=user, course=course) if user and user.is_authenticated else None
    return {"request": request, "course": course, "progress": progress, "user": user}
