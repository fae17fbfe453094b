"""Two requests at once record one completion (PostgreSQL: real row locks and concurrent transactions)."""

import pytest

from courses.progress.models import ActivityCompletion, CourseCompletion, Enrolment
from courses.progress.services import enrolment_create, lesson_mark_done
from courses.progress.signals import course_completed
from tests.concurrency import run_at_once
from tests.factories.accounts import UserFactory
from tests.factories.pages import course_create

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("needs_postgresql"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def events():
    received = []

    def listener(sender, completion, **kwargs):
        received.append(completion.pk)

    course_completed.connect(listener)
    yield received
    course_completed.disconnect(listener)


def test_same_activity_done_in_parallel_records_one_completion(events):
    user = UserFactory()
    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    _, errors = run_at_once([lambda: lesson_mark_done(user=user, lesson=lesson)] * 8)
    assert errors == []
    assert ActivityCompletion.objects.filter(user=user).count() == 1
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert CourseCompletion.objects.filter(user=user, course=course).count() == 1
    assert len(events) == 1


def test_last_two_activities_done_in_parallel_complete_the_course_once(events):
    course = course_create(lessons=2)
    first, second = course.get_children().specific()
    users = [UserFactory() for _ in range(3)]
    calls = []
    for user in users:
        enrolment_create(user=user, course=course, enrolled_by=user)
        calls += [
            lambda user=user: lesson_mark_done(user=user, lesson=first),
            lambda user=user: lesson_mark_done(user=user, lesson=second),
        ]
    _, errors = run_at_once(calls)
    assert errors == []
    for user in users:
        assert ActivityCompletion.objects.filter(user=user, state="completed").count() == 2
        assert CourseCompletion.objects.filter(user=user, course=course).count() == 1
    assert len(events) == len(users)


def test_parallel_enrolments_make_one_enrolment():
    user = UserFactory()
    course = course_create(lessons=1)
    _, errors = run_at_once([lambda: enrolment_create(user=user, course=course, enrolled_by=user)] * 8)
    assert errors == []
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
