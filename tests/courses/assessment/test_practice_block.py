"""Practice questions in lessons: rendered without the key, checked on the server, only for offered questions."""

import re

import pytest
from django.core import signing

from courses.assessment.blocks import PracticeQuestionsBlock
from tests.factories import quiz as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return f.multichoice(f.category())


def _render(question):
    block = PracticeQuestionsBlock()
    value = block.to_python({"title": "Zum Üben", "questions": [str(question.pk)]})
    return block.render(value, context={})


def test_the_block_shows_the_question_but_not_its_key(question):
    html = _render(question)
    assert "Welche Stadt ist Hauptstadt von Bayern?" in html
    assert "Richtig, München." not in html and "fraction" not in html
    assert 'name="token"' in html and 'aria-live="polite"' in html


def test_checking_says_right_or_wrong_with_feedback_and_the_right_answer(client, question):
    html = _render(question)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    prefix = re.search(r'name="prefix" value="([^"]+)"', html).group(1)
    keys = dict(re.findall(r'value="(\d+)">\s*<label for="[^"]+">([^<]+)</label>', html))
    right = next(k for k, text in keys.items() if text == "München")
    wrong = next(k for k, text in keys.items() if text != "München")
    post = {"token": token, "prefix": prefix}
    ok = client.post("/tests/uebung/pruefen/", {**post, f"q{prefix}": right}, HTTP_ACCEPT="application/json").json()
    assert ok["state"] == "correct" and "Richtig, München." in " ".join(ok["feedback"])
    bad = client.post("/tests/uebung/pruefen/", {**post, f"q{prefix}": wrong}, HTTP_ACCEPT="application/json").json()
    assert bad["state"] == "wrong" and bad["correct"] == ["München"]
    page = client.post("/tests/uebung/pruefen/", {**post, f"q{prefix}": wrong})
    assert page.status_code == 200 and "Leider nicht richtig." in page.content.decode()


def test_a_question_no_lesson_offers_cannot_be_checked(client, question):
    forged = signing.dumps([question.current_version_id, "abc"], salt="other")
    response = client.post("/tests/uebung/pruefen/", {"token": forged, "prefix": "x", "qx": "0"})
    assert response.status_code == 404
