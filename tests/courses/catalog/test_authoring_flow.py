"""The issue's acceptance walk-through, through the Wagtail admin as real users would do it."""

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.catalog.models import CoursePage
from courses.catalog.services import catalog_permissions_setup, course_permissions_sync
from courses.lessons.models import LessonPage
from lernplattform.accounts.models import Membership
from tests.factories.pages import CatalogPageFactory, CoursePageFactory, TopicFactory

pytestmark = pytest.mark.django_db

ANSWER_TEXT = "Auskunftsersuchen beantworten Sie innerhalb eines Monats."
EMPTY_COMMENTS = {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}


def _course_data(topic):
    return nested_form_data(
        {
            "title": "Datenschutz im Bürgerbüro",
            "slug": "datenschutz-im-buergerbuero",
            "summary": "Wie das Bürgerbüro Datenschutz im Alltag umsetzt.",
            "easy_summary": "",
            "topic": topic.pk,
            "level": "grundlagen",
            "estimated_hours": "2",
            "outcomes": streamfield([("item", "Auskunftsanträge fristgerecht beantworten")]),
            "target_groups": streamfield([("item", "Beschäftigte im Bürgerbüro")]),
            "prerequisites": streamfield([]),
            "completion_min_score_percent": "",
            "completion_min_required_activities": "",
            "comments": EMPTY_COMMENTS,
            "action-submit": "Zur Freigabe einreichen",
        }
    )


def _lesson_data(n):
    return nested_form_data(
        {
            "title": f"Lektion {n}: Auskunft nach Artikel 15",
            "slug": f"lektion-{n}",
            "intro": rich_text(""),
            "body": streamfield(
                [
                    (
                        "rich_text",
                        rich_text(f"<p>Teil {n}: Auskunftsersuchen beantworten Sie innerhalb eines Monats.</p>"),
                    )
                ]
            ),
            "estimated_minutes": "10",
            "is_required": "on",
            "completion_mode": "viewed",
            "comments": EMPTY_COMMENTS,
            "action-submit": "Zur Freigabe einreichen",
        }
    )


def test_trainer_authors_reviewer_publishes_learner_finds_and_reads(client, org_tree, make_member):
    catalog = CatalogPageFactory()
    catalog_permissions_setup(catalog=catalog)
    topic = TopicFactory(name="Datenmanagement", slug="datenmanagement")
    org = org_tree["garching"]
    trainer = make_member(org, Membership.Role.TRAINER)
    other_trainer = make_member(org, Membership.Role.TRAINER)
    reviewer = make_member(org, Membership.Role.REVIEWER)
    learner = make_member(org, Membership.Role.LEARNER)
    others_course = CoursePageFactory(parent=catalog, owner=other_trainer)
    course_permissions_sync(course=others_course)

    # A trainer creates a course with three lessons and submits each for review.
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["catalog", "coursepage", catalog.pk]), _course_data(topic)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = CoursePage.objects.get(slug="datenschutz-im-buergerbuero")
    for n in (1, 2, 3):
        url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
        response = client.post(url, _lesson_data(n))
        assert response.status_code == 302, response.content.decode()[:3000]
    pages = [course, *LessonPage.objects.child_of(course)]
    assert len(pages) == 4
    assert not any(Page.objects.get(pk=p.pk).live for p in pages)

    # The trainer of another course can neither open this one nor add to it.
    client.force_login(other_trainer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])).status_code in (
        302,
        403,
    )

    # A reviewer approves: the pages go live.
    client.force_login(reviewer)
    for task_state in TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, workflow_state__base_content_type__isnull=False
    ):
        page_id = int(task_state.workflow_state.object_id)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page_id, "approve", task_state.pk])
        assert client.post(url, {"comment": ""}).status_code in (200, 302)
    assert all(Page.objects.get(pk=p.pk).live for p in pages)

    # A learner finds the course (by an inflected word where PostgreSQL stems German) and reads it.
    client.force_login(learner)
    word = "Bürgerbüros" if connection.vendor == "postgresql" else "Bürgerbüro"
    html = client.get("/kurse/", {"q": word}).content.decode()
    assert "Datenschutz im Bürgerbüro" in html
    lesson = LessonPage.objects.child_of(course).get(slug="lektion-2")
    html = client.get(lesson.url).content.decode()
    assert ANSWER_TEXT in html
    assert "Aktivität 2 von 3" in html
