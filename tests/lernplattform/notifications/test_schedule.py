"""Scheduling through the kind registry: once per dedupe key, rendered from the kind's wording."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from lernplattform.core.errors import ValidationFailed
from lernplattform.notifications.models import Notification, NotificationOptOut, NotificationTemplate
from lernplattform.notifications.registry import kind_get, register_kind
from lernplattform.notifications.services import (
    notification_deliver_now,
    notification_schedule,
    template_validate,
    user_opt_out_set,
)
from tests.factories.accounts import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(email="lerner@example.org", full_name="Lea Lerner")


def test_the_same_reminder_is_scheduled_once(learner, django_capture_on_commit_callbacks):
    context = {"course_title": "Datenschutz", "course_url": "https://x/kurs", "due_date": "01.03.2027", "days_left": 7}
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_schedule(
            kind="progress.due_soon", dedupe_key="enrolment:1:2027-03-01", user=learner, context=context
        )
        again = notification_schedule(
            kind="progress.due_soon", dedupe_key="enrolment:1:2027-03-01", user=learner, context=context
        )

    assert again.pk == first.pk
    assert Notification.objects.filter(kind="progress.due_soon").count() == 1
    [message] = mail.outbox
    assert message.subject == "Erinnerung: „Datenschutz“ ist bis 01.03.2027 abzuschließen"
    assert "Guten Tag Lea Lerner" in message.body
    assert "noch 7 Tage" in message.body


def test_a_new_cycle_is_a_new_message(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(kind="progress.overdue", dedupe_key="enrolment:1:2027-03-01", user=learner, context={})
        notification_schedule(kind="progress.overdue", dedupe_key="enrolment:1:2028-03-01", user=learner, context={})
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_row_for_the_same_key(learner):
    notification_schedule(kind="progress.overdue", dedupe_key="enrolment:9:x", user=learner, context={})
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(kind="progress.overdue", dedupe_key="enrolment:9:x", subject="s", body="b")


def test_admin_wording_overrides_the_default_and_html_escapes_values(learner, django_capture_on_commit_callbacks):
    NotificationTemplate.objects.create(
        kind="progress.course_completed",
        subject="Glückwunsch zu {{ course_title }}",
        text="Fertig: {{ course_title }}",
        html="<p>Fertig: <strong>{{ course_title }}</strong></p>",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(
            kind="progress.course_completed",
            dedupe_key="completion:5",
            user=learner,
            context={"course_title": "A & <B>"},
        )
    [message] = mail.outbox
    assert message.subject == "Glückwunsch zu A & <B>"
    assert message.body.startswith("Fertig: A & <B>")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>A &amp; &lt;B&gt;</strong>" in html


def test_every_message_carries_its_own_stable_message_id(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_schedule(kind="progress.overdue", dedupe_key="a", user=learner, context={})
        second = notification_schedule(kind="progress.overdue", dedupe_key="b", user=learner, context={})
    assert first.message_id != second.message_id
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first.message_id, second.message_id]


def test_opted_out_person_gets_no_mail_but_the_key_stays_taken(learner, django_capture_on_commit_callbacks):
    user_opt_out_set(user=learner, kind="progress.due_soon", opted_out=True)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_schedule(kind="progress.due_soon", dedupe_key="e:1", user=learner, context={})
    assert notification.status == Notification.Status.SKIPPED
    assert not mail.outbox


def test_opting_out_after_scheduling_still_stops_the_mail(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = notification_schedule(kind="progress.due_soon", dedupe_key="e:2", user=learner, context={})
    user_opt_out_set(user=learner, kind="progress.due_soon", opted_out=True)
    assert notification_deliver_now(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SKIPPED
    assert not mail.outbox


def test_mandatory_kinds_cannot_be_opted_out_of(learner):
    with pytest.raises(ValidationFailed) as error:
        user_opt_out_set(user=learner, kind="accounts.invitation", opted_out=True)
    assert error.value.code == "notifications.mandatory_kind"
    assert not NotificationOptOut.objects.exists()


def test_mandatory_messages_have_no_unsubscribe_header(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(
            kind="accounts.invitation", dedupe_key="inv:1", recipients=["neu@example.org"], context={}
        )
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_optional_messages_offer_one_click_unsubscribe(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_schedule(kind="progress.overdue", dedupe_key="o:1", user=learner, context={})
    headers = mail.outbox[0].extra_headers
    assert (
        headers["List-Unsubscribe"].startswith("<http")
        and "/konto/benachrichtigungen/abbestellen/" in headers["List-Unsubscribe"]
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_unknown_placeholder_is_refused_naming_it():
    with pytest.raises(ValidationFailed) as error:
        template_validate(kind_code="progress.due_soon", subject="{{ kurs }} bis {{ due_date }}", text="ok", html="")
    assert "{{ kurs }}" in error.value.message
    assert "due_date" not in error.value.message.split("Erlaubt")[0]


def test_unknown_kind_is_a_programming_error(learner):
    with pytest.raises(ImproperlyConfigured):
        notification_schedule(kind="progress.nope", dedupe_key="x", user=learner, context={})


def test_owner_registration_replaces_the_provisional_one():
    from lernplattform.notifications import registry

    # A kind of its own: the real provisional ones are taken over by their apps as those land.
    code = "tests.owned_later"
    provisional = register_kind(
        code=code, label="x", placeholders={}, default_subject="x", default_text="x", provisional=True
    )
    assert kind_get(code).provisional
    try:
        owned = register_kind(
            code=code,
            label="Zertifikat ausgestellt",
            placeholders={"course_title": "Kurs", "number": "Nummer"},
            default_subject="Zertifikat {{ number }}",
            default_text="{{ course_title }}",
        )
        assert kind_get(code) is owned and not owned.provisional
        # A later provisional registration (apps loaded in another order) steps aside.
        register_kind(code=code, label="x", placeholders={}, default_subject="x", default_text="x", provisional=True)
        assert kind_get(code) is owned
    finally:
        registry._kinds.pop(code, None)
    assert provisional.provisional


def test_default_texts_may_only_use_declared_placeholders():
    with pytest.raises(ImproperlyConfigured):
        register_kind(code="tests.bad", label="x", placeholders={}, default_subject="{{ nope }}", default_text="")
