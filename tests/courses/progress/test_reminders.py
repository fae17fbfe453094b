"""Due-date reminders: once a configurable number of days before, once overdue, never twice."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from courses.progress import notify, tasks
from courses.progress.models import Enrolment
from courses.progress.reminder_services import due_reminders_send
from courses.progress.services import enrolment_create, lesson_mark_done, path_enrolments_create_many
from lernplattform.notifications.models import Notification
from tests.factories.pages import course_create, path_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_create(title="Informationssicherheit", lessons=1)


def _reminders(kind):
    return Notification.objects.filter(kind=kind)


def test_one_reminder_a_week_before_the_due_date_even_when_the_job_runs_twice(
    org_tree, kreis_admin, make_member, course
):
    due = timezone.localdate() + datetime.timedelta(days=20)
    people = [make_member(org_tree["garching"]) for _n in range(3)]
    for person in people:
        enrolment_create(user=person, course=course, enrolled_by=kreis_admin, due_date=due)
    assert due_reminders_send(today=due - datetime.timedelta(days=8)).due_soon == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert due_reminders_send(today=due - datetime.timedelta(days=7)).due_soon == 3
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert due_reminders_send(today=due - datetime.timedelta(days=7)).due_soon == 0
        assert due_reminders_send(today=due - datetime.timedelta(days=3)).due_soon == 0
    reminders = _reminders(notify.KIND_DUE_SOON)
    assert sorted(r.user_id for r in reminders) == sorted(p.pk for p in people)
    sent = [m for m in mail.outbox if m.subject.startswith("Erinnerung")]
    assert len(sent) == 3
    assert sent[0].subject == f"Erinnerung: „Informationssicherheit“ ist bis {due:%d.%m.%Y} abzuschließen"
    assert "noch 7 Tage" in sent[0].body


def test_the_beat_task_reminds_once_when_run_twice(org_tree, kreis_admin, make_member, course):
    due = timezone.localdate() + datetime.timedelta(days=10)
    person = make_member(org_tree["garching"])
    enrolment_create(user=person, course=course, enrolled_by=kreis_admin, due_date=due)
    with time_machine.travel(
        datetime.datetime.combine(due - datetime.timedelta(days=7), datetime.time(6, 30)), tick=False
    ):
        assert tasks.due_reminders_send_task() == {"due_soon": 1, "overdue": 0}
        assert tasks.due_reminders_send_task() == {"due_soon": 0, "overdue": 0}
    assert _reminders(notify.KIND_DUE_SOON).count() == 1


def test_reminder_days_are_configurable(settings, org_tree, kreis_admin, make_member, course):
    settings.PROGRESS_REMINDER_DAYS_BEFORE = 3
    due = timezone.localdate() + datetime.timedelta(days=10)
    enrolment_create(user=make_member(org_tree["garching"]), course=course, enrolled_by=kreis_admin, due_date=due)
    assert due_reminders_send(today=due - datetime.timedelta(days=4)).due_soon == 0
    assert due_reminders_send(today=due - datetime.timedelta(days=3)).due_soon == 1


def test_overdue_once_and_not_for_completed_courses(org_tree, kreis_admin, make_member, course):
    due = timezone.localdate() + datetime.timedelta(days=5)
    late, finished = make_member(org_tree["garching"]), make_member(org_tree["garching"])
    for person in (late, finished):
        enrolment_create(user=person, course=course, enrolled_by=kreis_admin, due_date=due)
    lesson_mark_done(user=finished, lesson=course.get_children().specific().first())
    assert Enrolment.objects.get(user=finished).status == Enrolment.Status.COMPLETED
    after = due + datetime.timedelta(days=1)
    assert due_reminders_send(today=after).overdue == 1
    assert due_reminders_send(today=after + datetime.timedelta(days=1)).overdue == 0
    assert list(_reminders(notify.KIND_OVERDUE).values_list("user_id", flat=True)) == [late.pk]


def test_a_new_due_date_is_a_new_cycle(org_tree, kreis_admin, make_member, course):
    due = timezone.localdate() + datetime.timedelta(days=7)
    person = make_member(org_tree["garching"])
    enrolment = enrolment_create(user=person, course=course, enrolled_by=kreis_admin, due_date=due)
    assert due_reminders_send(today=timezone.localdate()).due_soon == 1
    later = due + datetime.timedelta(days=30)
    enrolment_create(user=person, course=course, enrolled_by=kreis_admin, due_date=later)
    enrolment.refresh_from_db()
    assert enrolment.due_date == later
    assert due_reminders_send(today=later - datetime.timedelta(days=7)).due_soon == 1
    assert _reminders(notify.KIND_DUE_SOON).count() == 2


def test_path_due_dates_are_reminded_once_for_the_path_not_per_course(org_tree, kreis_admin, make_member):
    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second], title="Digitale Verwaltung")
    person = make_member(org_tree["garching"])
    due = timezone.localdate() + datetime.timedelta(days=7)
    path_enrolments_create_many(users=[person], path=path, enrolled_by=kreis_admin, due_date=due)
    assert due_reminders_send(today=timezone.localdate()).due_soon == 1
    [reminder] = _reminders(notify.KIND_DUE_SOON)
    assert "Digitale Verwaltung" in reminder.subject


def test_very_old_overdue_enrolments_are_not_mailed(org_tree, kreis_admin, make_member, course):
    due = timezone.localdate() + datetime.timedelta(days=1)
    enrolment_create(user=make_member(org_tree["garching"]), course=course, enrolled_by=kreis_admin, due_date=due)
    assert due_reminders_send(today=due + datetime.timedelta(days=60)).overdue == 0
