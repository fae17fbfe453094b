"""Opening activities records progress only when something changes: no write transaction per page view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.lessons.models import LessonPage
from courses.progress.models import ActivityCompletion, Enrolment
from courses.progress.services import (
    POSITION_WRITE_INTERVAL,
    activity_visit_record,
    enrolment_create,
    lesson_view_record,
)
from tests.factories.pages import course_create, lesson_add, quiz_add

pytestmark = pytest.mark.django_db


WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _lessons(course):
    return list(course.get_children().specific().order_by("path"))


def _enrolment(learner, course) -> Enrolment:
    return Enrolment.objects.get(user=learner, course=course)


def _age_position(learner, course, by=POSITION_WRITE_INTERVAL):
    Enrolment.objects.filter(user=learner, course=course).update(last_activity_at=timezone.now() - by)


def test_viewing_a_completed_lesson_again_writes_nothing(learner):
    course = course_create(lessons=2)
    first, _second = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    done = lesson_view_record(user=learner, lesson=first)
    with CaptureQueriesContext(connection) as ctx:
        again = lesson_view_record(user=learner, lesson=first)
    assert _writes(ctx) == []
    assert again.pk == done.pk
    record = ActivityCompletion.objects.get(pk=done.pk)
    assert record.state == ActivityCompletion.State.COMPLETED
    assert record.completed_at == done.completed_at
    assert record.updated_at == done.updated_at


def test_viewing_a_mark_done_lesson_again_writes_nothing_and_keeps_it_open(learner):
    course = course_create(lessons=0)
    lesson = lesson_add(course, completion_mode=LessonPage.CompletionMode.DONE)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=lesson)
    with CaptureQueriesContext(connection) as ctx:
        record = lesson_view_record(user=learner, lesson=lesson)
    assert _writes(ctx) == []
    assert record.state == ActivityCompletion.State.IN_PROGRESS


def test_the_first_view_of_a_lesson_records_it_and_moves_the_position_at_once(learner):
    course = course_create(lessons=2)
    first, second = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=first)
    lesson_view_record(user=learner, lesson=second)  # seconds later, but a new lesson
    assert _enrolment(learner, course).last_activity_id == second.pk
    assert ActivityCompletion.objects.filter(user=learner, state=ActivityCompletion.State.COMPLETED).count() == 2


def test_going_back_moves_the_position_at_most_once_a_minute(learner):
    course = course_create(lessons=2)
    first, second = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=first)
    lesson_view_record(user=learner, lesson=second)
    with CaptureQueriesContext(connection) as ctx:
        lesson_view_record(user=learner, lesson=first)  # within the minute: not written
    assert _writes(ctx) == []
    assert _enrolment(learner, course).last_activity_id == second.pk
    _age_position(learner, course)
    before = timezone.now()
    lesson_view_record(user=learner, lesson=first)
    enrolment = _enrolment(learner, course)
    assert enrolment.last_activity_id == first.pk
    assert enrolment.last_activity_at >= before


def test_staying_on_a_lesson_refreshes_when_the_learner_last_learned_once_a_minute(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=lesson)
    _age_position(learner, course, by=datetime.timedelta(hours=2))
    lesson_view_record(user=learner, lesson=lesson)
    assert timezone.now() - _enrolment(learner, course).last_activity_at < POSITION_WRITE_INTERVAL


def test_opening_a_quiz_remembers_it_once_a_minute(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    quiz = quiz_add(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=lesson)
    activity_visit_record(user=learner, activity=quiz)
    assert _enrolment(learner, course).last_activity_id == lesson.pk  # written seconds ago
    _age_position(learner, course)
    activity_visit_record(user=learner, activity=quiz)
    assert _enrolment(learner, course).last_activity_id == quiz.pk


def test_opening_a_quiz_without_enrolment_records_nothing(learner):
    course = course_create(lessons=0)
    quiz = quiz_add(course)
    activity_visit_record(user=learner, activity=quiz)
    assert not Enrolment.objects.exists()


def test_a_lesson_done_in_an_earlier_cycle_is_completed_again_on_view(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    old = lesson_view_record(user=learner, lesson=lesson)
    ActivityCompletion.objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=400))
    Enrolment.objects.filter(user=learner, course=course).update(
        cycle=2, cycle_started_at=timezone.now() - datetime.timedelta(days=1), status=Enrolment.Status.ACTIVE
    )
    record = lesson_view_record(user=learner, lesson=lesson)
    assert timezone.now() - record.completed_at < datetime.timedelta(minutes=1)
