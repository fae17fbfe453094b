"""A person chooses which messages they receive; the link in a message unsubscribes in one click."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from lernplattform.notifications.models import NotificationOptOut
from lernplattform.notifications.services import notification_schedule
from tests.factories.accounts import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(email="lerner@example.org", full_name="Lea Lerner")


def _unsubscribe_path(message) -> str:
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return re.sub(r"^https?://[^/]+", "", url)


def test_preferences_list_kinds_and_save_opt_outs(client, learner):
    client.force_login(learner)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fälligkeit naht" in html
    assert "Pflichtnachricht" in html  # invitations, password reset are listed as always sent

    # Everything ticked except "due soon".
    kinds = ["progress.overdue", "progress.enrolment_created", "progress.course_completed"]
    response = client.post(reverse("notifications:preferences"), {"kinds": kinds})
    assert response.status_code == 302
    opted_out = set(NotificationOptOut.objects.filter(user=learner).values_list("kind", flat=True))
    assert "progress.due_soon" in opted_out
    assert "progress.overdue" not in opted_out
    assert "accounts.invitation" not in opted_out


def test_one_click_unsubscribe_by_post_without_session(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(kind="progress.overdue", dedupe_key="o:1", user=learner, context={})
    path = _unsubscribe_path(mail.outbox[0])

    # A link scanner's GET only asks.
    assert client.get(path).status_code == 200
    assert not NotificationOptOut.objects.exists()

    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "keine Nachrichten der Art" in response.content.decode()
    assert NotificationOptOut.objects.filter(user=learner, kind="progress.overdue").exists()


def test_a_forged_unsubscribe_link_is_refused(client, learner):
    response = client.post("/konto/benachrichtigungen/abbestellen/abc:def/")
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()
    assert not NotificationOptOut.objects.exists()
