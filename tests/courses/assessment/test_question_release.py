"""A new version of a question a live quiz draws reaches learners only through the course's release."""

import pytest
from wagtail.models import Page

from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import QuizQuestionRelease
from courses.assessment.release_services import question_pending_releases
from courses.catalog.services import catalog_permissions_setup, course_permissions_sync
from courses.questions.formats import ir
from courses.questions.models import QuestionEvent
from courses.questions.services import category_create, question_update
from lernplattform.accounts.models import Membership
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.pages import CatalogPageFactory, CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree, make_member):
    org = org_tree["garching"]
    return {
        "anna": make_member(org, Membership.Role.TRAINER, full_name="Anna Trainerin"),
        "rita": make_member(org, Membership.Role.REVIEWER, full_name="Rita Redaktion"),
        "lena": make_member(org, Membership.Role.LEARNER, full_name="Lena Lernende"),
        "lars": make_member(org, Membership.Role.LEARNER, full_name="Lars Lernender"),
        "mia": make_member(org, Membership.Role.LEARNER, full_name="Mia Lernende"),
    }


@pytest.fixture
def setup(people):
    catalog = CatalogPageFactory()
    catalog_permissions_setup(catalog=catalog)
    course = CoursePageFactory(parent=catalog, owner=people["anna"])
    course_permissions_sync(course=course)
    category = category_create(name="Kursfragen", course=course)
    question = f.multichoice(category, right="München")
    quiz = f.quiz(course, questions=[question])
    quiz.save_revision(user=people["anna"]).publish()
    return {"course": course, "quiz": Page.objects.get(pk=quiz.pk).specific, "question": question}


def _edit_key(question, user):
    data = question.current_version.data
    answers = [{**a, "fraction": "0"} for a in data["answers"]]
    answers[1]["fraction"] = "1"
    content = ir.question_from_dict({**data, "answers": answers})
    return question_update(question=question, content=content, user=user, source=QuestionEvent.Source.API)


def _drawn_version(quiz, user):
    return svc.attempt_start(quiz=quiz, user=user).slots.get().question_version


def test_publishing_a_quiz_releases_the_versions_it_draws(setup):
    release = QuizQuestionRelease.objects.get(quiz=setup["quiz"], question=setup["question"])
    assert release.version_id == setup["question"].current_version_id
    event = QuestionEvent.objects.get(kind=QuestionEvent.Kind.RELEASED, question=setup["question"])
    assert event.source == "release" and event.details["quiz_id"] == setup["quiz"].pk


def test_an_edit_waits_for_the_courses_release_and_is_shown_as_pending(setup, people):
    question, quiz = setup["question"], setup["quiz"]
    released = question.current_version
    new = _edit_key(question, people["anna"])
    question.refresh_from_db()

    assert _drawn_version(quiz, people["lena"]).pk == released.pk
    pending = question_pending_releases(question=question)
    assert [(p.quiz_id, p.released_number, p.current_number) for p in pending] == [(quiz.pk, 1, 2)]

    # The trainer submits the quiz to "Kursfreigabe"; the reviewer approves it, which publishes it.
    workflow = quiz.get_workflow()
    assert workflow is not None and workflow.name == "Kursfreigabe"
    quiz.save_revision(user=people["anna"])
    state = workflow.start(quiz, people["anna"])
    assert _drawn_version(quiz, people["lars"]).pk == released.pk  # submitted is not approved
    state.current_task_state.approve(user=people["rita"])

    assert Page.objects.get(pk=quiz.pk).specific.live
    assert _drawn_version(Page.objects.get(pk=quiz.pk).specific, people["mia"]).pk == new.pk
    assert question_pending_releases(question=question) == []
    lena_attempt = svc.attempt_start(quiz=quiz, user=people["lena"])
    assert lena_attempt.slots.get().question_version_id == released.pk  # a running attempt keeps its version


def test_publishing_the_course_releases_its_quizzes(setup, people):
    question, quiz, course = setup["question"], setup["quiz"], setup["course"]
    new = _edit_key(question, people["anna"])
    Page.objects.get(pk=course.pk).specific.save_revision(user=people["rita"]).publish()
    assert QuizQuestionRelease.objects.get(quiz=quiz, question=question).version_id == new.pk


def test_a_question_that_joins_a_pool_after_the_release_is_not_drawn_yet(people):
    course = pages.course(owner=people["anna"])
    category = category_create(name="Pool", course=course)
    first = f.truefalse(category)
    quiz = f.quiz(course, categories=[(category, 2)])
    quiz.save_revision(user=people["anna"]).publish()
    late = f.truefalse(category)
    drawn = {s.question_version.question_id for s in svc.attempt_start(quiz=quiz, user=people["lena"]).slots.all()}
    assert drawn == {first.pk}
    quiz.save_revision(user=people["anna"]).publish()
    drawn = {s.question_version.question_id for s in svc.attempt_start(quiz=quiz, user=people["lars"]).slots.all()}
    assert drawn == {first.pk, late.pk}


def test_a_quiz_made_by_code_is_released_by_its_first_attempt(people):
    course = pages.course(owner=people["anna"])
    question = f.multichoice(f.category())
    quiz = f.quiz(course, questions=[question])  # add_child: never published through Wagtail
    assert not QuizQuestionRelease.objects.filter(quiz=quiz).exists()
    assert _drawn_version(quiz, people["lena"]).pk == question.current_version_id
    new = f.new_version(question, name="Neu")
    assert _drawn_version(quiz, people["lars"]).pk != new.pk
