"""Admin for learning paths, and recording of activity page views."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.catalog.models import ActivityPage, CoursePage

from . import rules
from .models import LearningPath
from .page_state import course_path_of, page_course_state, page_course_state_forget
from .services import activity_visit_record, lesson_view_record


class LearningPathViewSet(SnippetViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_label = _("Lernpfade")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "audience", "recommended", "live"]
    search_fields = ["title", "summary"]


register_snippet(LearningPathViewSet)


@hooks.register("before_serve_page")
def record_activity_view(page, request, serve_args, serve_kwargs):
    """Opening a lesson counts as viewing it; opening any activity remembers where the learner is.

    Reads the learner's state once for the page (courses.progress.page_state); writes only when
    the view changes something (services.lesson_view_record).
    """
    if not isinstance(page, ActivityPage) or not request.user.is_authenticated or request.method != "GET":
        return None
    found = page_course_state(request=request, course_path=course_path_of(page), extra_ids=(page.pk,))
    if found is None:
        return None
    outline, state = found
    course_class = outline.course.specific_class
    if course_class is None or not issubclass(course_class, CoursePage):
        return None  # an activity outside a course records nothing
    if state.enrolment is None:
        return None  # browsing a course one is not enrolled in records nothing
    before = state.records.get(page.pk)
    # Lessons, and other activities whose condition is "opened" (H5P content without scores).
    if rules.completes_by_reading(page):
        record = lesson_view_record(
            user=request.user, lesson=page, enrolment=state.enrolment, record=before, known=True
        )
        if record is not before:
            page_course_state_forget(request=request)  # the page shows what this view recorded
    else:
        activity_visit_record(user=request.user, activity=page, enrolment=state.enrolment, known=True)
    return None
