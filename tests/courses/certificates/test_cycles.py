"""Certification cycles: validity policies, renewal window with re-enrolment, chain, reminders, expiry."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from courses.certificates import cycles, services
from courses.certificates.models import Certificate, CertificateEvent, CertificateTemplate
from courses.progress.models import CourseCompletion, Enrolment
from lernplattform.notifications.models import Notification

from .conftest import certifying_course, course_finish, template_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("policy", "completed", "previous", "expected"),
    [
        ({"validity": "unlimited"}, D(2026, 3, 1), None, None),
        ({"validity": "from_completion", "months": 12}, D(2026, 3, 1), None, D(2027, 3, 1)),
        ({"validity": "from_completion", "months": 1}, D(2026, 1, 31), None, D(2026, 2, 28)),
        # Renewing early loses nothing: from the previous expiry while it was still valid ...
        ({"validity": "from_previous_expiry", "months": 24}, D(2026, 3, 1), D(2026, 5, 31), D(2028, 5, 31)),
        # ... and from the completion when the previous one had already expired.
        ({"validity": "from_previous_expiry", "months": 24}, D(2026, 7, 1), D(2026, 5, 31), D(2028, 7, 1)),
        ({"validity": "fixed_date", "fixed_month": 12, "fixed_day": 31}, D(2026, 3, 1), None, D(2026, 12, 31)),
        ({"validity": "fixed_date", "fixed_month": 3, "fixed_day": 31}, D(2026, 6, 1), None, D(2027, 3, 31)),
    ],
)
def test_validity_policies(policy, completed, previous, expected):
    assert services.validity_until(policy=policy, completed_on=completed, previous_until=previous) == expected


def _yearly_template(**fields):
    return template_create(
        validity=CertificateTemplate.Validity.FROM_PREVIOUS_EXPIRY,
        validity_months=12,
        window_days=90,
        reminder_days="90, 30",
        **fields,
    )


def _finish(user, course, capture):
    with capture(execute=True):
        course_finish(user, course)


def test_in_the_window_the_learner_is_re_enrolled_and_renewing_continues_the_chain(
    learner, org_tree, make_member, django_capture_on_commit_callbacks
):
    from lernplattform.accounts.models import Membership

    admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Garching Verwaltung")
    course = certifying_course(template=_yearly_template())
    _finish(learner, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get()
    issued_on = timezone.localdate(first.completed_at)
    assert first.valid_until == services._add_months(issued_on, 12)

    # Before the window: nothing happens.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=first.valid_until - datetime.timedelta(days=120)) == {
            "renewals": 0,
            "notices": 0,
        }

    window = first.valid_until - datetime.timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        counts = cycles.certifications_run(today=window)
        again = cycles.certifications_run(today=window)  # the nightly job may run twice
    assert counts == {"renewals": 1, "notices": 1}
    assert again == {"renewals": 0, "notices": 1}  # the same dedupe key: nothing new is sent
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.cycle == 2
    assert enrolment.method == Enrolment.Method.RENEWAL and enrolment.due_date == first.valid_until
    reminders = Notification.objects.filter(subject__contains="läuft am")
    assert reminders.count() == 2  # the learner, and the organisation admin
    assert any(admin.email in n.recipients for n in reminders)
    assert first.events.filter(kind=CertificateEvent.Kind.RENEWAL_OPENED).count() == 1

    # Renewing: the learner completes the course again in the new cycle.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=300)):
        _finish(learner, course, django_capture_on_commit_callbacks)
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 2  # history stays
    second = Certificate.objects.exclude(pk=first.pk).get()
    assert second.renews == first and second.cycle == 2
    assert list(first.renewals.all()) == [second]
    # From the previous expiry: renewing early loses nothing.
    assert second.valid_until == services._add_months(first.valid_until, 12)
    assert first.events.filter(kind=CertificateEvent.Kind.RENEWED).exists()


def test_earlier_cycle_work_does_not_count_again(learner, django_capture_on_commit_callbacks):
    from courses.progress.services import enrolment_create

    course = certifying_course(template=_yearly_template())
    _finish(learner, course, django_capture_on_commit_callbacks)
    enrolment_create(user=learner, course=course, enrolled_by=learner, renewal=True)
    lesson = next(p for p in course.get_children().specific() if p.specific_class.__name__ == "LessonPage")
    from courses.progress.services import lesson_mark_done

    lesson_mark_done(user=learner, lesson=lesson)  # only the lesson; the quiz of cycle 1 does not count
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=learner, renewal=True)
    assert enrolment.cycle == 2  # asking again in the same open cycle changes nothing


def test_a_refresher_course_renews_the_certificate(learner, django_capture_on_commit_callbacks):
    template = _yearly_template()
    refresher = certifying_course(template=template, title="Datenschutz – Auffrischung")
    course = certifying_course(template=template, renewal_course=refresher)
    _finish(learner, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=first.valid_until - datetime.timedelta(days=10))
    assert Enrolment.objects.filter(user=learner, course=refresher, status="active").exists()
    _finish(learner, refresher, django_capture_on_commit_callbacks)
    renewal = Certificate.objects.get(course=refresher)
    assert renewal.renews == first


def test_expiry_notice_once_and_overdue_without_renewal(learner, django_capture_on_commit_callbacks):
    course = certifying_course(template=_yearly_template())
    _finish(learner, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get()
    after = first.valid_until + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=after)
        cycles.certifications_run(today=after)
    assert Notification.objects.filter(subject__contains="ist abgelaufen").count() == 1
    assert cycles.certificate_is_overdue(certificate=first, today=after)
    assert first.status_on(after) == Certificate.Status.EXPIRED


def test_a_policy_change_never_rewrites_issued_certificates(learner, django_capture_on_commit_callbacks):
    template = _yearly_template()
    course = certifying_course(template=template)
    _finish(learner, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get()
    before = (first.valid_until, dict(first.snapshot["policy"]))
    template.validity = CertificateTemplate.Validity.UNLIMITED
    template.window_days = 10
    template.save()
    first.refresh_from_db()
    assert (first.valid_until, first.snapshot["policy"]) == before
    # The renewal window still follows the policy the certificate was issued under.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=first.valid_until - datetime.timedelta(days=60))["renewals"] == 1


def test_in_a_renewal_cycle_progress_starts_again_and_the_first_cycle_stays_history(
    learner, client, django_capture_on_commit_callbacks
):
    from courses.progress import selectors as progress_selectors

    course = certifying_course(template=_yearly_template())
    _finish(learner, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=first.valid_until - datetime.timedelta(days=80))
    assert Enrolment.objects.get(user=learner, course=course).cycle == 2

    progress = progress_selectors.course_progress(user=learner, course=course)
    assert not progress.is_completed and progress.percent == 0
    assert not any(a.is_completed for a in progress.activities)  # cycle 1's work is not this cycle's
    listed = progress_selectors.courses_progress(user=learner, courses=[course])[0]
    assert not listed.is_completed and listed.required_done == 0
    dashboard = progress_selectors.learner_dashboard(user=learner)
    assert [p.course.pk for p in dashboard.in_progress] == [course.pk]
    assert dashboard.completed == []
    state = progress_selectors.learner_course_state(
        user=learner, course_id=course.pk, activity_ids=[a.info.id for a in progress.activities]
    )
    assert state.completed_ids() == set()
    # History stays: the first cycle's completion and its certificate are still there.
    assert CourseCompletion.objects.filter(user=learner, course=course, cycle=1).exists()
    client.force_login(learner)
    assert first.number in client.get("/zertifikate/meine/").content.decode()
