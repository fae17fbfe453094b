"""Trainer and organisation admin overviews: scope and the privacy rule (no scores for org admins)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.assessment.quiz_models import QuizPage
from courses.catalog.models import CourseTrainer
from courses.progress.models import Enrolment
from courses.progress.services import activity_result_record, enrolment_create
from lernplattform.accounts.models import Membership
from tests.factories.pages import course_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(org_tree, make_member):
    return make_member(org_tree["land"], Membership.Role.TRAINER)


def _score(user, course, score="7.5"):
    activity = course.get_children().type(QuizPage).specific().first()
    activity_result_record(
        user=user,
        activity=activity,
        score=Decimal(score),
        max_score=Decimal(10),
        passed=True,
        trusted=True,
        source="quiz",
    )


def test_trainer_sees_results_in_assigned_course(client, trainer, learner):
    course = course_create(title="Datenkompetenz", lessons=0, quizzes=1)
    CourseTrainer.objects.create(course=course, user=trainer)
    _score(learner, course)
    client.force_login(trainer)
    html = client.get(reverse("progress:trainer_courses")).content.decode()
    assert "Datenkompetenz" in html
    html = client.get(reverse("progress:trainer_course", args=[course.pk])).content.decode()
    assert learner.full_name in html
    assert "7,50/10" in html


def test_trainer_cannot_open_someone_elses_course(client, trainer):
    course = course_create(lessons=1)
    client.force_login(trainer)
    assert client.get(reverse("progress:trainer_course", args=[course.pk])).status_code == 404


def test_learner_has_no_trainer_view(client, learner):
    client.force_login(learner)
    assert client.get(reverse("progress:trainer_courses")).status_code == 403


def test_org_admin_sees_completions_in_scope_but_never_scores(client, kreis_admin, learner, outsider):
    course = course_create(title="Datenkompetenz", lessons=0, quizzes=1)
    _score(learner, course, score="7.5")
    _score(outsider, course)
    client.force_login(kreis_admin)
    html = client.get(reverse("progress:org_overview")).content.decode()
    assert learner.email in html
    assert "Datenkompetenz" in html
    assert outsider.email not in html
    assert "7.5" not in html and "7,5" not in html and "/10" not in html


def test_learner_has_no_org_overview(client, learner):
    client.force_login(learner)
    assert client.get(reverse("progress:org_overview")).status_code == 403


def test_org_admin_enrols_person_in_scope_with_due_date(client, kreis_admin, learner):
    course = course_create(lessons=1)
    client.force_login(kreis_admin)
    response = client.post(
        reverse("progress:org_enrol"), {"email": learner.email, "course": course.pk, "due_date": "2099-12-31"}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.enrolled_by == kreis_admin
    assert str(enrolment.due_date) == "2099-12-31"


def test_org_admin_form_refuses_person_outside_scope(client, kreis_admin, outsider):
    course = course_create(lessons=1)
    client.force_login(kreis_admin)
    response = client.post(reverse("progress:org_enrol"), {"email": outsider.email, "course": course.pk})
    assert response.status_code == 200
    assert "keine Person mit dieser Adresse" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_org_admin_unenrols_person_in_scope(client, kreis_admin, learner):
    course = course_create(lessons=1)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=kreis_admin)
    client.force_login(kreis_admin)
    client.post(reverse("progress:unenrol", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.unenrolled_by == kreis_admin


def test_the_enrolment_overview_has_a_title_of_its_own(client, kreis_admin):
    """WCAG 2.4.2: it used to carry the reports' title "Qualifizierung in meinem Bereich" (a second
    page of that name behind a second link of that name on the dashboard)."""
    client.force_login(kreis_admin)
    html = client.get(reverse("progress:org_overview")).content.decode()
    assert "<title>Einschreibungen in meinem Bereich – Lernplattform</title>" in html
    assert "<h1>Einschreibungen in meinem Bereich</h1>" in html
    assert f'<a href="{reverse("reports:home")}">' in html  # the figures are one link away
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert dashboard.count("Qualifizierung in meinem Bereich</a>") == 1
    assert f'<a href="{reverse("progress:org_overview")}">Einschreibungen in meinem Bereich</a>' in dashboard
