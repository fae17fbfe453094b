"""Learning paths: steps unlock in order or by prerequisites; completing the courses completes the path."""

import pytest
from django.core.exceptions import ValidationError

from courses.progress.models import PathCompletion
from courses.progress.selectors import path_progress
from courses.progress.services import enrolment_create, lesson_mark_done
from courses.progress.signals import path_completed
from tests.factories.pages import course_create, path_create

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


# ---------------------------------------------------------------------------------------------
# Locks are enforced, not only shown (issue 15): a person on a path (PathEnrolment) cannot enrol
# into a locked step by any route – catalogue, API, quiz page – and each step has one state.
# ---------------------------------------------------------------------------------------------


def _on_path(learner, path):
    from courses.progress.models import PathEnrolment

    return PathEnrolment.objects.create(user=learner, path=path, enrolled_by=learner)


def test_a_locked_step_of_the_learners_path_cannot_be_enrolled_into_directly(learner):
    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(title="Datenlotse", courses=[first, second])
    _on_path(learner, path)
    with pytest.raises(ValidationError) as refused:
        enrolment_create(user=learner, course=second, enrolled_by=learner)
    message = " ".join(refused.value.messages)
    assert "„Datenlotse“" in message and "Kurs 0" in message
    _complete(learner, first)
    assert enrolment_create(user=learner, course=second, enrolled_by=learner).pk


def test_people_not_on_the_path_take_its_courses_freely(learner):
    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path_create(courses=[first, second])
    assert enrolment_create(user=learner, course=second, enrolled_by=learner).pk


def test_the_catalogue_and_the_api_refuse_a_locked_step(client, learner):
    from courses.progress.models import Enrolment

    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    _on_path(learner, path_create(title="Datenlotse", courses=[first, second]))
    client.force_login(learner)
    response = client.post(f"/lernen/kurse/{second.pk}/einschreiben/", follow=True)
    assert "gesperrt" in response.content.decode()
    api = client.post("/api/v1/enrolments/", {"course": second.pk}, content_type="application/json")
    assert api.status_code == 400 and "Datenlotse" in api.content.decode()
    assert not Enrolment.objects.filter(user=learner, course=second).exists()


def test_the_quiz_of_a_locked_step_cannot_be_started_and_says_why(client, learner):
    from courses.assessment import attempt_services as svc
    from courses.assessment.quiz_models import Attempt
    from lernplattform.core.errors import NotPermitted
    from tests.factories import quiz as qf

    first = course_create(title="Grundlagen", lessons=1)
    second = course_create(title="Vertiefung", lessons=0)
    cat = qf.category()
    quiz = qf.quiz(second, questions=[qf.truefalse(cat)])
    _on_path(learner, path_create(title="Datenlotse", courses=[first, second]))
    with pytest.raises(NotPermitted):
        svc.attempt_start(quiz=quiz, user=learner)
    client.force_login(learner)
    html = client.get(quiz.url).content.decode()
    assert "gesperrt" in html and "Grundlagen" in html
    assert 'action="' + quiz.url + 'starten/"' not in html
    assert client.post(quiz.url + "starten/").status_code == 302
    assert not Attempt.objects.filter(user=learner).exists()


def test_starting_a_quiz_enrols_the_learner_in_its_course(learner):
    from courses.assessment import attempt_services as svc
    from courses.progress.models import Enrolment
    from tests.factories import quiz as qf

    course = course_create(title="Offen", lessons=0)
    quiz = qf.quiz(course, questions=[qf.truefalse(qf.category())])
    svc.attempt_start(quiz=quiz, user=learner)
    assert Enrolment.objects.get(user=learner, course=course).status == Enrolment.Status.ACTIVE


def test_each_step_shows_exactly_one_state(client, learner):
    import re

    from courses.progress.models import Enrolment

    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second])
    # Enrolled in the second course before the path's lock applied to them (e.g. by an admin).
    Enrolment.objects.create(user=learner, course=second, enrolled_by=learner)
    _on_path(learner, path)
    assert [s.state for s in path_progress(user=learner, path=path).steps] == ["open", "locked"]
    client.force_login(learner)
    html = client.get(f"/lernen/lernpfade/{path.slug}/").content.decode()
    states = re.findall(r'<p class="step__state">(.*?)</p>', html, re.S)
    assert len(states) == 2
    assert "In Bearbeitung" not in states[1] and "Gesperrt" in states[1]
    assert html.count("Wird frei") == 1


# Certification cycles of a path (courses.certificates calls path_enrolment_renew in the window)


def test_renewing_a_path_not_yet_completed_changes_nothing(learner):
    from courses.progress.models import PathEnrolment
    from courses.progress.services import path_enrolment_renew, path_enrolments_create_many

    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second])
    path_enrolments_create_many(users=[learner], path=path, enrolled_by=learner, method="self")
    _complete(learner, first)
    enrolment = path_enrolment_renew(user=learner, path=path, enrolled_by=learner)
    assert enrolment.cycle == 1 and enrolment.status == PathEnrolment.Status.ACTIVE
    assert enrolment.cycle_started_at is None
    assert path_progress(user=learner, path=path).steps[0].completed  # the open cycle keeps its work


def test_a_renewed_path_opens_its_first_step_again_and_twice_is_once(learner):
    from courses.progress.models import Enrolment, PathEnrolment
    from courses.progress.services import path_enrolment_renew

    first, second = (course_create(title=f"Kurs {n}", lessons=1) for n in range(2))
    path = path_create(courses=[first, second])
    _complete(learner, first)
    _complete(learner, second)
    assert PathCompletion.objects.get(user=learner, path=path).cycle == 1
    renewed = path_enrolment_renew(user=learner, path=path, enrolled_by=learner)
    again = path_enrolment_renew(user=learner, path=path, enrolled_by=learner)
    assert renewed.pk == again.pk and again.cycle == 2
    assert PathEnrolment.objects.filter(user=learner, path=path).count() == 1
    assert Enrolment.objects.get(user=learner, course=first).cycle == 2
    assert Enrolment.objects.get(user=learner, course=second).cycle == 1  # locked until the first is done
    progress = path_progress(user=learner, path=path)
    assert progress.completion is None and [s.state for s in progress.steps] == ["in_progress", "locked"]
    # Through the locked step no enrolment either: the path binds the renewal cycle too.
    with pytest.raises(ValidationError):
        enrolment_create(user=learner, course=second, enrolled_by=learner, path=path)


def test_an_unpublished_path_is_not_renewed_with_a_german_message(learner):
    from courses.progress.models import LearningPath
    from courses.progress.services import path_enrolment_renew
    from lernplattform.core.errors import ValidationFailed

    course = course_create(title="Kurs", lessons=1)
    path = path_create(courses=[course])
    _complete(learner, course)
    LearningPath.objects.filter(pk=path.pk).update(live=False)
    path.refresh_from_db()
    with pytest.raises(ValidationFailed, match="nicht veröffentlicht"):
        path_enrolment_renew(user=learner, path=path, enrolled_by=learner)
    assert not PathCompletion.objects.filter(user=learner, path=path, cycle=2).exists()
