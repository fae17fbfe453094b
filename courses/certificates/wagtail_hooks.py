"""Admin integration: the template snippet (with a live PDF preview) and the trust rule at publishing."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.catalog.models import CoursePage

from .models import CertificateTemplate
from .services import course_scheduled_publish_refuse, course_trust_problem


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Zertifikatsvorlagen")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "validity", "updated_at"]
    search_fields = ["name", "heading"]


register_snippet(CertificateTemplateViewSet)


@hooks.register("before_publish_page")
def refuse_certifying_course_without_trusted_quiz(request, page):
    if not isinstance(page, CoursePage):
        return None
    problem = course_trust_problem(course=page)
    if problem is None:
        return None
    messages.error(request, problem)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_scheduled_publish_course")
def refuse_scheduled_certifying_course_without_trusted_quiz(*, page, revision) -> bool:
    """Wagtail's `publish_scheduled` skips `before_publish_page`: the same rule at go-live."""
    return course_scheduled_publish_refuse(page=page, revision=revision)


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    @actions.register_action("certificates.scheduled_publish_refused")
    class ScheduledPublishRefused(LogFormatter):
        label = _("Geplante Veröffentlichung abgelehnt")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason", "")
            return _("Geplante Veröffentlichung abgelehnt: %(reason)s") % {"reason": reason}
