"""The quiz-taking API: start/resume, questions without the key, save, one submission, review, bounded queries."""

import json

import pytest

from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import Attempt
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def quiz():
    cat = f.category()
    return f.quiz(pages.course(), questions=[f.multichoice(cat), f.shortanswer(cat), f.numerical(cat)])


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_start_creates_then_resumes_and_shows_no_key(client, learner, quiz):
    first = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert first.status_code == 201
    again = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    body = first.content.decode()
    for secret in ("fraction", "feedback", "Richtig, München", "Datenschutz*", '"42"', "tolerance"):
        assert secret not in body
    slots = first.json()["slots"]
    assert [s["slot"] for s in slots] == [1, 2, 3]
    assert {c["key"] for c in slots[0]["choices"]} == {"0", "1", "2"}


def test_save_submit_and_review(client, learner, quiz):
    attempt = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    right = next(c["key"] for c in attempt["slots"][0]["choices"] if c["text"] == "München")
    url = f"/api/v1/attempts/{attempt['id']}/"
    saved = post(
        client,
        url + "answers/",
        {"answers": [{"slot": 1, "response": {"choice": right}}, {"slot": 3, "response": {"text": "42,2"}}]},
    )
    assert saved.status_code == 200 and saved.json()["saved"] == [1, 3]
    assert client.get(url).json()["slots"][0]["response"] == {"choice": right}
    assert client.get(url + "review/").status_code == 409
    submitted = post(client, url + "submit/")
    assert submitted.status_code == 200
    assert submitted.json()["score"] == "2.0000" and submitted.json()["state"] == "finished"
    assert post(client, url + "submit/").json() == submitted.json()
    assert post(client, url + "answers/", {"answers": [{"slot": 2, "response": {"text": "x"}}]}).status_code == 409
    review = client.get(url + "review/").json()
    assert [s["state"] for s in review["slots"]] == ["correct", "wrong", "correct"]


def test_a_question_can_be_flagged_for_later_through_the_api(client, learner, quiz):
    attempt = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    assert [s["flagged"] for s in attempt["slots"]] == [False, False, False]
    url = f"/api/v1/attempts/{attempt['id']}/"
    saved = post(client, url + "answers/", {"answers": [{"slot": 2, "response": None, "flagged": True}]})
    assert saved.status_code == 200
    assert [s["flagged"] for s in client.get(url).json()["slots"]] == [False, True, False]
    # Saving an answer without the field leaves the mark as it is; false clears it.
    post(client, url + "answers/", {"answers": [{"slot": 2, "response": {"text": "x"}}]})
    assert client.get(url).json()["slots"][1]["flagged"] is True
    post(client, url + "answers/", {"answers": [{"slot": 2, "response": {"text": "x"}, "flagged": False}]})
    assert client.get(url).json()["slots"][1]["flagged"] is False


def test_bad_input_is_refused_with_messages(client, learner, quiz):
    attempt = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    url = f"/api/v1/attempts/{attempt['id']}/answers/"
    assert post(client, url, {"answers": []}).status_code == 400
    response = post(client, url, {"answers": [{"slot": 1, "response": {"choice": "9"}}]})
    assert response.status_code == 400 and response.json()["errors"] == {"1": "Diese Auswahl gibt es nicht."}


def test_other_peoples_attempts_are_not_found(client, learner, quiz):
    attempt = svc.attempt_start(quiz=quiz, user=UserFactory())
    for path in ("", "review/"):
        assert client.get(f"/api/v1/attempts/{attempt.pk}/{path}").status_code == 404
    assert post(client, f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 404
    assert (
        post(
            client, f"/api/v1/attempts/{attempt.pk}/answers/", {"answers": [{"slot": 1, "response": None}]}
        ).status_code
        == 404
    )
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_anonymous_visitors_cannot_use_the_api(client, quiz):
    assert post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 403


def _twenty_question_attempt(client, learner):
    cat = f.category()
    questions = [f.multichoice(cat) for _ in range(10)] + [f.shortanswer(cat) for _ in range(5)]
    questions += [f.truefalse(cat) for _ in range(5)]
    quiz = f.quiz(pages.course(), questions=questions)
    return post(client, f"/api/v1/quizzes/{quiz.pk}/attempts/").json()


def test_saving_into_a_twenty_question_attempt_costs_a_bounded_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    attempt = _twenty_question_attempt(client, learner)
    url = f"/api/v1/attempts/{attempt['id']}/answers/"
    one = {"answers": [{"slot": 12, "response": {"text": "Datenschutz"}}]}
    every = {
        "answers": [
            {
                "slot": s["slot"],
                "response": {"text": "x"}
                if s["type"] == "shortanswer"
                else {"value": True}
                if s["type"] == "truefalse"
                else {"choice": "1"},
            }
            for s in attempt["slots"]
        ]
    }
    # session, user, lock the attempt, read the slots, write the answer(s); inside the test's own
    # transaction the service's atomic block adds a SAVEPOINT and its RELEASE.
    with django_assert_max_num_queries(7):
        assert post(client, url, one).status_code == 200
    with django_assert_max_num_queries(7):
        assert post(client, url, every).status_code == 200


def test_submitting_a_twenty_question_attempt_costs_a_bounded_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    attempt = _twenty_question_attempt(client, learner)
    # session, user, lock + quiz, slots with their versions, the guarded update, all slot grades in
    # one UPDATE, and SAVEPOINT/RELEASE inside the test transaction. The progress report runs after
    # commit, as a Celery task.
    with django_assert_max_num_queries(8):
        assert post(client, f"/api/v1/attempts/{attempt['id']}/submit/").status_code == 200


def test_refusals_carry_a_stable_code_and_the_german_message(client, learner):
    empty = f.quiz(pages.course(), questions=[])
    response = post(client, f"/api/v1/quizzes/{empty.pk}/attempts/")
    assert response.status_code == 409
    assert response.json() == {
        "code": "assessment.quiz_without_questions",
        "detail": "Dieser Test enthält noch keine Fragen.",
    }
    used_up = f.quiz(pages.course(), questions=[f.truefalse(f.category())], attempts_allowed=1)
    svc.attempt_submit(attempt_id=svc.attempt_start(quiz=used_up, user=learner).pk, user=learner)
    response = post(client, f"/api/v1/quizzes/{used_up.pk}/attempts/")
    assert response.status_code == 403 and response.json()["code"] == "assessment.attempts_used_up"
