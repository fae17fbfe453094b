"""The essay grading queue: who sees which answers, filtered in the database at a fixed cost."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.catalog.models import CourseTrainer
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import NotPermitted
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.TRAINER)


def _essays_waiting(course, *, quizzes: int, learner=None):
    """`quizzes` quizzes in `course`, each with one submitted essay waiting for its grade."""
    cat = f.category()
    learner = learner or UserFactory()
    slots = []
    for number in range(quizzes):
        quiz = f.quiz(course, questions=[f.essay(cat, mark=Decimal(2))], title=f"Test {number}")
        attempt = svc.attempt_start(quiz=quiz, user=learner)
        svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"text": "Antwort"}})
        svc.attempt_submit(attempt_id=attempt.pk, user=learner)
        slots.extend(attempt.slots.all())
    return slots


def _queue_ids(user):
    return {slot.pk for slot in sel.grading_queue(user=user)}


def test_trainers_see_the_essays_of_the_courses_they_teach_only(trainer, org_tree, make_member):
    owned = pages.course(title="Eigener Kurs", owner=trainer)
    assigned = pages.course(title="Zugeordneter Kurs")
    foreign = pages.course(title="Fremder Kurs")
    CourseTrainer.objects.create(course=assigned, user=trainer)
    mine = _essays_waiting(owned, quizzes=1) + _essays_waiting(assigned, quizzes=1)
    theirs = _essays_waiting(foreign, quizzes=1)
    assert _queue_ids(trainer) == {s.pk for s in mine}
    for slot in mine:
        assert sel.slot_for_grading(slot_id=slot.pk, user=trainer) == slot
    with pytest.raises(type(theirs[0]).DoesNotExist):
        sel.slot_for_grading(slot_id=theirs[0].pk, user=trainer)
    admin = make_member(org_tree["land"], Membership.Role.PLATFORM_ADMIN)
    assert _queue_ids(admin) == {s.pk for s in mine + theirs}


def test_reviewers_learners_and_bare_superusers_see_no_essays(trainer, org_tree, make_member):
    _essays_waiting(pages.course(owner=trainer), quizzes=1)
    reviewer = make_member(org_tree["kreis"], Membership.Role.REVIEWER)
    learner = make_member(org_tree["kreis"], Membership.Role.LEARNER)
    flagged = UserFactory(is_superuser=True, is_staff=True)  # rights come from memberships only
    for person in (reviewer, learner, flagged):
        assert _queue_ids(person) == set()


def test_a_trainer_cannot_grade_an_essay_of_a_course_they_do_not_teach(trainer):
    (slot,) = _essays_waiting(pages.course(title="Fremder Kurs"), quizzes=1)
    with pytest.raises(NotPermitted) as refused:
        svc.attempt_slot_grade(slot_id=slot.pk, grader=trainer, mark=Decimal(1))
    assert refused.value.code == "assessment.grading_not_permitted"


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        shown = [  # what the page shows of each row
            (slot.attempt.quiz.title, slot.attempt.user.full_name, slot.question_version.name)
            for slot in sel.grading_queue(user=user)
        ]
    assert shown
    return len(captured)


def test_the_queue_costs_the_same_queries_for_one_quiz_and_for_ten(trainer, org_tree, make_member):
    small = pages.course(title="Ein Test", owner=trainer)
    _essays_waiting(small, quizzes=1)
    one = _queries(trainer)
    assert one <= 2  # the person's teaching roles, then the slots with everything they show
    large = pages.course(title="Zehn Tests", owner=trainer)
    _essays_waiting(large, quizzes=9)
    assert len(sel.grading_queue(user=trainer)) == 10
    assert _queries(trainer) == one
    admin = make_member(org_tree["land"], Membership.Role.PLATFORM_ADMIN)
    assert _queries(admin) == one


def test_the_queue_page_costs_the_same_queries_for_one_quiz_and_for_ten(client, trainer):
    course = pages.course(owner=trainer)
    _essays_waiting(course, quizzes=1)
    client.force_login(trainer)
    client.get("/tests/bewertung/")  # warm the site and session caches
    with CaptureQueriesContext(connection) as one:
        assert client.get("/tests/bewertung/").status_code == 200
    _essays_waiting(course, quizzes=9)
    with CaptureQueriesContext(connection) as ten:
        html = client.get("/tests/bewertung/").content.decode()
    assert html.count("bewerten</a>") == 10
    assert len(ten) == len(one)
