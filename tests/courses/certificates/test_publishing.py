"""The trust rule at publishing (DESIGN.md): a certifying course needs a server-graded required quiz.

Checked on every way a course goes live: the editor's "Veröffentlichen" (before_publish_page) and
the approval of the last task of a Wagtail workflow (WAGTAIL_FINISH_WORKFLOW_ACTION).
"""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState, WorkflowTask

from courses.catalog.models import CoursePage
from courses.certificates.wagtail_hooks import refuse_certifying_course_without_trusted_quiz
from tests.factories.pages import course_create, quiz_add

from .conftest import template_create

pytestmark = pytest.mark.django_db

MESSAGE = "braucht deshalb mindestens einen veröffentlichten Pflicht-Test"


def _draft_with_template(course: CoursePage, title: str):
    """The editor sets a template (and a new title) on the course and saves a draft."""
    page = CoursePage.objects.get(pk=course.pk)
    page.certificate_template = template_create()
    page.title = title
    return page.save_revision()


def _workflow_approve(page: CoursePage, user):
    """Submit the latest draft to a one-step approval workflow and approve it, as moderators do."""
    task = GroupApprovalTask.objects.create(name="Redaktion prüft")
    workflow = Workflow.objects.create(name="Freigabe")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    state = workflow.start(page, user)
    task_state = WorkflowState.objects.get(pk=state.pk).current_task_state
    task.on_action(task_state.specific, user, "approve")
    return WorkflowState.objects.get(pk=state.pk)


def test_direct_publish_of_a_certifying_course_without_quiz_is_refused_in_german(platform_admin):
    course = course_create(title="Ohne Test", lessons=1)
    page = CoursePage.objects.get(pk=course.pk)
    page.certificate_template = template_create()
    request = RequestFactory().post("/admin/")
    request.user = platform_admin
    request.session = {}
    request._messages = FallbackStorage(request)
    response = refuse_certifying_course_without_trusted_quiz(request, page)
    assert response is not None and response.status_code == 302
    assert any(MESSAGE in str(m) for m in request._messages)
    quiz_add(course, title="Abschlusstest")
    assert refuse_certifying_course_without_trusted_quiz(request, CoursePage.objects.get(pk=course.pk)) is None


def test_workflow_approval_does_not_publish_a_certifying_course_without_quiz(platform_admin):
    course = course_create(title="Datenschutz", lessons=1)
    _draft_with_template(course, "Datenschutz mit Zertifikat")
    state = _workflow_approve(CoursePage.objects.get(pk=course.pk), platform_admin)
    live = CoursePage.objects.get(pk=course.pk)
    assert live.title == "Datenschutz" and live.certificate_template_id is None  # the live version is untouched
    assert live.has_unpublished_changes
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.task_states.order_by("-pk").first()
    assert task_state.status == task_state.STATUS_REJECTED
    assert MESSAGE in task_state.comment


def test_workflow_approval_publishes_a_certifying_course_with_a_required_quiz(platform_admin):
    course = course_create(title="Datenschutz", lessons=1)
    quiz_add(course, title="Abschlusstest")
    _draft_with_template(course, "Datenschutz mit Zertifikat")
    state = _workflow_approve(CoursePage.objects.get(pk=course.pk), platform_admin)
    live = CoursePage.objects.get(pk=course.pk)
    assert state.status == WorkflowState.STATUS_APPROVED
    assert live.title == "Datenschutz mit Zertifikat" and live.certificate_template_id is not None


def _schedule(page: CoursePage, user, *, template=True, title: str = "Geplant mit Zertifikat"):
    """The editor sets a template on the course, chooses "Veröffentlichen ab" in an hour and publishes:
    Wagtail only schedules the revision. Then the hour passes (the go-live time moves into the past)."""
    import datetime

    from django.utils import timezone

    page = CoursePage.objects.get(pk=page.pk)
    if template:
        page.certificate_template = template_create()
    page.title = title
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None  # scheduled, not live
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    return revision


def test_scheduled_go_live_of_a_certifying_course_without_quiz_is_refused_logged_and_notified(platform_admin):
    from django.core.management import call_command
    from wagtail.models import PageLogEntry

    from lernplattform.notifications.models import Notification

    course = course_create(title="Datenschutz", lessons=1)
    revision = _schedule(course, platform_admin)
    call_command("publish_scheduled")

    live = CoursePage.objects.get(pk=course.pk)
    assert live.title == "Datenschutz" and live.certificate_template_id is None  # nothing went live
    assert live.has_unpublished_changes  # the draft stays saved
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # the schedule is cancelled, not retried every 5 minutes
    entry = PageLogEntry.objects.get(page=course, action="certificates.scheduled_publish_refused")
    assert MESSAGE in entry.data["reason"] and entry.revision_id == revision.pk
    assert MESSAGE in entry.message  # the page's history in the admin says why
    mail = Notification.objects.get(kind="certificates.scheduled_publish_refused", user=platform_admin)
    assert "Geplant mit Zertifikat" in mail.subject and MESSAGE in mail.body  # the editor who scheduled it learns why

    call_command("publish_scheduled")  # a second run changes nothing and tells nobody twice
    assert PageLogEntry.objects.filter(page=course, action="certificates.scheduled_publish_refused").count() == 1
    assert Notification.objects.filter(kind="certificates.scheduled_publish_refused").count() == 1


def test_scheduled_go_live_of_a_certifying_course_with_a_required_quiz_goes_live(platform_admin):
    from django.core.management import call_command

    course = course_create(title="Datenschutz", lessons=1)
    quiz_add(course, title="Abschlusstest")
    _schedule(course, platform_admin)
    call_command("publish_scheduled")
    live = CoursePage.objects.get(pk=course.pk)
    assert live.title == "Geplant mit Zertifikat" and live.certificate_template_id is not None


def test_scheduled_go_live_is_checked_when_it_happens_not_when_it_was_scheduled(platform_admin):
    """The quiz was live when the course was scheduled, then unpublished: the course must not go live."""
    from django.core.management import call_command

    course = course_create(title="Datenschutz", lessons=1)
    quiz = quiz_add(course, title="Abschlusstest")
    _schedule(course, platform_admin)
    quiz.unpublish()
    call_command("publish_scheduled")
    assert CoursePage.objects.get(pk=course.pk).certificate_template_id is None


def test_scheduled_course_without_a_template_goes_live_as_wagtail_does_it(platform_admin):
    from django.core.management import call_command

    course = course_create(title="Datenschutz", lessons=1)
    _schedule(course, platform_admin, template=False, title="Neuer Titel")
    call_command("publish_scheduled")
    assert CoursePage.objects.get(pk=course.pk).title == "Neuer Titel"
