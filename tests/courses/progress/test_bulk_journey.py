"""Tried as a new user would (issue 13, "Done when"): an organisation admin uploads a CSV of 50 staff
with 3 bad lines, sees them reported with line numbers, confirms the 47; the new ones get
invitations, set passwords and see the path with its due date; a week before the due date each gets
one reminder, also when the reminder job runs twice.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from courses.progress import tasks
from courses.progress.models import BulkEnrolment, Enrolment, PathEnrolment
from tests.factories.pages import course_create, path_create

pytestmark = pytest.mark.django_db


def test_org_admin_enrols_fifty_staff_into_a_path_with_a_due_date(client, org_tree, kreis_admin, make_member):
    first, second = (
        course_create(title="Grundlagen IT-Sicherheit", lessons=1),
        course_create(title="Phishing", lessons=1),
    )
    path = path_create(courses=[first, second], title="Sicher im Netz")
    existing = [make_member(org_tree["garching"], email=f"bestand{n}@garching.de") for n in range(7)]
    due = timezone.localdate() + datetime.timedelta(days=30)

    # 50 staff as Excel writes them: Windows-1252, semicolons, umlauts; 40 new, 7 with an account, 3 bad.
    rows = ["E-Mail;Name;Regionalschlüssel;Rolle"]
    rows += [f"neu{n}@garching.de;Jürgen Müller {n};091840119119;Lernende/r" for n in range(40)]
    rows += [f"{person.email};{person.full_name};;" for person in existing]
    rows += [
        "keine-adresse;Fehlende Adresse;;",  # line 49
        "neu3@garching.de;Doppelt;;",  # line 50: duplicate of line 5
        "fremd@grafing.de;Fremd;091750122122;",  # line 51: organisation outside the scope
    ]
    content = ("\r\n".join(rows) + "\r\n").encode("cp1252")

    client.force_login(kreis_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("progress:bulk_upload"),
            {
                "target": f"p{path.pk}",
                "due_date": due.isoformat(),
                "default_organisation": org_tree["kreis"].pk,
                "file": SimpleUploadedFile("mitarbeitende.csv", content, "text/csv"),
            },
        )
    report = client.get(response["Location"]).content.decode()
    assert "50 Zeilen gelesen" in report and "47 gültige Zeilen" in report and "3 Zeilen mit Fehlern" in report
    for number, reason in [
        (49, "„keine-adresse“ ist keine gültige E-Mail-Adresse."),
        (50, "Doppelte Zeile: Diese E-Mail-Adresse steht bereits in Zeile 5."),
        (51, "Die Organisation „Grafing b.München“ liegt außerhalb Ihres Zuständigkeitsbereichs."),
    ]:
        assert re.search(rf'<th scope="row"[^>]*>{number}</th>.*?{re.escape(reason)}', report, re.S), number
    assert not PathEnrolment.objects.exists()

    bulk = BulkEnrolment.objects.get()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("progress:bulk_confirm", args=[bulk.pk]))
    bulk.refresh_from_db()
    assert bulk.status == BulkEnrolment.Status.DONE
    assert PathEnrolment.objects.filter(path=path, due_date=due).count() == 7  # those with an account, at once
    invitations = [m for m in mail.outbox if "Einladung" in m.subject]
    assert len(invitations) == 40

    # The new people follow their links, set a password, log in and see the path with its due date.
    for message in invitations:
        token = re.search(r"/einladung/([^/\s]+)/", message.body).group(1)
        newcomer = Client()
        with TestCase.captureOnCommitCallbacks(execute=True):
            accepted = newcomer.post(
                reverse("accounts:invitation_accept", args=[token]),
                {"full_name": "Jürgen Müller", "password1": "Herbst-Laub-2027!", "password2": "Herbst-Laub-2027!"},
            )
        assert accepted.status_code == 302, accepted.content.decode()[:2000]
    assert PathEnrolment.objects.filter(path=path, due_date=due).count() == 47
    assert Enrolment.objects.filter(course=first, due_date=due).count() == 47

    learner = Client()
    assert learner.login(username="neu0@garching.de", password="Herbst-Laub-2027!")
    dashboard = learner.get(reverse("progress:dashboard")).content.decode()
    assert "Sicher im Netz" in dashboard
    assert f"Zu erledigen bis {due.day}. " in dashboard
    detail = learner.get(reverse("progress:path_detail", args=[path.slug])).content.decode()
    assert "Zu erledigen bis" in detail

    # A week before the due date the nightly job reminds everyone once, also when it runs twice.
    mail.outbox.clear()
    week_before = datetime.datetime.combine(due - datetime.timedelta(days=7), datetime.time(6, 30))
    with time_machine.travel(timezone.make_aware(week_before), tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert tasks.due_reminders_send_task() == {"due_soon": 47, "overdue": 0}
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert tasks.due_reminders_send_task() == {"due_soon": 0, "overdue": 0}
    reminders = [m for m in mail.outbox if m.subject.startswith("Erinnerung")]
    assert len(reminders) == 47
    assert len({m.to[0] for m in reminders}) == 47
    assert "Sicher im Netz" in reminders[0].subject
