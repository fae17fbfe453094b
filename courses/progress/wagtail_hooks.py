"""Admin for learning paths, and recording of activity page views."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.catalog.models import ActivityPage, LessonPage

from .models import LearningPath
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
    """Opening a lesson counts as viewing it; opening any activity remembers where the learner is."""
    if not isinstance(page, ActivityPage) or not request.user.is_authenticated or request.method != "GET":
        return None
    if isinstance(page, LessonPage):
        lesson_view_record(user=request.user, lesson=page)
    else:
        activity_visit_record(user=request.user, activity=page)
    return None
