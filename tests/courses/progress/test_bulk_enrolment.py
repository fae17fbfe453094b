"""Bulk enrolment from a CSV file: validation report first, nothing changes until confirmed, idempotent."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from courses.progress import bulk_services
from courses.progress.bulk_services import (
    bulk_enrolment_confirm,
    bulk_enrolment_import,
    bulk_enrolment_upload,
    bulk_enrolment_validate,
)
from courses.progress.models import BulkEnrolment, BulkEnrolmentLine, Enrolment, PathEnrolment
from courses.progress.services import enrolment_create
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed
from tests.factories.accounts import UserFactory
from tests.factories.pages import course_create, path_create

pytestmark = pytest.mark.django_db

HEADER = "E-Mail;Name;Regionalschlüssel;Rolle\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


def _upload(admin, content, *, course=None, path=None, organisation, due_date=None):
    """Upload as in a request: the validation task runs once the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        bulk = bulk_enrolment_upload(
            by=admin,
            file_name="personal.csv",
            content=content,
            course=course,
            path=path,
            due_date=due_date,
            default_organisation=organisation,
        )
    bulk.refresh_from_db()
    return bulk


def _confirm(bulk, admin):
    with TestCase.captureOnCommitCallbacks(execute=True):
        bulk_enrolment_confirm(bulk=bulk, by=admin)
    bulk.refresh_from_db()
    return bulk


def _lines(bulk):
    return {line.line_number: line for line in BulkEnrolmentLine.objects.filter(bulk=bulk)}


@pytest.fixture
def course():
    return course_create(title="Datenschutz kompakt", lessons=1)


def test_report_names_each_bad_line_with_number_and_german_reason(org_tree, kreis_admin, outsider, make_member, course):
    known = make_member(org_tree["garching"], email="known@garching.de")
    enrolled = make_member(org_tree["unterhaching"], email="enrolled@unterhaching.de")
    enrolment_create(user=enrolled, course=course, enrolled_by=kreis_admin)
    content = _csv(
        "known@garching.de;Known Person;;",  # 2 valid, has an account
        "neu@garching.de;Neue Person;091840119119;",  # 3 valid, new
        "kein-at-zeichen;Falsch;;",  # 4 malformed e-mail
        "KNOWN@garching.de;Known again;;",  # 5 duplicate of line 2
        "x@garching.de;X;099999999999;",  # 6 unknown organisation
        "y@grafing.de;Y;091750122122;",  # 7 organisation outside scope
        f"{outsider.email};Outsider;;",  # 8 valid: outside scope, reads like an unknown address (invited)
        "enrolled@unterhaching.de;Enrolled;;",  # 9 already enrolled
        "z@garching.de;Z;;Plattformverwaltung",  # 10 unknown role label
        "t@garching.de;T;;Trainer/in",  # 11 role only platform admins grant
        ";Ohne Adresse;;",  # 12 e-mail missing
        "ohne-name@garching.de;;;",  # 13 valid: a new person gives their name when accepting
        "kurz@garching.de;Kurz;12345;",  # 14 malformed ARS
    )
    bulk = _upload(kreis_admin, content, course=course, organisation=org_tree["kreis"])
    bulk.refresh_from_db()  # validation ran as an eager task
    assert bulk.status == BulkEnrolment.Status.VALIDATED
    lines = _lines(bulk)
    assert {n: line.code for n, line in lines.items() if line.code} == {
        4: "invalid_email",
        5: "duplicate",
        6: "unknown_organisation",
        7: "organisation_out_of_scope",
        9: "already_enrolled",
        10: "unknown_role",
        11: "role_not_permitted",
        12: "missing_email",
        14: "invalid_ars",
    }
    assert "Zeile 2" in lines[5].message
    assert "außerhalb Ihres Zuständigkeitsbereichs" in lines[7].message
    assert lines[9].status == BulkEnrolmentLine.Status.SKIPPED
    assert lines[2].status == lines[3].status == BulkEnrolmentLine.Status.VALID
    assert lines[2].user == known and lines[3].organisation == org_tree["garching"]
    assert lines[8].status == BulkEnrolmentLine.Status.VALID and lines[8].user is None
    assert (bulk.total_lines, bulk.valid_lines, bulk.invalid_lines) == (13, 4, 9)
    # Nothing changed: no enrolment, no account, no membership.
    assert not Enrolment.objects.filter(user=known).exists()
    assert not Membership.objects.filter(user__email="neu@garching.de").exists()


def test_nothing_changes_until_the_admin_confirms_then_valid_lines_are_enrolled(
    org_tree, kreis_admin, make_member, course
):
    people = [make_member(org_tree["garching"], email=f"p{n}@garching.de") for n in range(3)]
    due = timezone.localdate() + datetime.timedelta(days=30)
    bulk = _upload(
        kreis_admin,
        _csv(*(f"{p.email};{p.full_name};;" for p in people), "kaputt;Kaputt;;"),
        course=course,
        organisation=org_tree["kreis"],
        due_date=due,
    )
    assert not Enrolment.objects.filter(course=course).exists()
    _confirm(bulk, kreis_admin)
    bulk.refresh_from_db()
    assert bulk.status == BulkEnrolment.Status.DONE
    enrolments = Enrolment.objects.filter(course=course)
    assert {e.user for e in enrolments} == set(people)
    assert {(e.method, e.due_date, e.enrolled_by) for e in enrolments} == {(Enrolment.Method.BULK, due, kreis_admin)}
    lines = _lines(bulk)
    assert [lines[n].status for n in (2, 3, 4, 5)] == ["imported"] * 3 + ["invalid"]
    assert {lines[n].outcome for n in (2, 3, 4)} == {BulkEnrolmentLine.Outcome.ENROLLED}


def test_running_the_tasks_twice_enrols_once(org_tree, kreis_admin, make_member, course):
    person = make_member(org_tree["garching"], email="p@garching.de")
    bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), course=course, organisation=org_tree["kreis"])
    assert bulk_enrolment_validate(bulk_id=bulk.pk).status == BulkEnrolment.Status.VALIDATED
    assert BulkEnrolmentLine.objects.filter(bulk=bulk).count() == 1
    _confirm(bulk, kreis_admin)
    _confirm(bulk, kreis_admin)  # a second click
    assert bulk_enrolment_import(bulk_id=bulk.pk).status == BulkEnrolment.Status.DONE
    assert Enrolment.objects.filter(user=person, course=course).count() == 1


def test_re_uploading_the_same_file_changes_nothing(org_tree, kreis_admin, make_member, course):
    people = [make_member(org_tree["garching"], email=f"p{n}@garching.de") for n in range(2)]
    content = _csv(*(f"{p.email};{p.full_name};;" for p in people))
    first = _upload(kreis_admin, content, course=course, organisation=org_tree["kreis"])
    _confirm(first, kreis_admin)
    before = list(Enrolment.objects.order_by("pk").values())
    second = _upload(kreis_admin, content, course=course, organisation=org_tree["kreis"])
    second.refresh_from_db()
    assert (second.valid_lines, second.invalid_lines) == (0, 2)
    assert {line.code for line in _lines(second).values()} == {"already_enrolled"}
    with pytest.raises(Conflict):
        bulk_enrolment_confirm(bulk=second, by=kreis_admin)
    assert list(Enrolment.objects.order_by("pk").values()) == before


def test_scope_is_checked_again_at_import(org_tree, kreis_admin, make_member, course):
    person = make_member(org_tree["garching"], email="p@garching.de")
    bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), course=course, organisation=org_tree["kreis"])
    # Between report and confirmation the person moves to another Kreis.
    from lernplattform.accounts.services import user_move_organisation

    user_move_organisation(user=person, organisation=org_tree["grafing"])
    _confirm(bulk, kreis_admin)
    assert not Enrolment.objects.filter(user=person).exists()
    [line] = _lines(bulk).values()
    assert line.code == "person_out_of_scope"


def test_existing_person_gets_the_membership_the_file_names(org_tree, kreis_admin, make_member, course):
    person = make_member(org_tree["garching"], email="p@garching.de")
    bulk = _upload(kreis_admin, _csv("p@garching.de;P;091840148148;"), course=course, organisation=org_tree["kreis"])
    _confirm(bulk, kreis_admin)
    assert Membership.objects.active().filter(user=person, organisation=org_tree["unterhaching"]).exists()
    assert Enrolment.objects.filter(user=person, course=course).exists()


def test_path_upload_enrols_the_path_with_its_due_date_and_its_open_first_step(org_tree, kreis_admin, make_member):
    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second])
    person = make_member(org_tree["garching"], email="p@garching.de")
    due = timezone.localdate() + datetime.timedelta(days=20)
    bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), path=path, organisation=org_tree["kreis"], due_date=due)
    _confirm(bulk, kreis_admin)
    enrolment = PathEnrolment.objects.get(user=person, path=path)
    assert (enrolment.due_date, enrolment.method) == (due, Enrolment.Method.BULK)
    assert list(Enrolment.objects.filter(user=person).values_list("course_id", "due_date")) == [(first.pk, due)]


def test_a_learner_cannot_upload(org_tree, learner, course):
    with pytest.raises(NotPermitted):
        _upload(learner, _csv("a@b.de;A;;"), course=course, organisation=org_tree["garching"])


def test_default_organisation_must_lie_in_scope(org_tree, kreis_admin, course):
    with pytest.raises(NotPermitted):
        _upload(kreis_admin, _csv("a@b.de;A;;"), course=course, organisation=org_tree["grafing"])


def test_due_date_in_the_past_is_refused(org_tree, kreis_admin, course):
    with pytest.raises(ValidationFailed):
        _upload(
            kreis_admin,
            _csv("a@b.de;A;;"),
            course=course,
            organisation=org_tree["kreis"],
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_an_unreadable_file_is_rejected_with_its_reason(org_tree, kreis_admin, course):
    bulk = _upload(kreis_admin, b"Vorname;Ort\nAnna;Garching\n", course=course, organisation=org_tree["kreis"])
    bulk.refresh_from_db()
    assert bulk.status == BulkEnrolment.Status.REJECTED
    assert "Spaltenüberschriften" in bulk.file_error
    with pytest.raises(Conflict):
        bulk_enrolment_confirm(bulk=bulk, by=kreis_admin)


def test_only_the_uploader_may_confirm(org_tree, kreis_admin, make_member, course):
    other_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
    bulk = _upload(kreis_admin, _csv("a@garching.de;A;;"), course=course, organisation=org_tree["kreis"])
    with pytest.raises(NotPermitted):
        bulk_enrolment_confirm(bulk=bulk, by=other_admin)


def test_lost_tasks_are_resumed_by_the_beat_task(org_tree, kreis_admin, make_member, course, monkeypatch):
    person = make_member(org_tree["garching"], email="p@garching.de")
    from courses.progress import tasks

    monkeypatch.setattr(bulk_services, "enqueue_on_commit", lambda *args: None)  # the broker was down
    bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), course=course, organisation=org_tree["kreis"])
    assert BulkEnrolment.objects.get(pk=bulk.pk).status == BulkEnrolment.Status.VALIDATING
    monkeypatch.undo()
    BulkEnrolment.objects.filter(pk=bulk.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.bulk_enrolments_resume_task() == 1
    assert BulkEnrolment.objects.get(pk=bulk.pk).status == BulkEnrolment.Status.VALIDATED
    monkeypatch.setattr(bulk_services, "enqueue_on_commit", lambda *args: None)
    _confirm(bulk, kreis_admin)
    monkeypatch.undo()
    BulkEnrolment.objects.filter(pk=bulk.pk).update(confirmed_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.bulk_enrolments_resume_task() == 1
    assert BulkEnrolment.objects.get(pk=bulk.pk).status == BulkEnrolment.Status.DONE
    assert Enrolment.objects.filter(user=person, course=course).exists()


class TestPages:
    def test_upload_report_confirm_and_download(self, client, org_tree, kreis_admin, make_member, course):
        make_member(org_tree["garching"], email="p@garching.de")
        client.force_login(kreis_admin)
        page = client.get(reverse("progress:bulk_upload"))
        assert page.status_code == 200
        assert b'for="id_file"' in page.content
        from django.core.files.uploadedfile import SimpleUploadedFile

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("progress:bulk_upload"),
                {
                    "target": f"c{course.pk}",
                    "default_organisation": org_tree["kreis"].pk,
                    "file": SimpleUploadedFile("liste.csv", _csv("p@garching.de;P;;", "kaputt;K;;"), "text/csv"),
                },
            )
        bulk = BulkEnrolment.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("progress:bulk_detail", args=[bulk.pk])
        report = client.get(response["Location"])
        text = report.content.decode()
        assert "„kaputt“ ist keine gültige E-Mail-Adresse." in text
        assert 'class="table-wrap" tabindex="0" role="region"' in text
        assert "1 gültige Zeile einschreiben" in text
        download = client.get(reverse("progress:bulk_report", args=[bulk.pk]))
        assert download["Content-Type"].startswith("text/csv")
        rows = download.content.decode("utf-8-sig").splitlines()
        assert rows[0].startswith("Zeile;E-Mail-Adresse")
        assert rows[2].startswith("3;kaputt;")
        assert not Enrolment.objects.exists()
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(reverse("progress:bulk_confirm", args=[bulk.pk]))
        assert Enrolment.objects.filter(course=course).count() == 1
        done = client.get(reverse("progress:bulk_detail", args=[bulk.pk])).content.decode()
        assert "1 Person mit Konto eingeschrieben" in done

    def test_form_errors_are_summarised_and_linked(self, client, org_tree, kreis_admin):
        client.force_login(kreis_admin)
        response = client.post(reverse("progress:bulk_upload"), {"target": ""})
        text = response.content.decode()
        assert 'class="error-summary" role="alert"' in text
        assert 'href="#id_file"' in text and 'href="#id_target"' in text
        assert not BulkEnrolment.objects.exists()

    def test_running_upload_shows_progress_without_javascript(self, client, org_tree, kreis_admin, course, monkeypatch):
        monkeypatch.setattr(bulk_services, "enqueue_on_commit", lambda *args: None)
        bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), course=course, organisation=org_tree["kreis"])
        client.force_login(kreis_admin)
        text = client.get(reverse("progress:bulk_detail", args=[bulk.pk])).content.decode()
        assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in text
        assert "<progress" in text and 'aria-live="polite"' in text
        status = client.get(reverse("progress:bulk_status", args=[bulk.pk])).json()
        assert status["running"] is True and status["status"] == "validating"

    def test_another_admin_cannot_see_the_report(self, client, org_tree, kreis_admin, make_member, course):
        bulk = _upload(kreis_admin, _csv("p@garching.de;P;;"), course=course, organisation=org_tree["kreis"])
        other = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        client.force_login(other)
        assert client.get(reverse("progress:bulk_detail", args=[bulk.pk])).status_code == 404
        assert client.get(reverse("progress:bulk_report", args=[bulk.pk])).status_code == 404

    def test_learners_are_turned_away(self, client, learner):
        client.force_login(learner)
        assert client.get(reverse("progress:bulk_upload")).status_code == 403


def test_upload_of_a_person_unknown_to_the_platform_needs_no_account_to_validate(org_tree, kreis_admin, course):
    bulk = _upload(kreis_admin, _csv("ganz.neu@garching.de;Ganz Neu;;"), course=course, organisation=org_tree["kreis"])
    [line] = _lines(bulk).values()
    assert line.status == BulkEnrolmentLine.Status.VALID and line.user is None
    assert not UserFactory._meta.model.objects.filter(email="ganz.neu@garching.de").exists()


def test_permission_denied_is_not_raised_for_self(org_tree, kreis_admin, course):
    # The admin may list herself in the file.
    bulk = _upload(kreis_admin, _csv(f"{kreis_admin.email};Ich;;"), course=course, organisation=org_tree["kreis"])
    try:
        _confirm(bulk, kreis_admin)
    except PermissionDenied:  # pragma: no cover - the assertion below says what went wrong
        pytest.fail("an admin could not enrol herself")
    assert Enrolment.objects.filter(user=kreis_admin, course=course).exists()


def _accept(invitation_email, *, password="Sommer-Wiese-2027", full_name="Neue Person"):
    """The invited person follows the link from the e-mail and sets a password."""
    import re

    from django.core import mail

    from lernplattform.accounts.services import invitation_accept

    [message] = [m for m in mail.outbox if invitation_email in m.to and "Einladung" in m.subject]
    token = re.search(r"/einladung/([^/\s]+)/", message.body).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = invitation_accept(token=token, password=password, full_name=full_name)
    return invitation.user


def test_new_people_are_invited_and_enrolled_once_they_accept(org_tree, kreis_admin, course):
    due = timezone.localdate() + datetime.timedelta(days=21)
    bulk = _upload(
        kreis_admin,
        _csv("neu@garching.de;Neue Person;091840119119;"),
        course=course,
        organisation=org_tree["kreis"],
        due_date=due,
    )
    _confirm(bulk, kreis_admin)
    [line] = _lines(bulk).values()
    assert (line.status, line.outcome) == (BulkEnrolmentLine.Status.IMPORTED, BulkEnrolmentLine.Outcome.INVITED)
    assert line.invitation.organisation == org_tree["garching"] and line.invitation.role == "learner"
    assert not Enrolment.objects.exists()
    user = _accept("neu@garching.de")
    assert user.check_password("Sommer-Wiese-2027")
    assert Membership.objects.active().filter(user=user, organisation=org_tree["garching"]).exists()
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert (enrolment.due_date, enrolment.method, enrolment.enrolled_by) == (due, Enrolment.Method.BULK, kreis_admin)
    line.refresh_from_db()
    assert line.user == user


def test_re_uploading_with_open_invitations_changes_nothing(org_tree, kreis_admin, course):
    from django.core import mail

    content = _csv("neu@garching.de;Neue Person;;")
    _confirm(_upload(kreis_admin, content, course=course, organisation=org_tree["kreis"]), kreis_admin)
    invitations = len(mail.outbox)
    second = _upload(kreis_admin, content, course=course, organisation=org_tree["kreis"])
    [line] = _lines(second).values()
    assert (line.status, line.code) == (BulkEnrolmentLine.Status.SKIPPED, "already_invited")
    assert len(mail.outbox) == invitations


def test_admin_of_the_upload_cannot_grant_roles_she_may_not_give(org_tree, kreis_admin, course):
    bulk = _upload(
        kreis_admin, _csv("neu@garching.de;Neu;;Organisationsverwaltung"), course=course, organisation=org_tree["kreis"]
    )
    # An admin of the Kreis may appoint admins below it (a Gemeinde), not beside herself.
    [line] = _lines(bulk).values()
    assert line.code == "role_not_permitted"
    below = _upload(
        kreis_admin,
        _csv("neu@garching.de;Neu;091840119119;Organisationsverwaltung"),
        course=course,
        organisation=org_tree["kreis"],
    )
    assert next(iter(_lines(below).values())).status == BulkEnrolmentLine.Status.VALID


def test_pending_registrations_are_reported(org_tree, kreis_admin, course):
    from lernplattform.accounts.services import membership_start

    pending = UserFactory(email="wartet@garching.de")
    membership_start(user=pending, organisation=org_tree["garching"], role="learner", approved=False)
    bulk = _upload(kreis_admin, _csv("wartet@garching.de;W;;"), course=course, organisation=org_tree["kreis"])
    assert next(iter(_lines(bulk).values())).code == "pending_registration"


def test_the_report_does_not_reveal_whether_an_outsider_has_an_account(org_tree, kreis_admin, outsider, course):
    """Issue 10, finding 1: an upload must not tell an admin which addresses outside her scope exist.

    A stranger's address reads exactly like an unknown one: both will be invited, and only the
    person herself decides (by accepting) whether to join; enrolled is nobody until then.
    """
    inactive = UserFactory(email="ruhend@grafing.de", is_active=False)
    content = _csv(f"{outsider.email};Outsider;;", "niemand@grafing.de;Niemand;;", f"{inactive.email};Ruhend;;")
    bulk = _upload(kreis_admin, content, course=course, organisation=org_tree["kreis"])
    lines = _lines(bulk)
    seen = {n: (line.status, line.code, line.message, line.user_id) for n, line in lines.items()}
    assert seen[2] == seen[3] == seen[4] == (BulkEnrolmentLine.Status.VALID, "", "", None)
    _confirm(bulk, kreis_admin)
    lines = _lines(bulk)
    assert {line.outcome for line in lines.values()} == {BulkEnrolmentLine.Outcome.INVITED}
    assert not Enrolment.objects.filter(user=outsider).exists()
    assert not Membership.objects.filter(user=outsider, organisation=org_tree["kreis"]).exists()
    assert lines[2].invitation.email == outsider.email
