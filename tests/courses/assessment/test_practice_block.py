"""Practice questions in lessons: only from practice categories, checked on the server for the signed-in
person the lesson was shown to, never for a question a quiz draws (issue 10, finding 10)."""

import re

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from courses.assessment import attempt_services as svc
from courses.assessment.blocks import PracticeQuestionsBlock, question_choices
from courses.questions.services import category_create, category_update
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import Conflict, ValidationFailed
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.pages import LessonPageFactory

pytestmark = pytest.mark.django_db
CHECK = "/tests/uebung/pruefen/"


@pytest.fixture
def practice():
    return category_create(name="Übungen", is_practice=True)


@pytest.fixture
def question(practice):
    return f.multichoice(practice)


def _lesson(*questions):
    return LessonPageFactory(
        body=[
            {"type": "practice_questions", "value": {"title": "Zum Üben", "questions": [str(q.pk) for q in questions]}}
        ]
    )


def _render(question, *, user=None, lesson=None):
    block = PracticeQuestionsBlock()
    value = block.to_python({"title": "Zum Üben", "questions": [str(question.pk)]})
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    return block.render(value, context={"request": request, "page": lesson})


def _form(html):
    token = re.search(r'name="token" value="([^"]*)"', html).group(1)
    prefix = re.search(r'name="prefix" value="([^"]+)"', html).group(1)
    keys = dict(re.findall(r'value="(\d+)">\s*<label for="[^"]+">([^<]+)</label>', html))
    right = next(k for k, text in keys.items() if text == "München")
    wrong = next(k for k, text in keys.items() if text != "München")
    return token, prefix, right, wrong


def test_the_block_shows_the_question_but_not_its_key(question, learner):
    html = _render(question, user=learner, lesson=_lesson(question))
    assert "Welche Stadt ist Hauptstadt von Bayern?" in html
    assert "Richtig, München." not in html and "fraction" not in html
    assert 'name="token"' in html and 'aria-live="polite"' in html


def test_checking_says_right_or_wrong_with_feedback_and_the_right_answer(client, question, learner):
    token, prefix, right, wrong = _form(_render(question, user=learner, lesson=_lesson(question)))
    client.force_login(learner)
    post = {"token": token, "prefix": prefix}
    ok = client.post(CHECK, {**post, f"q{prefix}": right}, HTTP_ACCEPT="application/json").json()
    assert ok["state"] == "correct" and "Richtig, München." in " ".join(ok["feedback"])
    bad = client.post(CHECK, {**post, f"q{prefix}": wrong}, HTTP_ACCEPT="application/json").json()
    assert bad["state"] == "wrong" and bad["correct"] == ["München"]
    page = client.post(CHECK, {**post, f"q{prefix}": wrong})
    assert page.status_code == 200 and "Leider nicht richtig." in page.content.decode()


def test_the_check_needs_a_login(client, question, learner):
    token, prefix, right, _wrong = _form(_render(question, user=learner, lesson=_lesson(question)))
    response = client.post(
        CHECK, {"token": token, "prefix": prefix, f"q{prefix}": right}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 401
    assert "melden Sie sich an" in response.json()["message"] and "correct" not in response.json()
    assert client.post(CHECK, {"token": token, "prefix": prefix, f"q{prefix}": right}).status_code == 302


def test_anonymous_visitors_see_the_questions_without_a_token(question):
    html = _render(question, lesson=_lesson(question))
    assert "Welche Stadt" in html and 'name="token" value=""' in html
    assert "Melden Sie sich an" in html


def test_the_token_is_bound_to_the_person(client, question, learner, org_tree, make_member):
    token, prefix, right, _wrong = _form(_render(question, user=learner, lesson=_lesson(question)))
    client.force_login(make_member(org_tree["garching"], Membership.Role.LEARNER))
    response = client.post(
        CHECK, {"token": token, "prefix": prefix, f"q{prefix}": right}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "assessment.practice_other_person"


def test_the_token_is_bound_to_a_lesson_that_offers_the_question(client, question, learner, practice):
    other = f.multichoice(practice)
    lesson = _lesson(other)  # offers another question only
    token, prefix, right, _wrong = _form(_render(question, user=learner, lesson=lesson))
    client.force_login(learner)
    response = client.post(
        CHECK, {"token": token, "prefix": prefix, f"q{prefix}": right}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 404


def test_the_token_expires(client, question, learner, settings):
    settings.PRACTICE_TOKEN_MAX_AGE = 60
    token, prefix, right, _wrong = _form(_render(question, user=learner, lesson=_lesson(question)))
    client.force_login(learner)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        response = client.post(
            CHECK, {"token": token, "prefix": prefix, f"q{prefix}": right}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 400
    assert "abgelaufen" in response.json()["message"]


def test_a_forged_token_gets_nothing(client, question, learner):
    client.force_login(learner)
    forged = signing.dumps([question.current_version_id, "abc"], salt="other")
    assert client.post(CHECK, {"token": forged, "prefix": "x", "qx": "0"}).status_code == 404


def test_questions_of_quiz_pools_are_never_offered_for_practice(client, learner):
    """The attack: a learner in an open attempt asks the practice check for the quiz's key."""
    graded = f.category("Abschlusstest")
    quiz_question = f.multichoice(graded)
    quiz = f.quiz(pages.course(), questions=[quiz_question])
    svc.attempt_start(quiz=quiz, user=learner)
    assert str(quiz_question.pk) not in {pk for pk, _label in question_choices()}
    html = _render(quiz_question, user=learner, lesson=_lesson(quiz_question))
    assert "Welche Stadt" not in html and 'name="token"' not in html
    block = PracticeQuestionsBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Zum Üben", "questions": [str(quiz_question.pk)]}))
    # Even a token made with the server's own key for a lesson holding the question is refused.
    lesson = _lesson(quiz_question)
    token = signing.dumps(
        {"v": quiz_question.current_version_id, "s": "abc", "u": learner.pk, "l": lesson.pk},
        salt="assessment.practice.v2",
    )
    client.force_login(learner)
    response = client.post(CHECK, {"token": token, "prefix": "x", "qx": "0"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and response.json()["correct"] == []


def test_a_category_a_quiz_draws_from_cannot_be_marked_for_practice():
    pool = f.category("Pool")
    sub = f.category("Teil", parent=pool)
    fixed_home = f.category("Feste")
    fixed = f.multichoice(fixed_home)
    f.quiz(pages.course(), questions=[fixed], categories=[(pool, 1)])
    for category in (pool, sub, fixed_home):
        with pytest.raises(ValidationFailed, match="nicht für Übungen freigegeben"):
            category_update(category=category, name=category.name, is_practice=True)
        category.refresh_from_db()
        assert not category.is_practice
    with pytest.raises(ValidationFailed, match="nicht für Übungen"):
        category_create(name="Neue Übung", parent=pool, is_practice=True)


def test_a_quiz_cannot_draw_from_a_practice_category(practice, question):
    from courses.assessment.quiz_models import QuizQuestionRule

    parent = category_create(name="Oben")
    category_create(name="Übung unten", parent=parent, is_practice=True)
    for rule in (
        QuizQuestionRule(category=practice, count=1),
        QuizQuestionRule(category=parent, count=1, include_subcategories=True),
        QuizQuestionRule(question=question),
    ):
        with pytest.raises(ValidationError, match="Übung"):
            rule.clean()
    assert QuizQuestionRule(category=parent, count=1, include_subcategories=False).clean() is None


def test_the_draw_skips_practice_questions_even_if_a_rule_slipped_through(practice, question, learner):
    quiz = f.quiz(pages.course(), categories=[(practice, 1)])
    with pytest.raises(Conflict, match="noch keine Fragen"):
        svc.attempt_start(quiz=quiz, user=learner)
