"""Activity completion through the one service: lessons, graded results, idempotency, trust."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.assessment.quiz_models import QuizCompletionMode
from courses.lessons.models import LessonPage
from courses.progress.models import ActivityCompletion, CourseCompletion, Enrolment
from courses.progress.services import (
    activity_item_record,
    activity_result_record,
    enrolment_create,
    lesson_mark_done,
    lesson_view_record,
)
from tests.factories.pages import course_create, home_page, lesson_add, quiz_add

pytestmark = pytest.mark.django_db


def _quiz(**fields):
    """A course with one quiz, the graded activity whose results these tests report."""
    return quiz_add(course_create(lessons=0), **fields)


def _result(user, activity, score="8", max_score="10", passed=True, trusted=True, source="quiz"):
    return activity_result_record(
        user=user,
        activity=activity,
        score=Decimal(score),
        max_score=Decimal(max_score),
        passed=passed,
        trusted=trusted,
        source=source,
    )


def test_viewing_a_lesson_completes_it_for_an_enrolled_learner(learner):
    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    record = lesson_view_record(user=learner, lesson=lesson)
    assert record.state == ActivityCompletion.State.COMPLETED
    assert record.completed_at is not None


def test_viewing_without_enrolment_records_nothing(learner):
    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    assert lesson_view_record(user=learner, lesson=lesson) is None
    assert not ActivityCompletion.objects.exists()
    assert not Enrolment.objects.exists()


def test_lesson_needing_mark_done_is_not_completed_by_viewing(learner):
    course = course_create(lessons=0)
    lesson = lesson_add(course, completion_mode=LessonPage.CompletionMode.DONE)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert lesson_view_record(user=learner, lesson=lesson).state == ActivityCompletion.State.IN_PROGRESS
    assert lesson_mark_done(user=learner, lesson=lesson).state == ActivityCompletion.State.COMPLETED


def test_marking_done_twice_records_one_completion(learner):
    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    first = lesson_mark_done(user=learner, lesson=lesson)
    second = lesson_mark_done(user=learner, lesson=lesson)
    assert first.pk == second.pk
    assert second.completed_at == first.completed_at
    assert ActivityCompletion.objects.count() == 1


def test_a_result_enrols_the_learner_automatically(learner):
    activity = _quiz()
    _result(learner, activity)
    enrolment = Enrolment.objects.get(user=learner, course=activity.get_parent())
    assert enrolment.method == Enrolment.Method.AUTO


def test_same_result_twice_keeps_one_record(learner):
    activity = _quiz()
    _result(learner, activity)
    record = _result(learner, activity)
    assert ActivityCompletion.objects.filter(user=learner).count() == 1
    assert record.result_count == 2
    assert record.score == Decimal("8")


def test_failed_result_does_not_complete_a_pass_required_activity(learner):
    activity = _quiz()
    record = _result(learner, activity, score="3", passed=False)
    assert record.state == ActivityCompletion.State.FAILED
    assert record.passed is False


def test_any_attempt_completes_when_the_activity_says_so(learner):
    activity = _quiz(completion_mode=QuizCompletionMode.COMPLETED)
    record = _result(learner, activity, score="3", passed=False)
    assert record.state == ActivityCompletion.State.COMPLETED


def test_threshold_applies_when_caller_leaves_passed_open(learner):
    course = course_create(lessons=0)
    low, high = quiz_add(course, passing_grade=70), quiz_add(course, passing_grade=70)
    assert _result(learner, low, score="6", passed=None).state != ActivityCompletion.State.COMPLETED
    assert _result(learner, high, score="7", passed=None).state == ActivityCompletion.State.COMPLETED


def test_later_failed_attempt_keeps_the_activity_completed(learner):
    activity = _quiz()
    done = _result(learner, activity)
    later = _result(learner, activity, score="2", passed=False)
    assert later.state == ActivityCompletion.State.COMPLETED
    assert later.completed_at == done.completed_at


def test_trusted_result_is_not_undone_by_a_browser_result(learner):
    activity = _quiz()
    _result(learner, activity, trusted=True)
    assert _result(learner, activity, trusted=False, source="h5p").trusted is True


@pytest.mark.parametrize(("score", "max_score"), [("-1", "10"), ("11", "10"), ("1", "-5")])
def test_impossible_scores_are_refused(learner, score, max_score):
    activity = _quiz()
    with pytest.raises(ValidationError):
        _result(learner, activity, score=score, max_score=max_score)
    assert not ActivityCompletion.objects.exists()


def test_page_outside_a_course_records_nothing(learner):
    assert (
        activity_result_record(
            user=learner, activity=home_page(), score=None, max_score=None, passed=True, trusted=True, source="quiz"
        )
        is None
    )
    assert not ActivityCompletion.objects.exists()


def test_anonymous_visitor_records_nothing():
    from django.contrib.auth.models import AnonymousUser

    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    assert lesson_mark_done(user=AnonymousUser(), lesson=lesson) is None


# Lessons that complete through their items (issue 15: "completion evidence")


def _practice_lesson(course, *questions, **fields):
    body = [{"type": "practice_questions", "value": {"title": "Üben", "questions": [str(q.pk) for q in questions]}}]
    return lesson_add(course, body=body, **fields)


@pytest.fixture
def practice_questions():
    from courses.questions.services import category_create
    from tests.factories import quiz as qf

    category = category_create(name="Übungen", is_practice=True)
    return qf.multichoice(category), qf.multichoice(category)


def test_a_lesson_with_practice_questions_completes_when_each_is_answered_right(learner, practice_questions):
    first, second = practice_questions
    course = course_create(lessons=0)
    lesson = _practice_lesson(course, first, second)
    assert lesson.completion_mode == LessonPage.CompletionMode.ITEMS  # the default for new lessons
    enrolment_create(user=learner, course=course, enrolled_by=learner)

    assert not lesson_view_record(user=learner, lesson=lesson).is_completed  # opening it is not enough
    record = activity_item_record(user=learner, activity=lesson, item=f"practice:{first.pk}")
    assert record.state == ActivityCompletion.State.IN_PROGRESS and record.items_done == [f"practice:{first.pk}"]
    again = activity_item_record(user=learner, activity=lesson, item=f"practice:{first.pk}")
    assert again.items_done == [f"practice:{first.pk}"] and not again.is_completed
    done = activity_item_record(user=learner, activity=lesson, item=f"practice:{second.pk}")
    assert done.is_completed and done.completed_at is not None
    assert ActivityCompletion.objects.count() == 1
    assert CourseCompletion.objects.filter(user=learner, course=course).exists()  # its only activity


def test_an_item_the_lesson_does_not_offer_records_nothing(learner, practice_questions):
    first, second = practice_questions
    course = course_create(lessons=0)
    lesson = _practice_lesson(course, first)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert activity_item_record(user=learner, activity=lesson, item=f"practice:{second.pk}") is None
    assert activity_item_record(user=learner, activity=lesson, item="h5p:999") is None
    assert not ActivityCompletion.objects.exists()


def test_items_record_nothing_without_an_enrolment(learner, practice_questions):
    course = course_create(lessons=0)
    lesson = _practice_lesson(course, practice_questions[0])
    assert activity_item_record(user=learner, activity=lesson, item=f"practice:{practice_questions[0].pk}") is None
    assert not Enrolment.objects.exists() and not ActivityCompletion.objects.exists()


def test_an_archived_practice_question_no_longer_holds_the_lesson_back(learner, practice_questions):
    first, second = practice_questions
    course = course_create(lessons=0)
    lesson = _practice_lesson(course, first, second)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    activity_item_record(user=learner, activity=lesson, item=f"practice:{first.pk}")
    type(second).objects.filter(pk=second.pk).update(is_archived=True)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.completion_condition().items == frozenset({f"practice:{first.pk}"})
    assert activity_item_record(user=learner, activity=lesson, item=f"practice:{first.pk}").is_completed


def test_a_lesson_without_items_still_completes_on_view_by_default(learner):
    course = course_create(lessons=0)
    lesson = lesson_add(course)
    assert lesson.completion_mode == LessonPage.CompletionMode.ITEMS
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert lesson_view_record(user=learner, lesson=lesson).is_completed


def test_the_trainer_may_still_choose_viewing_or_marking_for_a_lesson_with_practice(learner, practice_questions):
    course = course_create(lessons=0)
    viewed = _practice_lesson(course, practice_questions[0], completion_mode=LessonPage.CompletionMode.VIEWED)
    marked = _practice_lesson(course, practice_questions[1], completion_mode=LessonPage.CompletionMode.DONE)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert lesson_view_record(user=learner, lesson=viewed).is_completed
    item = f"practice:{practice_questions[1].pk}"
    assert activity_item_record(user=learner, activity=marked, item=item) is None
    assert not lesson_view_record(user=learner, lesson=marked).is_completed
