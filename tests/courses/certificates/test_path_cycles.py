"""Certification cycles of learning paths: the same model as courses (window, re-enrolment, chain).

A path whose template has a validity policy opens, in the recertification window, a new path
cycle: the learner is enrolled in the path again and, through the course renewal, in its courses
as their steps open; earlier completions stay as history; only completions of the current cycle
count towards the path; completing it again issues one new certificate that renews the old one.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses.catalog.models import CoursePage
from courses.certificates import cycles, services, tasks
from courses.certificates.models import Certificate, CertificateEvent, CertificateTemplate
from courses.progress import selectors as progress_selectors
from courses.progress.models import CourseCompletion, Enrolment, LearningPath, PathCompletion, PathEnrolment
from courses.progress.services import path_completion_evaluate, path_enrolments_create_many
from lernplattform.accounts.models import Membership
from lernplattform.notifications.models import Notification
from tests.factories.pages import path_create

from .conftest import certifying_course, course_finish, template_create

pytestmark = pytest.mark.django_db


def _yearly_template(**fields) -> CertificateTemplate:
    return template_create(
        validity=CertificateTemplate.Validity.FROM_PREVIOUS_EXPIRY,
        validity_months=12,
        window_days=90,
        reminder_days="90, 30",
        **fields,
    )


def _quiz_course(title: str) -> CoursePage:
    """A course with a lesson and a server-graded quiz that issues no certificate of its own."""
    course = certifying_course(title=title)
    CoursePage.objects.filter(pk=course.pk).update(certificate_template=None)
    return CoursePage.objects.get(pk=course.pk)


def _certifying_path(*, sequential: bool = True) -> tuple[LearningPath, CoursePage, CoursePage]:
    first, second = _quiz_course("Datenschutz Grundlagen"), _quiz_course("Datenschutz Vertiefung")
    path = path_create(title="Lernpfad Datenschutz", courses=[first, second], sequential=sequential)
    LearningPath.objects.filter(pk=path.pk).update(certificate_template=_yearly_template())
    return LearningPath.objects.get(pk=path.pk), first, second


def _finish(user, course, capture) -> None:
    with capture(execute=True):
        course_finish(user, course)


def _path_certificate_after_first_cycle(learner, capture) -> tuple[LearningPath, CoursePage, CoursePage, Certificate]:
    path, first, second = _certifying_path()
    with capture(execute=True):
        path_enrolments_create_many(users=[learner], path=path, enrolled_by=learner, method=Enrolment.Method.SELF)
    _finish(learner, first, capture)
    _finish(learner, second, capture)
    return path, first, second, Certificate.objects.get(path=path)


def _verification_page(client, certificate: Certificate) -> str:
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_finish_path_window_re_enrolled_finish_again_new_certificate_renews_the_old(
    learner, client, django_capture_on_commit_callbacks
):
    path, first, second, certificate = _path_certificate_after_first_cycle(learner, django_capture_on_commit_callbacks)
    assert certificate.cycle == 1 and certificate.renews is None
    assert certificate.valid_until == services._add_months(timezone.localdate(certificate.completed_at), 12)
    assert PathCompletion.objects.get(user=learner, path=path).cycle == 1
    assert Certificate.objects.filter(user=learner).count() == 1  # the courses issue none of their own

    # Before the window nothing happens.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=120)) == {
            "renewals": 0,
            "notices": 0,
        }

    # In the window the nightly job (run twice) opens one new path cycle.
    window = certificate.valid_until - datetime.timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=window)["renewals"] == 1
        assert cycles.certifications_run(today=window)["renewals"] == 0
    enrolment = PathEnrolment.objects.get(user=learner, path=path)
    assert enrolment.status == PathEnrolment.Status.ACTIVE and enrolment.cycle == 2
    assert enrolment.method == Enrolment.Method.RENEWAL and enrolment.due_date == certificate.valid_until
    assert enrolment.cycle_started_at is not None
    assert certificate.events.filter(kind=CertificateEvent.Kind.RENEWAL_OPENED).count() == 1
    assert Notification.objects.filter(kind="certificates.path_recertification_due").count() == 1
    # Its first step's course starts its next cycle through the course renewal; the second is locked.
    first_enrolment = Enrolment.objects.get(user=learner, course=first)
    assert first_enrolment.cycle == 2 and first_enrolment.status == Enrolment.Status.ACTIVE
    assert first_enrolment.method == Enrolment.Method.PATH and first_enrolment.due_date == certificate.valid_until
    second_enrolment = Enrolment.objects.get(user=learner, course=second)
    assert second_enrolment.cycle == 1 and second_enrolment.status == Enrolment.Status.COMPLETED

    # Path progress counts only this cycle: open, 0 %, the second step locked again.
    progress = progress_selectors.path_progress(user=learner, path=path)
    assert progress.completion is None and progress.percent == 0
    assert [s.state for s in progress.steps] == ["in_progress", "locked"]
    assert progress.due_date == certificate.valid_until
    assert not progress_selectors.path_step_unlocked(user=learner, path=path, course=second)
    dashboard = progress_selectors.learner_dashboard(user=learner)
    (shown,) = [p for p in dashboard.paths if p.path.pk == path.pk]
    assert shown.completion is None and shown.percent == 0
    client.force_login(learner)
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("progress:path_detail", args=[path.slug]) in mine  # where to renew
    page = " ".join(client.get(reverse("progress:path_detail", args=[path.slug])).content.decode().split())
    assert "0 von 2 Pflichtkursen abgeschlossen" in page and "Lernpfad abgeschlossen am" not in page
    assert "Zu erledigen bis" in page and "Gesperrt" in page

    # Renewing: the learner finishes both courses again, in order.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=300)):
        _finish(learner, first, django_capture_on_commit_callbacks)
        assert not Certificate.objects.filter(path=path, cycle=2).exists()
        second_enrolment.refresh_from_db()
        assert second_enrolment.cycle == 2 and second_enrolment.status == Enrolment.Status.ACTIVE  # unlocked
        _finish(learner, second, django_capture_on_commit_callbacks)

    # History stays; one new certificate continues the chain.
    assert list(
        PathCompletion.objects.filter(user=learner, path=path).order_by("cycle").values_list("cycle", flat=True)
    ) == [1, 2]
    assert CourseCompletion.objects.filter(user=learner, course__in=[first, second]).count() == 4
    renewal = Certificate.objects.exclude(pk=certificate.pk).get(user=learner)
    assert renewal.path == path and renewal.renews == certificate and renewal.cycle == 2
    assert renewal.path_completion.cycle == 2
    assert renewal.valid_until == services._add_months(certificate.valid_until, 12)  # renewing early loses nothing
    assert certificate.events.filter(kind=CertificateEvent.Kind.RENEWED).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == PathEnrolment.Status.COMPLETED and enrolment.cycle == 2
    assert progress_selectors.path_progress(user=learner, path=path).percent == 100

    # The verification pages show the chain, as for courses.
    client.logout()
    old_page = _verification_page(client, certificate)
    assert f"verlängert durch Zertifikat {renewal.number}" in old_page
    assert reverse("certificates:verify", args=[renewal.code]) in old_page
    new_page = _verification_page(client, renewal)
    assert "<strong>gültig</strong>" in new_page and certificate.number in new_page

    # The job runs again (twice) in the old window: no second re-enrolment, no further certificate.
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=window)["renewals"] == 0
        tasks.certifications_run.apply()
    assert PathEnrolment.objects.get(user=learner, path=path).cycle == 2
    assert Certificate.objects.filter(user=learner).count() == 2
    assert services.certificate_issue(path_completion_id=renewal.path_completion_id) == renewal


def test_path_evaluation_counts_only_completions_of_the_current_cycle(learner, django_capture_on_commit_callbacks):
    path, first, second = _certifying_path(sequential=False)
    _finish(learner, first, django_capture_on_commit_callbacks)
    _finish(learner, second, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(path=path)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=10))
    # Without a path enrolment before, the renewal makes one; both steps are open (not sequential).
    enrolment = PathEnrolment.objects.get(user=learner, path=path)
    assert enrolment.cycle == 2 and enrolment.method == Enrolment.Method.RENEWAL
    assert set(Enrolment.objects.filter(user=learner, status="active").values_list("course_id", "cycle")) == {
        (first.pk, 2),
        (second.pk, 2),
    }
    assert path_completion_evaluate(user=learner, path=path) is None  # cycle 1's courses do not count
    _finish(learner, second, django_capture_on_commit_callbacks)
    assert path_completion_evaluate(user=learner, path=path) is None  # half of this cycle
    assert Certificate.objects.filter(path=path).count() == 1
    _finish(learner, first, django_capture_on_commit_callbacks)
    completion = path_completion_evaluate(user=learner, path=path)
    assert completion is not None and completion.cycle == 2
    assert Certificate.objects.get(path_completion=completion).renews == certificate


def test_reminders_once_per_certificate_and_cycle_and_overdue_when_the_window_passes(
    learner, org_tree, make_member, django_capture_on_commit_callbacks
):
    admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Garching Verwaltung")
    path, _first, _second, certificate = _path_certificate_after_first_cycle(
        learner, django_capture_on_commit_callbacks
    )
    near = certificate.valid_until - datetime.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=near)
        cycles.certifications_run(today=near)
    key = f"certificate:{certificate.pk}:cycle1:reminder:30"
    reminders = Notification.objects.filter(kind="certificates.expiring")
    assert sorted(reminders.values_list("dedupe_key", flat=True)) == [key, key + ":admins"]
    assert any(admin.email in n.recipients for n in reminders)

    # The window passes without a renewal: expired, overdue, the path enrolment overdue too.
    after = certificate.valid_until + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=after)
        cycles.certifications_run(today=after)
    assert Notification.objects.filter(kind="certificates.expired", user=learner).count() == 1
    assert cycles.certificate_is_overdue(certificate=certificate, today=after)
    assert certificate.status_on(after) == Certificate.Status.EXPIRED
    enrolment = PathEnrolment.objects.get(user=learner, path=path)
    assert enrolment.cycle == 2 and enrolment.due_date == certificate.valid_until
    with time_machine.travel(timezone.now() + (after - timezone.localdate()), tick=False):
        assert enrolment.is_overdue
        assert progress_selectors.path_progress(user=learner, path=path).is_overdue


def test_the_renewed_path_reminds_of_its_due_date_once_not_once_per_course(learner, django_capture_on_commit_callbacks):
    from courses.progress.reminder_services import due_reminders_send

    path, first, _second, certificate = _path_certificate_after_first_cycle(learner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=30))
    # The course renewed for the path is taken through the path, as any course of a path.
    assert Enrolment.objects.get(user=learner, course=first).method == Enrolment.Method.PATH
    with django_capture_on_commit_callbacks(execute=True):
        result = due_reminders_send(today=certificate.valid_until - datetime.timedelta(days=3))
    assert result.due_soon == 1
    enrolment = PathEnrolment.objects.get(user=learner, path=path)
    assert Notification.objects.filter(dedupe_key=f"path_enrolment:{enrolment.pk}:{certificate.valid_until}").exists()


def test_a_policy_change_never_rewrites_an_issued_path_certificate(learner, django_capture_on_commit_callbacks):
    path, _first, _second, certificate = _path_certificate_after_first_cycle(
        learner, django_capture_on_commit_callbacks
    )
    before = (certificate.valid_until, dict(certificate.snapshot["policy"]))
    template = path.certificate_template
    template.validity = CertificateTemplate.Validity.UNLIMITED
    template.window_days = 10
    template.save()
    certificate.refresh_from_db()
    assert (certificate.valid_until, certificate.snapshot["policy"]) == before
    # The window still follows the policy the certificate was issued under (90 days, not 10).
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=60))["renewals"] == 1


def test_a_broker_outage_delays_the_renewal_certificate_never_loses_it(learner, django_capture_on_commit_callbacks):
    path, first, second, certificate = _path_certificate_after_first_cycle(learner, django_capture_on_commit_callbacks)
    # The renewal's writes and its e-mail row are committed together, whatever the broker does.
    with django_capture_on_commit_callbacks(execute=False):
        cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=30))
    assert PathEnrolment.objects.get(user=learner, path=path).cycle == 2
    assert Notification.objects.filter(dedupe_key=f"certificate:{certificate.pk}:renewal").count() == 1
    # The second cycle completes while the broker is down: no task ran, nothing issued ...
    with django_capture_on_commit_callbacks(execute=False):
        course_finish(learner, first)
    with django_capture_on_commit_callbacks(execute=False):
        course_finish(learner, second)
    completion = PathCompletion.objects.get(user=learner, path=path, cycle=2)
    assert not Certificate.objects.filter(path_completion=completion).exists()
    # ... until the reconcile job finds the completion and issues the renewal, once.
    assert ("path", completion.pk) in services.certificates_issue_pending()
    tasks.certificates_reconcile.apply()
    tasks.certificates_reconcile.apply()
    renewal = Certificate.objects.get(path_completion=completion)
    assert renewal.renews == certificate
    assert Certificate.objects.filter(path=path).count() == 2


def test_a_path_enrolment_cancelled_after_a_renewal_keeps_the_evaluation_in_the_new_cycle(
    learner, django_capture_on_commit_callbacks
):
    """The renewal opened cycle 2, then the path enrolment was cancelled: cycle 1's completion is
    history, not the answer, and finishing the courses again still completes cycle 2 and renews."""
    path, first, second = _certifying_path(sequential=False)
    _finish(learner, first, django_capture_on_commit_callbacks)
    _finish(learner, second, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(path=path)
    with django_capture_on_commit_callbacks(execute=True):
        cycles.certifications_run(today=certificate.valid_until - datetime.timedelta(days=80))
    assert PathEnrolment.objects.get(user=learner, path=path).cycle == 2  # both courses in their cycle 2 now
    PathEnrolment.objects.filter(user=learner, path=path).update(status=PathEnrolment.Status.CANCELLED)

    assert path_completion_evaluate(user=learner, path=path) is None  # not cycle 1's completion
    assert progress_selectors.path_progress(user=learner, path=path).completion is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        _finish(learner, first, django_capture_on_commit_callbacks)
        assert path_completion_evaluate(user=learner, path=path) is None  # half of cycle 2
        _finish(learner, second, django_capture_on_commit_callbacks)
    completion = PathCompletion.objects.get(user=learner, path=path, cycle=2)
    assert path_completion_evaluate(user=learner, path=path) == completion
    renewal = Certificate.objects.get(path_completion=completion)
    assert renewal.renews == certificate and renewal.cycle == 2


def test_a_path_renews_through_the_refresher_course_it_names(learner, client, django_capture_on_commit_callbacks):
    """Like a course's `renewal_course`: in the window the learner is enrolled in the path's shorter
    refresher course (not all its courses again); completing it in the new cycle completes the path's
    cycle 2 and issues one certificate that continues the path's chain."""
    path, first, second, certificate = _path_certificate_after_first_cycle(learner, django_capture_on_commit_callbacks)
    refresher = _quiz_course("Datenschutz Auffrischung")
    LearningPath.objects.filter(pk=path.pk).update(renewal_course=refresher)
    _finish(learner, refresher, django_capture_on_commit_callbacks)  # before the window: renews nothing
    assert not PathCompletion.objects.filter(path=path, cycle=2).exists()
    Enrolment.objects.filter(user=learner, course=refresher).delete()
    CourseCompletion.objects.filter(user=learner, course=refresher).delete()

    window = certificate.valid_until - datetime.timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=window)["renewals"] == 1
        assert cycles.certifications_run(today=window)["renewals"] == 0
    enrolment = PathEnrolment.objects.get(user=learner, path=path)
    assert enrolment.cycle == 2 and enrolment.status == PathEnrolment.Status.ACTIVE
    refresher_enrolment = Enrolment.objects.get(user=learner, course=refresher)
    assert refresher_enrolment.status == Enrolment.Status.ACTIVE
    assert refresher_enrolment.due_date == certificate.valid_until
    # The path's own courses are not opened again.
    assert Enrolment.objects.get(user=learner, course=first).cycle == 1
    assert Enrolment.objects.get(user=learner, course=second).cycle == 1
    mail = Notification.objects.get(kind="certificates.path_recertification_due")
    assert refresher.url in mail.body  # the e-mail links the refresher course
    # The path page says what renews the certificate now: the refresher, not 0 of 2 courses.
    client.force_login(learner)
    page = " ".join(client.get(reverse("progress:path_detail", args=[path.slug])).content.decode().split())
    assert "Auffrischung" in page and refresher.title in page and "In Bearbeitung" in page
    assert "0 von 2 Pflichtkursen" not in page

    with time_machine.travel(timezone.now() + datetime.timedelta(days=300)):
        _finish(learner, refresher, django_capture_on_commit_callbacks)
    completion = PathCompletion.objects.get(user=learner, path=path, cycle=2)
    assert completion.course_ids == [refresher.pk] and completion.trusted
    renewal = Certificate.objects.get(path_completion=completion)
    assert renewal.path == path and renewal.renews == certificate and renewal.cycle == 2
    assert renewal.valid_until == services._add_months(certificate.valid_until, 12)
    assert Certificate.objects.filter(user=learner).count() == 2  # the refresher issues none of its own
    enrolment.refresh_from_db()
    assert enrolment.status == PathEnrolment.Status.COMPLETED
    page = " ".join(client.get(reverse("progress:path_detail", args=[path.slug])).content.decode().split())
    assert "Lernpfad abgeschlossen am" in page


def test_a_path_whose_refresher_course_is_not_live_opens_no_window_and_tries_again(
    learner, django_capture_on_commit_callbacks
):
    path, _first, _second, certificate = _path_certificate_after_first_cycle(
        learner, django_capture_on_commit_callbacks
    )
    refresher = _quiz_course("Datenschutz Auffrischung")
    refresher.unpublish()
    LearningPath.objects.filter(pk=path.pk).update(renewal_course=refresher)
    window = certificate.valid_until - datetime.timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        assert cycles.certifications_run(today=window)["renewals"] == 0
    assert PathEnrolment.objects.get(user=learner, path=path).cycle == 1  # rolled back, tomorrow again
    certificate.refresh_from_db()
    assert certificate.renewal_opened_at is None
