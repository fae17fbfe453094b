"""Drag and drop into text (Moodle's qtype_ddwtos), played with drop-downs: Moodle XML, scoring, quiz, editor."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.questions import types
from courses.questions.formats import ir, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.models import Question
from courses.questions.services import category_create, question_create
from lernplattform.accounts.models import Membership
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return read_moodle_xml((DATA / "moodle_ddwtos.xml").read_bytes())


@pytest.fixture(scope="module")
def supervision(parsed):
    return parsed.questions[0]


def index(question, text):
    return next(i for i, c in enumerate(question.gap_choices) if c.text == text)


def fraction(question, **by_place):
    given = {"gaps": {int(p[1:]): index(question, t) for p, t in by_place.items()}}
    return types.for_question(question.qtype).score_given(question, given).fraction


def test_a_moodle_export_is_read_with_drag_boxes_groups_and_infinite(parsed, supervision):
    assert parsed.unsupported == []
    q = supervision
    assert q.qtype is ir.QuestionType.DDWTOS
    assert [(c.text, c.group, c.infinite) for c in q.gap_choices] == [
        ("Aufsichtsbehörde", 1, True),
        ("Datenschutz", 2, False),
        ("Landesbeauftragte", 1, False),
        ("Bürgermeisterin", 1, False),
        ("Haushalt", 2, False),
    ]
    assert q.partially_correct_feedback.text == "<p>Teilweise richtig zugeordnet.</p>"
    assert q.idnumber == "DS-DD-01" and q.show_num_correct


def test_export_then_import_gives_the_same_question_and_gift_names_it_lost(parsed):
    exported = write_moodle_xml(parsed.questions, parsed.categories)
    assert exported.losses == []
    assert exported.content.count("<dragbox>") == 5 and exported.content.count("<infinite/>") == 1
    assert "<selectoption>" not in exported.content
    assert read_moodle_xml(exported.content).questions == parsed.questions
    gift = write_gift(parsed.questions)
    assert gift.content == "" and "Fragetyp ddwtos ist in GIFT nicht darstellbar" in gift.losses[0]


def test_it_scores_like_gapselect_right_gaps_over_all_gaps(supervision):
    q = supervision
    right = {"p1": "Aufsichtsbehörde", "p2": "Datenschutz", "p3": "Landesbeauftragte", "p4": "Aufsichtsbehörde"}
    assert fraction(q, **right) == 1
    assert fraction(q, **{**right, "p2": "Haushalt"}) == Decimal("0.75")
    assert fraction(q, p3="Aufsichtsbehörde") == 0


def test_an_item_that_is_not_infinite_fits_one_gap_only_and_an_infinite_one_several(supervision):
    data = ir.question_to_dict(supervision)
    qtype = types.for_data(data)
    layout = types.seeded_layout(data, seed="z")
    view = qtype.learner_view(data, layout)
    keys = {s["gap"]: {c["text"]: c["key"] for c in s["choices"]} for s in view["segments"] if "gap" in s}
    twice = {"1": keys["1"]["Aufsichtsbehörde"], "4": keys["4"]["Aufsichtsbehörde"]}
    assert qtype.clean(data, layout, {"gaps": twice}) == {"gaps": twice}
    with pytest.raises(types.ResponseError, match="„Landesbeauftragte“ kann nur in eine Lücke gesetzt werden."):
        qtype.clean(data, layout, {"gaps": {"1": keys["1"]["Landesbeauftragte"], "3": keys["3"]["Landesbeauftragte"]}})
    body = json.dumps(view)
    for secret in ("[[", "infinite", "fraction", "group", "Richtig zugeordnet"):
        assert secret not in body


@pytest.mark.django_db
def test_the_quiz_plays_it_with_labelled_drop_downs_and_shows_no_key(client, supervision):
    learner = UserFactory()
    client.force_login(learner)
    quiz = f.quiz(pages.course(), questions=[question_create(category=f.category(), content=supervision)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])).content.decode()
    assert len(re.findall(r'<select name="q1-\d" aria-label="Lücke \d"', html)) == 4
    assert "draggable" not in html
    api = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", "{}", content_type="application/json")
    for body in (html, api.content.decode()):
        for secret in ("fraction", "[[1]]", "infinite", "Richtig zugeordnet"):
            assert secret not in body
    view = sel.attempt_questions(attempt=attempt)[0].question
    keys = {s["gap"]: {c["text"]: c["key"] for c in s["choices"]} for s in view["segments"] if "gap" in s}
    answer = {"1": "Aufsichtsbehörde", "2": "Datenschutz", "3": "Landesbeauftragte", "4": "Aufsichtsbehörde"}
    gaps = {g: keys[g][t] for g, t in answer.items()}
    assert svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"gaps": gaps}}).errors == {}
    assert svc.attempt_submit(attempt_id=attempt.pk, user=learner).score == Decimal(1)


@pytest.mark.django_db
def test_the_editor_has_group_and_infinite_per_row(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    root = category_create(name="Neu", owner=trainer)
    form = client.get("/admin/fragen/neu/ddwtos/").content.decode()
    assert 'name="rows-0-infinite"' in form and 'name="rows-0-group"' in form
    data = {
        "category": root.pk,
        "name": "Aufsicht",
        "text": "<p>Die [[1]] prüft die [[1]].</p>",
        "text_format": "html",
        "default_mark": "1",
        "penalty": "0.3333333",
        "tags": "",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "Behörde",
        "rows-0-group": "1",
        "rows-0-infinite": "on",
        "rows-1-text": "Gemeinde",
        "rows-1-group": "1",
    }
    response = client.post("/admin/fragen/neu/ddwtos/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    content = Question.objects.get().current_version.content
    assert content.qtype is ir.QuestionType.DDWTOS and content.shuffle_answers is False
    assert [(c.text, c.group, c.infinite) for c in content.gap_choices] == [
        ("Behörde", 1, True),
        ("Gemeinde", 1, False),
    ]
