"""Select missing words (Moodle's qtype_gapselect): Moodle XML, scoring, feedback, quiz, editor."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.questions import types
from courses.questions.formats import ir, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.formats.errors import FormatError
from courses.questions.models import Question
from courses.questions.services import category_create, question_create
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import ValidationFailed
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return read_moodle_xml((DATA / "moodle_gapselect.xml").read_bytes())


@pytest.fixture(scope="module")
def organs(parsed):
    return parsed.questions[0]


def gaps(question, **by_place):
    """An answer in the question's own terms: gap number → index of the choice with that text and group."""
    out = {}
    for place, spec in by_place.items():
        text, group = spec if isinstance(spec, tuple) else (spec, None)
        out[int(place[1:])] = next(
            i for i, c in enumerate(question.gap_choices) if c.text == text and group in (None, c.group)
        )
    return {"gaps": out}


def fraction(question, given):
    return types.for_question(question.qtype).score_given(question, given).fraction


# --- Moodle XML -----------------------------------------------------------------------------


def test_a_moodle_export_is_read_with_every_field(parsed, organs):
    assert parsed.unsupported == []
    q = organs
    assert q.qtype is ir.QuestionType.GAPSELECT
    assert q.text.text.startswith("<p>Die Gemeinde wird vom [[1]] und vom [[2]] verwaltet.")
    assert (q.default_mark, q.idnumber, q.shuffle_answers) == (Decimal(3), "KR-GS-01", True)
    assert [(c.text, c.group) for c in q.gap_choices] == [
        ("Gemeinderat", 1),
        ("Bürgermeister", 1),
        ("Gemeinderat", 2),
        ("Landrat", 1),
        ("Kreistag", 2),
    ]
    assert q.correct_feedback.text == "<p>Alle Lücken richtig.</p>"
    assert q.partially_correct_feedback.text == "<p>Teilweise richtig.</p>"
    assert q.incorrect_feedback.text == "<p>Leider falsch.</p>"
    assert q.show_num_correct is True
    assert q.hints[0].clear_wrong and q.hints[0].show_num_correct
    assert q.tags == ["Kommunalrecht"]


def test_missing_elements_take_the_defaults_of_moodles_importer(parsed):
    q = parsed.questions[1]
    assert q.name == "Fristen & Formen"
    assert q.shuffle_answers is True  # no <shuffleanswers>
    assert q.gap_choices[1].group == 1  # no <group>
    assert q.correct_feedback.format is ir.TextFormat.MOODLE  # follows the question text


def test_export_then_import_gives_the_same_questions(parsed):
    exported = write_moodle_xml(parsed.questions, parsed.categories)
    assert exported.losses == []
    assert exported.content.count("<selectoption>") == 9
    again = read_moodle_xml(exported.content)
    assert again.questions == parsed.questions
    assert again.categories == parsed.categories


def test_gift_cannot_hold_it_and_the_export_says_so(parsed):
    exported = write_gift(parsed.questions)
    assert exported.content == ""
    assert "„Organe der Gemeinde“: Fragetyp gapselect ist in GIFT nicht darstellbar" in exported.losses[0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<questiontext><text>Ohne Lücke</text></questiontext>", "mindestens eine Lücke"),
        ("<questiontext><text>A [[3]]</text></questiontext>", "Die Lücke [[3]] verweist auf keine"),
    ],
)
def test_a_text_without_gaps_or_with_a_gap_naming_no_choice_is_refused_with_its_line(body, message):
    options = "<selectoption><text>a</text><group>1</group></selectoption>" * 2
    head = '<?xml version="1.0"?>\n<quiz>\n<question type="gapselect"><name><text>X</text></name>'
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(f"{head}{body}{options}</question></quiz>")
    assert message in exc.value.message and exc.value.line == 3


# --- scoring and feedback -------------------------------------------------------------------


def test_the_score_is_right_gaps_over_all_gaps(organs):
    q = organs
    right = {"p1": ("Gemeinderat", 1), "p2": "Bürgermeister", "p3": ("Gemeinderat", 2)}
    assert fraction(q, gaps(q, **right)) == 1
    assert fraction(q, gaps(q, **{**right, "p2": "Landrat"})) == Decimal("0.6666667")
    assert fraction(q, gaps(q, p1=("Gemeinderat", 1))) == Decimal("0.3333333")  # empty gaps count as wrong
    # Gap 1 wants choice 1; choice 2 is wrong there even though both are in the gap's group.
    assert fraction(q, gaps(q, p1="Bürgermeister", p2=("Gemeinderat", 1), p3="Kreistag")) == 0
    assert fraction(q, None) == 0


def test_feedback_is_the_combined_feedback_of_the_state_with_the_number_right(organs):
    qtype = types.for_question(ir.QuestionType.GAPSELECT)
    partly = qtype.feedback_given(organs, gaps(organs, p1=("Gemeinderat", 1), p2="Landrat"))
    assert partly == ["<p>Teilweise richtig.</p>", "<p>Sie haben 1 von 3 Lücken richtig gefüllt.</p>"]
    right = gaps(organs, p1=("Gemeinderat", 1), p2="Bürgermeister", p3=("Gemeinderat", 2))
    assert qtype.feedback_given(organs, right) == ["<p>Alle Lücken richtig.</p>"]
    parts = qtype.parts_given(organs, gaps(organs, p1=("Gemeinderat", 1), p2="Landrat"))
    assert [(p.label, p.given, p.verdict) for p in parts] == [
        ("Lücke 1:", "„Gemeinderat“", "correct"),
        ("Lücke 2:", "„Landrat“", "wrong"),
    ]
    data = ir.question_to_dict(organs)
    assert qtype.correct_answers(data) == ["(1) Gemeinderat", "(2) Bürgermeister", "(3) Gemeinderat"]


def test_each_gap_offers_its_groups_options_by_position_and_nothing_else(organs):
    data = ir.question_to_dict(organs)
    qtype = types.for_data(data)
    layout = types.seeded_layout(data, seed="x")
    view = qtype.learner_view(data, layout)
    gap_segments = [s for s in view["segments"] if "gap" in s]
    assert [s["gap"] for s in gap_segments] == ["1", "2", "3"]
    assert sorted(c["text"] for c in gap_segments[0]["choices"]) == ["Bürgermeister", "Gemeinderat", "Landrat"]
    assert sorted(c["text"] for c in gap_segments[2]["choices"]) == ["Gemeinderat", "Kreistag"]
    assert [c["key"] for c in gap_segments[2]["choices"]] == ["0", "1"]
    assert "[[" not in json.dumps(view)
    for secret in ("fraction", "group", "Alle Lücken richtig", "Teilweise"):
        assert secret not in json.dumps(view)
    with pytest.raises(types.ResponseError):
        qtype.clean(data, layout, {"gaps": {"3": "2"}})  # group 2 has two options
    with pytest.raises(types.ResponseError):
        qtype.clean(data, layout, {"gaps": {"4": "0"}})
    assert qtype.clean(data, layout, {"gaps": {"1": ""}}) is None


def test_without_shuffling_the_options_are_sorted_so_the_right_one_is_not_always_first(organs):
    data = ir.question_to_dict(organs) | {"shuffle_answers": False}
    layout = types.seeded_layout(data, seed="y")
    view = types.for_data(data).learner_view(data, layout)
    first = next(s for s in view["segments"] if s.get("gap") == "1")
    assert [c["text"] for c in first["choices"]] == ["Bürgermeister", "Gemeinderat", "Landrat"]


# --- in the bank, in a quiz, in the editor -----------------------------------------------


@pytest.mark.django_db
def test_a_quiz_scores_it_on_the_server_and_neither_page_nor_api_show_the_key(client, organs):
    learner = UserFactory()
    client.force_login(learner)
    question = question_create(category=f.category(), content=organs)
    quiz = f.quiz(pages.course(), questions=[question])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'<select name="q1-1" aria-label="Lücke 1"', html)
    api = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", "{}", content_type="application/json")
    assert api.status_code == 200
    for body in (html, api.content.decode()):
        for secret in ("fraction", "[[1]]", "Alle Lücken richtig", "Teilweise", '"group"'):
            assert secret not in body
    view = sel.attempt_questions(attempt=attempt)[0].question
    segments = {s["gap"]: {c["text"]: c["key"] for c in s["choices"]} for s in view["segments"] if "gap" in s}
    answer = {"1": segments["1"]["Gemeinderat"], "2": segments["2"]["Landrat"], "3": segments["3"]["Gemeinderat"]}
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"gaps": answer}})
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    # Two of three gaps: 0.6666667 of 3 marks, kept to four places like every slot's mark.
    assert attempt.slots.get().fraction == Decimal("0.6666667")
    assert (attempt.score, attempt.max_score) == (Decimal("2.0000"), Decimal(3))


@pytest.mark.django_db
def test_the_bank_refuses_a_gap_that_names_no_choice(organs):
    content = ir.question_from_dict(ir.question_to_dict(organs))
    content.text.text += " [[9]]"
    with pytest.raises(ValidationFailed, match=r"Die Lücke \[\[9\]\] verweist auf keine"):
        question_create(category=f.category(), content=content)


@pytest.mark.django_db
def test_the_editor_takes_the_text_with_gaps_and_one_row_per_choice_with_its_group(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    root = category_create(name="Neu", owner=trainer)
    form = client.get("/admin/fragen/neu/gapselect/").content.decode()
    assert 'name="rows-0-group"' in form and 'name="rows-0-fraction"' not in form
    data = {
        "category": root.pk,
        "name": "Organe",
        "text": "<p>Der [[1]] beschließt, der [[2]] führt aus.</p>",
        "text_format": "html",
        "default_mark": "2",
        "penalty": "0.3333333",
        "tags": "",
        "shuffle_answers": "on",
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "Rat",
        "rows-0-group": "1",
        "rows-1-text": "Bürgermeister",
        "rows-1-group": "1",
        "rows-2-text": "Kreistag",
        "rows-2-group": "1",
    }
    response = client.post("/admin/fragen/neu/gapselect/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    content = Question.objects.get().current_version.content
    assert [(c.text, c.group) for c in content.gap_choices] == [("Rat", 1), ("Bürgermeister", 1), ("Kreistag", 1)]

    data["text"] = "<p>Der [[4]] beschließt.</p>"
    response = client.post("/admin/fragen/neu/gapselect/", data)
    assert response.status_code == 200
    assert "Die Lücke [[4]] verweist auf keine Auswahlmöglichkeit" in response.content.decode()
    assert Question.objects.count() == 1
