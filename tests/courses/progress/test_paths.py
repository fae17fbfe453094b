"""Learning paths: steps unlock in order or by prerequisites; completing the courses completes the path."""

import pytest
from django.core.exceptions import ValidationError

from courses.progress.models import PathCompletion
from courses.progress.selectors import path_progress
from courses.progress.services import enrolment_create, lesson_mark_done
from courses.progress.signals import path_completed
from tests.factories.progress import course_create, path_create

pytestmark = pytest.mark.django_db


def _complete(user, course):
    for lesson in course.get_children().specific():
        lesson_mark_done(user=user, lesson=lesson)


def test_sequential_path_unlocks_next_step_after_completion(learner):
    first, second, third = (course_create(title=f"Kurs {n}", lessons=1) for n in range(3))
    path = path_create(courses=[first, second, third])
    states = path_progress(user=learner, path=path).steps
    assert [s.unlocked for s in states] == [True, False, False]
    assert states[1].missing == [first]
    _complete(learner, first)
    states = path_progress(user=learner, path=path).steps
    assert [s.unlocked for s in states] == [True, True, False]
    assert path_progress(user=learner, path=path).next_step.course == second


def test_optional_step_does_not_block_the_next(learner):
    first, extra, last = (course_create(title=f"Kurs {n}", lessons=1) for n in range(3))
    path = path_create(courses=[first, extra, last], optional=(1,))
    _complete(learner, first)
    assert path_progress(user=learner, path=path).steps[2].unlocked


def test_prerequisites_unlock_a_step_on_a_free_path(learner):
    basics, data, cdo = (course_create(title=f"Kurs {n}", lessons=1) for n in range(3))
    path = path_create(courses=[basics, data, cdo], sequential=False)
    step = path.steps.get(course=cdo)
    step.prerequisites.add(data)
    step.save()  # parental relations are written when the step is saved
    states = path_progress(user=learner, path=path).steps
    assert [s.unlocked for s in states] == [True, True, False]
    _complete(learner, data)
    assert path_progress(user=learner, path=path).steps[2].unlocked


def test_enrolling_through_a_locked_step_is_refused(learner):
    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second])
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=second, enrolled_by=learner, path=path)
    _complete(learner, first)
    assert enrolment_create(user=learner, course=second, enrolled_by=learner, path=path).pk


def test_completing_required_courses_completes_the_path_once(learner, django_capture_on_commit_callbacks):
    first, extra, last = (course_create(title=f"Kurs {n}", lessons=1) for n in range(3))
    path = path_create(courses=[first, extra, last], optional=(1,))
    events = []

    def listener(sender, completion, **kwargs):
        events.append(completion)

    path_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _complete(learner, first)
            assert not PathCompletion.objects.exists()
            _complete(learner, last)
            _complete(learner, extra)
    finally:
        path_completed.disconnect(listener)
    completion = PathCompletion.objects.get(user=learner, path=path)
    assert events == [completion]
    assert path_progress(user=learner, path=path).percent == 100
    assert sorted(completion.course_ids) == sorted([first.pk, last.pk])


def test_learning_paths_are_edited_in_the_wagtail_admin(client, platform_admin):
    course = course_create(lessons=0)
    path = path_create(courses=[course])
    client.force_login(platform_admin)
    assert client.get("/admin/snippets/progress/learningpath/").status_code == 200
    assert client.get("/admin/snippets/progress/learningpath/add/").status_code == 200
    edit = client.get(f"/admin/snippets/progress/learningpath/edit/{path.pk}/")
    assert edit.status_code == 200
    assert "Voraussetzungen" in edit.content.decode()
