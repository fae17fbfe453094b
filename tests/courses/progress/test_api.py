"""The progress API: own records, org admins within scope, no scores of others."""

import pytest
from rest_framework.test import APIClient

from courses.progress.models import Enrolment
from courses.progress.services import enrolment_create, lesson_mark_done
from tests.factories.pages import course_create, path_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_learner_enrols_and_lists_own_enrolments(api, learner, outsider):
    course = course_create(lessons=1)
    enrolment_create(user=outsider, course=course, enrolled_by=outsider)
    api.force_authenticate(learner)
    response = api.post("/api/v1/enrolments/", {"course": course.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "active"
    listed = api.get("/api/v1/enrolments/").json()["results"]
    assert [e["user"]["id"] for e in listed] == [learner.pk]


def test_org_admin_enrols_in_scope_and_is_refused_outside(api, kreis_admin, learner, outsider):
    course = course_create(lessons=1)
    api.force_authenticate(kreis_admin)
    ok = api.post("/api/v1/enrolments/", {"course": course.pk, "user": learner.pk, "due_date": "2099-01-31"})
    assert ok.status_code == 201
    assert ok.json()["due_date"] == "2099-01-31"
    refused = api.post("/api/v1/enrolments/", {"course": course.pk, "user": outsider.pk})
    assert refused.status_code == 403
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_org_admin_lists_enrolments_in_scope_only(api, kreis_admin, learner, outsider):
    course = course_create(lessons=1)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    enrolment_create(user=outsider, course=course, enrolled_by=outsider)
    api.force_authenticate(kreis_admin)
    users = {e["user"]["id"] for e in api.get("/api/v1/enrolments/").json()["results"]}
    assert users == {learner.pk}


def test_cancel_through_the_api_keeps_history(api, learner):
    course = course_create(lessons=1)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=learner)
    api.force_authenticate(learner)
    response = api.post(f"/api/v1/enrolments/{enrolment.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_past_due_date_is_a_clear_error(api, kreis_admin, learner):
    course = course_create(lessons=1)
    api.force_authenticate(kreis_admin)
    response = api.post("/api/v1/enrolments/", {"course": course.pk, "user": learner.pk, "due_date": "2001-01-01"})
    assert response.status_code == 400
    assert "Vergangenheit" in str(response.json())


def test_own_course_progress_with_next_activity(api, learner):
    course = course_create(lessons=2)
    first, second = course.get_children().specific()
    lesson_mark_done(user=learner, lesson=first)
    api.force_authenticate(learner)
    listed = api.get("/api/v1/progress/courses/").json()["results"]
    assert listed[0]["percent"] == 50
    assert listed[0]["next_activity"]["id"] == second.pk
    detail = api.get(f"/api/v1/progress/courses/{course.pk}/").json()
    assert [a["state"] for a in detail["activities"]] == ["completed", None]


def test_own_course_progress_comes_a_page_at_a_time_open_courses_first(api, learner):
    from courses.progress.selectors import LEARNER_COURSES_PAGE_SIZE

    done = course_create(title="Erledigt", lessons=1)
    lesson_mark_done(user=learner, lesson=done.get_children().specific().first())  # enrols and completes
    for number in range(LEARNER_COURSES_PAGE_SIZE):
        enrolment_create(user=learner, course=course_create(title=f"Offen {number}", lessons=0), enrolled_by=learner)
    api.force_authenticate(learner)
    first = api.get("/api/v1/progress/courses/", {"format": "json"}).json()
    assert first["count"] == LEARNER_COURSES_PAGE_SIZE + 1
    assert len(first["results"]) == LEARNER_COURSES_PAGE_SIZE
    assert {item["status"] for item in first["results"]} == {"active"}
    assert "format=json" in first["next"] and "page=2" in first["next"]  # the links keep the other parameters
    second = api.get(first["next"]).json()
    assert [item["course"]["title"] for item in second["results"]] == ["Erledigt"]
    assert second["results"][0]["status"] == "completed"
    assert second["next"] is None


def test_learning_paths_show_unlocked_steps(api, learner):
    first, second = (course_create(title=f"K{n}", lessons=1) for n in range(2))
    path_create(title="Einstieg", courses=[first, second])
    api.force_authenticate(learner)
    (path,) = api.get("/api/v1/learning-paths/").json()
    assert [s["unlocked"] for s in path["steps"]] == [True, False]


def test_api_needs_login(api):
    assert api.get("/api/v1/enrolments/").status_code in (401, 403)
