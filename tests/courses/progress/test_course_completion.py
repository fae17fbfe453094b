"""Course completion: required activities, minimum grade, trust rule, one event, later changes."""

from decimal import Decimal

import pytest

from courses.progress.models import CourseCompletion, Enrolment
from courses.progress.selectors import course_progress
from courses.progress.services import activity_result_record, enrolment_create, lesson_mark_done
from courses.progress.signals import course_completed
from tests.factories.pages import course_create, lesson_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    events = []

    def listener(sender, completion, user, course, **kwargs):
        events.append(completion)

    course_completed.connect(listener)
    yield events
    course_completed.disconnect(listener)


def _certifying(**fields):
    """A course that names a certificate template (a real field: course_certifies reads it)."""
    from courses.catalog.models import CoursePage
    from courses.certificates.models import CertificateTemplate

    course = course_create(**fields)
    template = CertificateTemplate.objects.create(name=f"Vorlage {course.pk}")
    CoursePage.objects.filter(pk=course.pk).update(certificate_template=template)
    return CoursePage.objects.get(pk=course.pk)


def _lessons(course):
    return list(course.get_children().specific())


def _quiz_result(user, activity, *, score="9", max_score="10", passed=True, trusted=True):
    return activity_result_record(
        user=user,
        activity=activity,
        score=Decimal(score),
        max_score=Decimal(max_score),
        passed=passed,
        trusted=trusted,
        source="quiz" if trusted else "h5p",
    )


def test_course_completes_when_all_required_activities_are_done(learner, django_capture_on_commit_callbacks, received):
    course = course_create(lessons=2)
    first, second = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=learner, lesson=first)
    assert not CourseCompletion.objects.exists()
    assert received == []
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=learner, lesson=second)
    completion = CourseCompletion.objects.get(user=learner, course=course)
    assert received == [completion]
    assert completion.course_title == course.title
    assert completion.course_revision_id == course.live_revision_id
    assert sorted(completion.activity_ids) == sorted([first.pk, second.pk])
    assert Enrolment.objects.get(user=learner, course=course).status == Enrolment.Status.COMPLETED


def test_optional_activities_are_not_needed(learner):
    course = course_create(lessons=1)
    lesson_add(course, title="Vertiefung", is_required=False)
    required = next(p for p in _lessons(course) if p.is_required)
    lesson_mark_done(user=learner, lesson=required)
    assert CourseCompletion.objects.filter(user=learner, course=course).exists()


def test_event_is_sent_once_when_results_repeat(learner, django_capture_on_commit_callbacks, received):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=learner, lesson=lesson)
        lesson_mark_done(user=learner, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=learner, lesson=lesson)
    assert len(received) == 1


def test_minimum_score_applies_to_every_graded_required_activity(learner):
    course = course_create(lessons=0, quizzes=2, completion_min_score_percent=Decimal(80))
    first, second = _lessons(course)
    _quiz_result(learner, first, score="10", max_score="10")
    _quiz_result(learner, second, score="7", max_score="10")  # passed by the quiz, below the course minimum
    assert not CourseCompletion.objects.exists()
    assert course_progress(user=learner, course=course).required_done == 1
    _quiz_result(learner, second, score="8", max_score="10")
    assert CourseCompletion.objects.get(user=learner, course=course).grade == Decimal("90.00")


def test_course_may_need_only_some_required_activities(learner):
    course = course_create(lessons=3, completion_min_required_activities=2)
    first, second, _third = _lessons(course)
    lesson_mark_done(user=learner, lesson=first)
    assert not CourseCompletion.objects.exists()
    assert course_progress(user=learner, course=course).percent == 50
    lesson_mark_done(user=learner, lesson=second)
    assert CourseCompletion.objects.filter(user=learner, course=course).exists()


def test_browser_scores_alone_never_make_a_course_certifiable(learner):
    course = _certifying(lessons=0, quizzes=1)
    (activity,) = _lessons(course)
    _quiz_result(learner, activity, trusted=False)
    completion = CourseCompletion.objects.get(user=learner, course=course)
    assert completion.trusted is False
    assert completion.certifiable is False


def test_server_graded_quiz_makes_a_certifying_course_certifiable(learner):
    course = _certifying(lessons=1, quizzes=1)
    lesson, quiz = _lessons(course)
    lesson_mark_done(user=learner, lesson=lesson)
    _quiz_result(learner, quiz, trusted=True)
    assert CourseCompletion.objects.get(user=learner, course=course).certifiable is True


def test_completed_course_stays_completed_when_an_activity_is_added(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    lesson_mark_done(user=learner, lesson=lesson)
    added = lesson_add(course, title="Neue Lektion")
    progress = course_progress(user=learner, course=course)
    assert progress.is_completed
    assert progress.percent == 100
    assert [a.id for a in progress.new_since_completion] == [added.pk]


def test_learner_in_progress_sees_the_added_activity(learner):
    course = course_create(lessons=2)
    first, _second = _lessons(course)
    lesson_mark_done(user=learner, lesson=first)
    added = lesson_add(course, title="Neue Lektion")
    progress = course_progress(user=learner, course=course)
    assert not progress.is_completed
    assert added.pk in [a.info.id for a in progress.activities]
    assert (progress.required_done, progress.required_total) == (1, 3)


def test_republished_activity_is_reported_as_updated(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    lesson_mark_done(user=learner, lesson=lesson)
    lesson.title = "Überarbeitet"
    lesson.save_revision().publish()
    progress = course_progress(user=learner, course=course)
    assert [a.id for a in progress.updated_since_completion] == [lesson.pk]


def test_unpublished_activity_does_not_block_completion(learner):
    course = course_create(lessons=2)
    first, second = _lessons(course)
    second.unpublish()
    lesson_mark_done(user=learner, lesson=first)
    assert CourseCompletion.objects.filter(user=learner, course=course).exists()


def test_reenrolling_after_completion_keeps_the_course_completed(learner):
    course = course_create(lessons=1)
    (lesson,) = _lessons(course)
    lesson_mark_done(user=learner, lesson=lesson)
    again = enrolment_create(user=learner, course=course, enrolled_by=learner)
    assert again.status == Enrolment.Status.COMPLETED
