"""Tried as a new user would: enrol, lesson, quiz, H5P; the course completes and the path's next course unlocks."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courses.assessment import attempt_services
from courses.h5p.selectors import h5p_activity_iri, h5p_actor_for
from courses.progress.models import ActivityCompletion, CourseCompletion
from courses.progress.selectors import path_progress
from tests.factories import quiz as quiz_factories
from tests.factories.pages import course_create, h5p_activity_page, path_create

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def _continue_href(client):
    html = client.get(reverse("progress:dashboard")).content.decode()
    marker = 'class="button continue-link" href="'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_learner_works_through_lesson_quiz_and_h5p_and_the_path_unlocks(
    client, learner, django_capture_on_commit_callbacks
):
    course = course_create(title="Informationssicherheit", lessons=1)
    lesson = course.get_children().specific().first()
    quiz = quiz_factories.quiz(course, questions=[quiz_factories.truefalse(quiz_factories.category(), correct=True)])
    h5p = h5p_activity_page(course=course, passing_threshold=50)
    follow_up = course_create(title="Vertiefung", lessons=1)
    path = path_create(title="Sicher arbeiten", courses=[course, follow_up])
    assert not path_progress(user=learner, path=path).steps[1].unlocked

    client.force_login(learner)
    client.post(reverse("progress:enrol", args=[course.pk]))
    assert _continue_href(client) == lesson.url

    client.get(lesson.url)
    assert _continue_href(client) == quiz.url

    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_services.attempt_start(quiz=quiz, user=learner)
        attempt_services.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"value": True}})
        attempt_services.attempt_submit(attempt_id=attempt.pk, user=learner)
    quiz_record = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert quiz_record.is_completed and quiz_record.trusted
    assert _continue_href(client) == h5p.url

    api = APIClient()
    api.force_authenticate(learner)
    iri = h5p_activity_iri(page=h5p, content=h5p.content)
    statement = {
        "actor": {"objectType": "Agent", "name": "x", "mbox": "mailto:" + h5p_actor_for(learner)["mail"]},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {"id": iri, "objectType": "Activity"},
        "result": {"score": {"raw": 2, "max": 2, "min": 0, "scaled": 1}, "completion": True},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/h5p/xapi/", {"page": h5p.pk, "content": h5p.content.pk, "statement": statement}, format="json"
        )
    assert response.status_code == 201
    h5p_record = ActivityCompletion.objects.get(user=learner, activity_id=h5p.pk)
    assert h5p_record.is_completed and not h5p_record.trusted

    completion = CourseCompletion.objects.get(user=learner, course=course)
    assert completion.trusted  # the server-graded quiz is among the required activities
    assert path_progress(user=learner, path=path).steps[1].unlocked
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "Abgeschlossen am" in html
    assert _continue_href(client) is None  # nothing left in progress until the next course is taken
    client.post(reverse("progress:enrol", args=[follow_up.pk]), {"path": path.pk})
    assert _continue_href(client) == follow_up.get_children().first().url
