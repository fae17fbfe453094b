"""Tried as a new user would (issue 12, "Done when"), through the real views from start to renewal.

The demo learner's situation (seed_demo: a learner in Garching, her Landkreis' admin, a certifying
course with a lesson and a server-graded quiz) as a fixture: she finishes the course (lesson marked
done, quiz handed in and graded on the server), gets the e-mail, sees the certificate on her
dashboard and downloads the PDF. The PDF's text carries a German date; its QR code, decoded from a
rendering of the page, leads to the verification page that says "gültig" with every field. In the
recertification window the scheduled task enrols her again, renewing issues a new certificate the
old one points to; past its date the old one says "abgelaufen"; her Landkreis' admin revokes the
new one, and its page says "widerrufen" with the date.
"""

from __future__ import annotations

import datetime
import io
import re

import pypdfium2
import pytest
import time_machine
import zxingcpp
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from courses.assessment.quiz_models import Attempt
from courses.catalog.models import CoursePage
from courses.certificates import services, tasks
from courses.certificates.models import Certificate, CertificateTemplate
from courses.progress.models import CourseCompletion, Enrolment
from tests.factories import quiz as quiz_factories
from tests.factories.pages import course_create

from .conftest import template_create

pytestmark = pytest.mark.django_db

GERMAN_DATE = re.compile(
    r"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}\b"
)


@pytest.fixture
def certifying_course_with_real_quiz(db):
    template = template_create(
        validity=CertificateTemplate.Validity.FROM_COMPLETION,
        validity_months=12,
        window_days=90,
        reminder_days="90, 30",
        outcomes="Personenbezogene Daten erkennen\nAuskunftsersuchen beantworten",
    )
    course = course_create(title="Datenschutz im Bürgerbüro", lessons=1)
    question = quiz_factories.truefalse(quiz_factories.category(), correct=True)
    quiz_factories.quiz(course, questions=[question], title="Abschlusstest")
    CoursePage.objects.filter(pk=course.pk).update(certificate_template=template)
    return CoursePage.objects.get(pk=course.pk)


def _finish_through_the_views(client, course: CoursePage, capture) -> None:
    """Mark the lesson done and hand in the quiz, as the learner's browser does (forms, no JS)."""
    lesson = next(p for p in course.get_children().live().specific() if p.specific_class.__name__ == "LessonPage")
    quiz = next(p for p in course.get_children().live().specific() if p.specific_class.__name__ == "QuizPage")
    with capture(execute=True):
        assert client.post(reverse("progress:lesson_done", args=[lesson.pk])).status_code == 302
        assert client.post(quiz.url + quiz.reverse_subpage("start")).status_code == 302
    attempt = Attempt.objects.filter(quiz=quiz, state=Attempt.State.IN_PROGRESS).get()
    with capture(execute=True):
        response = client.post(
            quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk]),
            {"slots": ["1"], "q1": "true", "action": "submit"},
        )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.passed


def _verification_page(client, url: str) -> str:
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_finish_download_verify_renew_expire_and_revoke(
    client, learner, kreis_admin, certifying_course_with_real_quiz, django_capture_on_commit_callbacks
):
    course = certifying_course_with_real_quiz
    client.force_login(learner)
    assert client.post(reverse("progress:enrol", args=[course.pk])).status_code == 302
    mail.outbox.clear()
    _finish_through_the_views(client, course, django_capture_on_commit_callbacks)

    # One certificate, issued by the task after commit, and the e-mail actually delivered.
    completion = CourseCompletion.objects.get(user=learner, course=course)
    assert completion.certifiable
    certificate = Certificate.objects.get(user=learner)
    assert certificate.course_completion == completion
    issued_mails = [m for m in mail.outbox if "Zertifikat" in m.subject and learner.email in m.to]
    assert len(issued_mails) == 1
    assert certificate.snapshot["verify_url"] in issued_mails[0].body

    # The dashboard shows it, with a way to the PDF and to "Meine Zertifikate".
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert certificate.title in dashboard and certificate.number in dashboard
    assert reverse("certificates:mine") in dashboard
    mine = client.get(reverse("certificates:mine")).content.decode()
    download_url = reverse("certificates:download", args=[certificate.pk])
    assert download_url in mine

    # The download is the stored PDF: German text in it, a German date among it.
    response = client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    today_label = services.date_german(timezone.localdate())
    assert today_label in text and GERMAN_DATE.search(today_label)  # e.g. "2. Dezember 2026"
    assert "Jürgen Weiß-Müller" in text and "„Datenschutz im Bürgerbüro“" in text
    assert certificate.number in text

    # The QR code, decoded from a rendering of the page, leads to "gültig" with every field.
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [certificate.snapshot["verify_url"]]
    client.logout()  # verification needs no login
    page = _verification_page(client, decoded[0])
    assert "<strong>gültig</strong>" in page
    valid_until = services.date_german(certificate.valid_until)
    for field in (
        "Jürgen Weiß-Müller",
        "Garching b.München",
        "091840119119",
        "Datenschutz im Bürgerbüro",
        "3 Stunden",
        "Personenbezogene Daten erkennen",
        "Auskunftsersuchen beantworten",
        today_label,
        valid_until,
        "Kompetenzzentrum Digitale Kommune",
        "Dr. Anna Groß",
        certificate.number,
    ):
        assert field in page, field

    # In the recertification window the scheduled task enrols her again (once, also if run twice).
    window = timezone.now() + datetime.timedelta(days=(certificate.valid_until - timezone.localdate()).days - 80)
    with time_machine.travel(window, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.certifications_run.apply()
            tasks.certifications_run.apply()
        enrolment = Enrolment.objects.get(user=learner, course=course)
        assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.cycle == 2
        assert enrolment.method == Enrolment.Method.RENEWAL
        client.force_login(learner)
        mine = client.get(reverse("certificates:mine")).content.decode()
        assert "verlängern" in mine.lower() or "Rezertifizierung" in mine

        # Renewing: the same real steps again issue a new certificate continuing the chain.
        _finish_through_the_views(client, course, django_capture_on_commit_callbacks)
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 2  # history stays
    renewal = Certificate.objects.exclude(pk=certificate.pk).get(user=learner)
    assert renewal.renews == certificate and renewal.cycle == 2
    assert renewal.number != certificate.number and renewal.code != certificate.code
    client.logout()
    old_page = _verification_page(client, certificate.snapshot["verify_url"])
    assert f"verlängert durch Zertifikat {renewal.number}" in old_page
    assert reverse("certificates:verify", args=[renewal.code]) in old_page
    new_page = _verification_page(client, renewal.snapshot["verify_url"])
    assert "<strong>gültig</strong>" in new_page and certificate.number in new_page

    # Past its date the old certificate says "abgelaufen" (since the day after its last day).
    after = timezone.now() + datetime.timedelta(days=(certificate.valid_until - timezone.localdate()).days + 3)
    with time_machine.travel(after, tick=False):
        old_page = _verification_page(client, certificate.snapshot["verify_url"])
        expired_since = services.date_german(certificate.valid_until + datetime.timedelta(days=1))
        assert "<strong>abgelaufen</strong>" in old_page and f"abgelaufen seit {expired_since}" in old_page

        # The admin of her Landkreis revokes the renewal; its page says "widerrufen" with the date.
        client.force_login(kreis_admin)
        response = client.post(
            reverse("certificates:revoke", args=[renewal.pk]),
            {"reason": "error", "comment": "Falsche Person zugeordnet"},
        )
        assert response.status_code == 302
        client.logout()
        new_page = _verification_page(client, renewal.snapshot["verify_url"])
        assert "<strong>widerrufen</strong>" in new_page
        assert f"widerrufen am {services.date_german(timezone.localdate())}" in new_page
