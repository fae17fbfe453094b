"""Trainers edit only their own or assigned courses; reviewers publish through the workflow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.catalog.models import CoursePage
from courses.catalog.services import (
    catalog_permissions_setup,
    course_permissions_sync,
    course_trainer_assign,
    course_trainer_unassign,
)
from courses.lessons.models import LessonPage
from lernplattform.accounts.models import Membership
from lernplattform.accounts.services import membership_end
from tests.factories.pages import CatalogPageFactory, CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    page = CatalogPageFactory()
    catalog_permissions_setup(catalog=page)
    return page


@pytest.fixture
def people(org_tree, make_member):
    org = org_tree["garching"]
    return {
        "anna": make_member(org, Membership.Role.TRAINER, full_name="Anna Trainerin"),
        "bernd": make_member(org, Membership.Role.TRAINER, full_name="Bernd Trainer"),
        "rita": make_member(org, Membership.Role.REVIEWER, full_name="Rita Redaktion"),
        "lena": make_member(org, Membership.Role.LEARNER, full_name="Lena Lernende"),
    }


def _course_of(owner, catalog, **kwargs):
    course = CoursePageFactory(parent=catalog, owner=owner, **kwargs)
    course_permissions_sync(course=course)
    return course


def _fresh(user):
    # Wagtail caches a user's page permissions on the user object.
    return type(user).objects.get(pk=user.pk)


def _can_edit(user, page) -> bool:
    return Page.objects.get(pk=page.pk).permissions_for_user(_fresh(user)).can_edit()


def test_trainer_edits_own_course_but_not_another_trainers(client, catalog, people):
    annas = _course_of(people["anna"], catalog)
    bernds = _course_of(people["bernd"], catalog)
    client.force_login(people["bernd"])

    assert client.get(reverse("wagtailadmin_pages:edit", args=[bernds.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[annas.pk]))
    assert response.status_code in (302, 403)
    assert not _can_edit(people["bernd"], annas)


def test_trainer_cannot_add_a_lesson_to_another_trainers_course(client, catalog, people):
    annas = _course_of(people["anna"], catalog)
    client.force_login(people["bernd"])
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", annas.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(people["anna"])
    assert client.get(url).status_code == 200


def test_assigned_trainer_may_edit_the_course_and_its_lessons_until_unassigned(catalog, people):
    annas = _course_of(people["anna"], catalog)
    lesson = LessonPageFactory(parent=annas, owner=people["anna"])
    assert not _can_edit(people["bernd"], lesson)

    course_trainer_assign(course=annas, user=people["bernd"])
    assert _can_edit(people["bernd"], annas)
    assert _can_edit(people["bernd"], lesson)

    course_trainer_unassign(course=annas, user=people["bernd"])
    assert not _can_edit(people["bernd"], lesson)


def test_only_trainers_can_be_assigned(catalog, people):
    annas = _course_of(people["anna"], catalog)
    with pytest.raises(ValidationError):
        course_trainer_assign(course=annas, user=people["lena"])


def test_course_group_drops_a_trainer_whose_role_ended(catalog, people):
    annas = _course_of(people["anna"], catalog)
    course_trainer_assign(course=annas, user=people["bernd"])
    membership_end(membership=Membership.objects.get(user=people["bernd"], role=Membership.Role.TRAINER))
    course_permissions_sync(course=annas)
    assert not _can_edit(people["bernd"], annas)


def test_trainers_cannot_publish(catalog, people):
    annas = _course_of(people["anna"], catalog)
    assert not Page.objects.get(pk=annas.pk).permissions_for_user(_fresh(people["anna"])).can_publish()
    assert Page.objects.get(pk=annas.pk).permissions_for_user(_fresh(people["rita"])).can_publish()


def _course_form(course, **overrides):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "easy_summary": "",
        "topic": course.topic_id,
        "level": course.level,
        "estimated_hours": "3",
        "outcomes": streamfield([("item", "Daten schützen")]),
        "target_groups": streamfield([]),
        "prerequisites": streamfield([]),
        "completion_min_score_percent": "",
        "completion_min_required_activities": "",
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        **overrides,
    }
    return nested_form_data(data)


def test_trainer_submits_and_reviewer_publishes(client, catalog, people):
    course = CoursePageFactory(parent=catalog, owner=people["anna"], live=False, title="Datenschutz kompakt")
    course_permissions_sync(course=course)

    client.force_login(people["anna"])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        {**_course_form(course, title="Datenschutz kompakt für Kommunen"), "action-submit": "Zur Freigabe einreichen"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course.refresh_from_db()
    assert not course.live
    state = course.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS

    client.force_login(people["rita"])
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live
    assert course.title == "Datenschutz kompakt für Kommunen"


def test_publishing_can_be_scheduled(catalog, people):
    course = CoursePageFactory(parent=catalog, owner=people["anna"])
    lesson = LessonPageFactory(parent=course, live=False)
    lesson.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    lesson.save_revision(user=people["rita"]).publish(user=people["rita"])  # only schedules
    lesson.refresh_from_db()
    assert not lesson.live

    # Let the hour pass: move the scheduled time of the revision into the past.
    revision = lesson.latest_revision
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert lesson.live


def test_new_course_in_the_admin_gets_its_group(client, catalog, people):
    client.force_login(people["anna"])
    response = client.get(reverse("wagtailadmin_pages:add", args=["catalog", "coursepage", catalog.pk]))
    assert response.status_code == 200
    course = CoursePageFactory.build(title="Neu")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["catalog", "coursepage", catalog.pk]),
        _course_form(course, slug="neu", topic=""),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = CoursePage.objects.get(slug="neu")
    assert created.owner == people["anna"]
    assert people["anna"].groups.filter(name=f"Kurs {created.pk}: Trainer/innen").exists()
    assert not LessonPage.objects.exists()


def test_preview_of_a_lesson_renders(client, catalog, people):
    course = _course_of(people["anna"], catalog)
    lesson = LessonPageFactory(parent=course, owner=people["anna"])
    client.force_login(people["anna"])
    response = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]))
    assert response.status_code == 200


def test_nightly_sync_removes_trainers_whose_role_ended(catalog, people):
    from courses.catalog.tasks import course_groups_sync

    annas = _course_of(people["anna"], catalog)
    course_trainer_assign(course=annas, user=people["bernd"])
    membership_end(membership=Membership.objects.get(user=people["bernd"], role=Membership.Role.TRAINER))
    course_groups_sync.delay()
    assert not _can_edit(people["bernd"], annas)
    assert _can_edit(people["anna"], annas)


def test_scheduled_publishing_task_runs_wagtails_command(catalog, people):
    from courses.catalog.tasks import pages_publish_scheduled

    course = CoursePageFactory(parent=catalog, owner=people["anna"])
    lesson = LessonPageFactory(parent=course, live=False)
    revision = lesson.save_revision(user=people["rita"])
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    pages_publish_scheduled.delay()
    lesson.refresh_from_db()
    assert lesson.live


def test_preview_of_a_new_unsaved_lesson_renders(client, catalog, people):
    course = _course_of(people["anna"], catalog)
    LessonPageFactory(parent=course, owner=people["anna"])
    client.force_login(people["anna"])
    url = reverse("wagtailadmin_pages:preview_on_add", args=["lessons", "lessonpage", course.pk])
    data = nested_form_data(
        {
            "title": "Entwurf",
            "slug": "entwurf",
            "intro": rich_text(""),
            "body": streamfield([("rich_text", rich_text("<p>Noch nicht veröffentlicht.</p>"))]),
            "estimated_minutes": "",
            "is_required": "on",
            "completion_mode": "viewed",
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        }
    )
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Noch nicht veröffentlicht." in response.content.decode()
