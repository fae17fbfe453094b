"""Admin integration of the catalogue: snippets, and the hooks that keep course permissions derived."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CatalogPage, CoursePage, CourseTrainer, Topic
from .services import catalog_permissions_setup, course_permissions_sync


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themenfelder")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class CourseTrainerViewSet(SnippetViewSet):
    model = CourseTrainer
    icon = "group"
    menu_label = _("Kurszuordnungen")
    list_display = ["course", "user", "created_at"]


register_snippet(TopicViewSet)
register_snippet(CourseTrainerViewSet)


def _deny_unless_course_editable(request, parent_page) -> None:
    # Wagtail's "add" right in the catalogue reaches every course below it; adding an activity
    # to a course is editing that course, so it needs the right to edit the course itself.
    if parent_page.specific_class is CoursePage and not parent_page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied


@hooks.register("before_create_page")
def only_into_editable_courses(request, parent_page, page_class):
    _deny_unless_course_editable(request, parent_page)


@hooks.register("before_move_page")
def only_move_into_editable_courses(request, page, destination):
    _deny_unless_course_editable(request, destination)


@hooks.register("after_create_page")
def derive_permissions_of_new_pages(request, page):
    if isinstance(page, CatalogPage):
        catalog_permissions_setup(catalog=page)
    elif isinstance(page, CoursePage):
        course_permissions_sync(course=page)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def sync_after_assignment_saved(request, instance):
    if isinstance(instance, CourseTrainer):
        course_permissions_sync(course=instance.course)


@hooks.register("after_delete_snippet")
def sync_after_assignment_deleted(request, instances):
    for course in {i.course for i in instances if isinstance(i, CourseTrainer)}:
        course_permissions_sync(course=course)


@hooks.register("after_copy_page")
def derive_permissions_of_copied_courses(request, page, new_page):
    copy = new_page.specific
    if isinstance(copy, CoursePage):
        course_permissions_sync(course=copy)
