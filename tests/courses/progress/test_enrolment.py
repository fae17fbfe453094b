"""Enrolment: self-enrolment, organisation admins within scope, due dates, unenrolment as history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.progress.models import Enrolment
from courses.progress.services import enrolment_cancel, enrolment_create
from tests.factories.pages import course_create

pytestmark = pytest.mark.django_db


def test_learner_enrols_themselves():
    course = course_create()
    from tests.factories.accounts import UserFactory

    user = UserFactory()
    enrolment = enrolment_create(user=user, course=course, enrolled_by=user)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.method == Enrolment.Method.SELF
    assert enrolment.enrolled_by == user


def test_enrolling_twice_keeps_one_enrolment(learner):
    course = course_create()
    first = enrolment_create(user=learner, course=course, enrolled_by=learner)
    second = enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_org_admin_enrols_person_in_scope_with_due_date(learner, kreis_admin):
    course = course_create()
    due = timezone.localdate() + datetime.timedelta(days=30)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=kreis_admin, due_date=due)
    assert enrolment.method == Enrolment.Method.ADMIN
    assert enrolment.due_date == due
    assert enrolment.enrolled_by == kreis_admin


def test_org_admin_due_date_updates_existing_enrolment(learner, kreis_admin):
    course = course_create()
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    due = timezone.localdate() + datetime.timedelta(days=10)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=kreis_admin, due_date=due)
    enrolment.refresh_from_db()
    assert enrolment.due_date == due


def test_org_admin_cannot_enrol_person_outside_scope(kreis_admin, outsider):
    course = course_create()
    with pytest.raises(PermissionDenied):
        enrolment_create(user=outsider, course=course, enrolled_by=kreis_admin)
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_learner_cannot_enrol_someone_else(learner, outsider):
    course = course_create()
    with pytest.raises(PermissionDenied):
        enrolment_create(user=outsider, course=course, enrolled_by=learner)


def test_platform_admin_enrols_anyone(platform_admin, outsider):
    course = course_create()
    assert enrolment_create(user=outsider, course=course, enrolled_by=platform_admin).pk


def test_due_date_in_the_past_is_refused(learner, kreis_admin):
    course = course_create()
    with pytest.raises(ValidationError):
        enrolment_create(
            user=learner, course=course, enrolled_by=kreis_admin, due_date=timezone.localdate() - datetime.timedelta(1)
        )
    assert not Enrolment.objects.exists()


def test_unpublished_course_cannot_be_enrolled(learner):
    course = course_create()
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=course, enrolled_by=learner)


def test_cancel_keeps_history_and_allows_enrolling_again(learner):
    course = course_create()
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=learner)
    cancelled = enrolment_cancel(enrolment=enrolment, cancelled_by=learner)
    assert cancelled.status == Enrolment.Status.CANCELLED
    assert cancelled.unenrolled_at is not None
    assert cancelled.unenrolled_by == learner
    again = enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert again.pk != enrolment.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 2


def test_org_admin_cannot_cancel_outside_scope(kreis_admin, outsider):
    course = course_create()
    enrolment = enrolment_create(user=outsider, course=course, enrolled_by=outsider)
    with pytest.raises(PermissionDenied):
        enrolment_cancel(enrolment=enrolment, cancelled_by=kreis_admin)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_database_allows_only_one_current_enrolment(learner):
    course = course_create()
    Enrolment.objects.create(user=learner, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(user=learner, course=course)


def test_pending_registration_reads_the_course_but_cannot_enrol(client, org_tree):
    """Issue 10 (low): an unapproved self-registration could enrol; now the course page says why not."""
    from lernplattform.accounts.services import membership_start
    from tests.factories.accounts import UserFactory

    course = course_create(title="Datenschutz")
    pending = UserFactory()
    membership_start(user=pending, organisation=org_tree["garching"], role="learner", approved=False)

    with pytest.raises(PermissionDenied):
        enrolment_create(user=pending, course=course, enrolled_by=pending)

    client.force_login(pending)
    page = client.get(course.url)
    assert page.status_code == 200
    assert "wartet noch auf die Bestätigung" in page.content.decode()
    assert "In diesen Kurs einschreiben" not in page.content.decode()
    client.post(f"/lernen/kurse/{course.pk}/einschreiben/")
    assert not Enrolment.objects.filter(user=pending).exists()
