"""Platform admins see the outbox and edit the wording of each kind in the Wagtail admin."""

import pytest
from django.core import mail
from django.urls import reverse

from lernplattform.notifications.models import Notification, NotificationTemplate
from lernplattform.notifications.registry import kind_get
from lernplattform.notifications.services import notification_schedule
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, platform_admin):
    client.force_login(platform_admin)
    return client


def _failed(subject="Kaputt"):
    return Notification.objects.create(
        subject=subject, body="x", recipients=["a@example.org"], status=Notification.Status.FAILED,
        failures=5, last_error="SMTPRecipientsRefused: 550", message_id=f"<{subject}@example.org>",
    )  # fmt: skip


def test_outbox_lists_messages_and_filters_by_status(admin_client):
    _failed("Fehlgeschlagen A")
    Notification.objects.create(subject="Versendet B", body="x", recipients=["b@example.org"], status="sent")
    index = reverse("notifications_outbox:index")
    html = admin_client.get(index).content.decode()
    assert "Fehlgeschlagen A" in html and "Versendet B" in html
    html = admin_client.get(index, {"status": "failed"}).content.decode()
    assert "Fehlgeschlagen A" in html and "Versendet B" not in html
    assert "Erneut senden" in html


def test_retry_button_sends_a_dead_letter_again(admin_client, django_capture_on_commit_callbacks):
    row = _failed()
    url = reverse("notifications_outbox:retry", args=[row.pk])
    assert "derselben Message-ID" in admin_client.get(url).content.decode()  # GET only asks
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_outbox_is_for_platform_admins_only(client, org_tree, make_member):
    from lernplattform.accounts.models import Membership

    row = _failed()
    for role in (Membership.Role.ORG_ADMIN, Membership.Role.TRAINER, Membership.Role.LEARNER):
        client.force_login(make_member(org_tree["kreis"], role))
        assert client.get(reverse("notifications_outbox:index")).status_code in (302, 403)
        assert client.post(reverse("notifications_outbox:retry", args=[row.pk])).status_code in (302, 403)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED


def test_outbox_cannot_be_edited_by_hand(admin_client):
    row = _failed()
    assert admin_client.get(f"/admin/postausgang/edit/{row.pk}/").status_code in (302, 403)
    assert admin_client.get(reverse("notifications_outbox:inspect", args=[row.pk])).status_code == 200


def _template_form(**overrides):
    data = {
        "kind": "progress.due_soon",
        "subject": "Bis {{ due_date }}: {{ course_title }}",
        "text": "Hallo {{ recipient_name }}",
        "html": "",
    }  # noqa: E501
    data.update(overrides)
    return data


def test_editor_refuses_an_unknown_placeholder_naming_it(admin_client):
    add = reverse("wagtailsnippets_notifications_notificationtemplate:add")
    page = admin_client.get(add).content.decode()
    assert "{{ days_left }}" in page  # the placeholders each kind offers are listed
    response = admin_client.post(add, _template_form(subject="Bis {{ faelligkeit }}"))
    assert response.status_code == 200
    assert "Unbekannte Platzhalter: {{ faelligkeit }}" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_editor_saves_and_the_next_message_uses_the_wording(admin_client, django_capture_on_commit_callbacks):
    add = reverse("wagtailsnippets_notifications_notificationtemplate:add")
    response = admin_client.post(
        add, _template_form(html="<p onclick='x()'>{{ course_title }}</p><script>x()</script>")
    )
    assert response.status_code == 302
    template = NotificationTemplate.objects.get()
    assert "script" not in template.html and "onclick" not in template.html
    person = UserFactory(full_name="Lea")
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(
            kind="progress.due_soon",
            dedupe_key="t:1",
            user=person,
            context={"due_date": "01.03.2027", "course_title": "DSGVO"},
        )
    assert mail.outbox[0].subject == "Bis 01.03.2027: DSGVO"


def test_blank_wording_takes_the_kinds_default(admin_client):
    add = reverse("wagtailsnippets_notifications_notificationtemplate:add")
    assert admin_client.post(add, _template_form(subject="", text="")).status_code == 302
    assert NotificationTemplate.objects.get().subject.startswith("Erinnerung:")


def test_preview_fills_placeholders_with_examples(admin_client):
    template = NotificationTemplate.objects.create(
        kind="progress.due_soon", subject="Bis {{ due_date }}", text="Kurs {{ course_title }}"
    )
    preview = reverse("wagtailsnippets_notifications_notificationtemplate:preview_on_edit", args=[template.pk])
    response = admin_client.post(preview, _template_form(subject="Bis {{ due_date }}", text="Kurs {{ course_title }}"))
    assert response.json()["is_valid"] is True
    html = admin_client.get(preview).content.decode()
    labels = kind_get("progress.due_soon").all_placeholders
    assert f"Bis [{labels['due_date']}]" in html and f"Kurs [{labels['course_title']}]" in html
