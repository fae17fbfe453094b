"""All-or-nothing multiple choice (Moodle's qtype_multichoiceset): Moodle XML, scoring, feedback, quiz, editor."""

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
    return read_moodle_xml((DATA / "moodle_multichoiceset.xml").read_bytes())


@pytest.fixture(scope="module")
def duties(parsed):
    return parsed.questions[0]


def key(question, text):
    return next(i for i, a in enumerate(question.answers) if text in a.text)


def picks(question, *texts):
    return {"choices": [key(question, t) for t in texts]}


def fraction(question, given):
    return types.for_question(question.qtype).score_given(question, given).fraction


# --- Moodle XML -----------------------------------------------------------------------------


def test_a_moodle_export_is_read_with_every_field(parsed, duties):
    assert parsed.unsupported == []
    assert parsed.categories[0].path == ["Standard für Melderecht", "Alles oder nichts"]
    assert parsed.categories[0].idnumber == "MR-AON"
    q = duties
    assert q.qtype is ir.QuestionType.MULTICHOICESET
    assert q.single is False
    assert (q.default_mark, q.penalty, q.hidden, q.idnumber) == (Decimal(2), Decimal("0.3333333"), False, "MR-01")
    assert q.shuffle_answers is True and q.answer_numbering == "ABCD"
    assert q.correct_feedback.text == "<p>Genau die richtigen Aufgaben.</p>"
    assert q.incorrect_feedback.text.startswith("<p>Nicht ganz")
    assert q.partially_correct_feedback.text == ""
    assert q.show_num_correct is True
    assert [a.fraction for a in q.answers] == [1, 1, 0, 0]
    assert q.answers[2].feedback.text == "<p>Das ist Sache der Bauaufsicht.</p>"
    assert q.answers[0].format is ir.TextFormat.HTML
    assert q.general_feedback.text == "<p>Siehe § 2 Bundesmeldegesetz.</p>"
    assert [h.clear_wrong for h in q.hints] == [False, True]
    assert q.tags == ["Melderecht", "BMG"]


def test_like_moodle_any_non_zero_fraction_or_an_old_correctanswer_element_makes_a_choice_right(parsed):
    old = parsed.questions[1]
    # fraction="50" is right (Moodle: "not empty"); <correctanswer>1</correctanswer> overrides fraction="0".
    assert [a.fraction for a in old.answers] == [1, 0, 1]
    # Missing elements take the defaults of Moodle's importer.
    assert old.shuffle_answers is True and old.answer_numbering == "abc"
    assert old.penalty == Decimal("0.3333333") and old.hidden is True
    assert old.correct_feedback.format is ir.TextFormat.MOODLE
    assert old.answers[0].format is ir.TextFormat.MOODLE


def test_export_then_import_gives_the_same_questions(parsed):
    exported = write_moodle_xml(parsed.questions, parsed.categories)
    assert exported.losses == []
    assert '<question type="multichoiceset">' in exported.content
    assert "partiallycorrectfeedback" not in exported.content
    again = read_moodle_xml(exported.content)
    assert again.questions == parsed.questions
    assert again.categories == parsed.categories
    # Right choices are written as Moodle's plugin writes them: 100 or 0.
    assert set(re.findall(r'<answer fraction="([^"]+)"', exported.content)) == {"100", "0"}


def test_gift_cannot_hold_it_and_the_export_says_so(parsed):
    exported = write_gift(parsed.questions)
    assert exported.content == ""
    assert exported.losses[0] == (
        "„Aufgaben der Meldebehörde“: Fragetyp multichoiceset ist in GIFT nicht darstellbar, ausgelassen."
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ('<answer fraction="100"><text>A</text></answer>', "mindestens zwei Antworten"),
        ('<answer fraction="0"><text>A</text></answer><answer fraction="0"><text>B</text></answer>', "richtige"),
    ],
)
def test_a_question_without_two_answers_or_without_a_right_one_is_refused_with_its_line(answers, message):
    head = '<?xml version="1.0"?>\n<quiz>\n<question type="multichoiceset"><name><text>X</text></name>'
    xml = f"{head}{answers}</question></quiz>"
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(xml)
    assert message in exc.value.message and exc.value.line == 3


# --- scoring and feedback -------------------------------------------------------------------


def test_only_exactly_the_right_set_scores_and_anything_else_scores_zero(duties):
    q = duties
    assert fraction(q, picks(q, "Melderegister", "Meldebescheinigungen")) == 1
    assert fraction(q, picks(q, "Melderegister")) == 0  # one right choice missing
    assert fraction(q, picks(q, "Melderegister", "Meldebescheinigungen", "Baugenehmigungen")) == 0  # one too many
    assert fraction(q, picks(q, "Baugenehmigungen")) == 0
    assert fraction(q, {"choices": []}) == 0
    assert fraction(q, None) == 0
    # An index twice counts once and an unknown one not at all (clean never stores either).
    right = picks(q, "Melderegister", "Meldebescheinigungen")["choices"]
    assert fraction(q, {"choices": [*right, right[0], 99]}) == 1


def test_feedback_names_each_picked_choice_and_then_the_combined_feedback(duties):
    qtype = types.for_question(ir.QuestionType.MULTICHOICESET)
    wrong = qtype.feedback_given(duties, picks(duties, "Melderegister", "Baugenehmigungen"))
    assert wrong == [
        "<p>Ja, das Melderegister ist ihre Kernaufgabe.</p>",
        "<p>Das ist Sache der Bauaufsicht.</p>",
        "<p>Nicht ganz: Es zählt nur die vollständig richtige Auswahl.</p>",
    ]
    right = qtype.feedback_given(duties, picks(duties, "Melderegister", "Meldebescheinigungen"))
    assert right[-1] == "<p>Genau die richtigen Aufgaben.</p>"
    parts = qtype.parts_given(duties, picks(duties, "Melderegister", "Baugenehmigungen"))
    assert [(p.given, p.verdict) for p in parts] == [
        ("„Melderegister führen“", "correct"),
        ("„Baugenehmigungen erteilen“", "wrong"),
    ]
    assert qtype.correct_answers(ir.question_to_dict(duties)) == [
        "<p>Melderegister führen</p>",
        "<p>Meldebescheinigungen ausstellen</p>",
    ]


def test_the_learner_view_offers_check_boxes_and_tells_nothing(duties):
    data = ir.question_to_dict(duties)
    qtype = types.for_data(data)
    layout = types.seeded_layout(data, seed="x")
    view = qtype.learner_view(data, layout)
    assert view["type"] == "multichoiceset" and view["single"] is False
    assert [c["key"] for c in view["choices"]] == ["0", "1", "2", "3"]
    body = json.dumps(view)
    for secret in ("fraction", "feedback", "Kernaufgabe", "Bauaufsicht", "Genau die richtigen"):
        assert secret not in body
    with pytest.raises(types.ResponseError):
        qtype.clean(data, layout, {"choices": ["7"]})
    assert qtype.clean(data, layout, {"choices": []}) is None


# --- in the bank, in a quiz, in the editor -----------------------------------------------


def _store(cat, question):
    return question_create(category=cat, content=question)


@pytest.mark.django_db
def test_a_quiz_scores_it_on_the_server_and_neither_page_nor_api_show_the_key(client, duties):
    learner = UserFactory()
    client.force_login(learner)
    question = _store(f.category(), duties)
    quiz = f.quiz(pages.course(), questions=[question])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])).content.decode()
    assert 'type="checkbox" name="q1"' in html
    api = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", "{}", content_type="application/json")
    assert api.status_code == 200
    for body in (html, api.content.decode()):
        for secret in ("fraction", "Kernaufgabe", "Bauaufsicht", "Genau die richtigen", '"correct"'):
            assert secret not in body
    view = sel.attempt_questions(attempt=attempt)[0].question
    keys = {re.sub(r"<[^>]+>", "", c["text"]): c["key"] for c in view["choices"]}
    chosen = [keys["Melderegister führen"], keys["Meldebescheinigungen ausstellen"]]
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"choices": chosen}})
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == attempt.max_score == Decimal(2)

    second = svc.attempt_start(quiz=quiz, user=learner)
    view = sel.attempt_questions(attempt=second)[0].question
    keys = {re.sub(r"<[^>]+>", "", c["text"]): c["key"] for c in view["choices"]}
    svc.attempt_answers_save(
        attempt_id=second.pk, user=learner, answers={1: {"choices": [keys["Melderegister führen"]]}}
    )
    assert svc.attempt_submit(attempt_id=second.pk, user=learner).score == 0


@pytest.mark.django_db
def test_the_bank_refuses_a_question_without_a_right_choice(duties):
    content = ir.question_from_dict(ir.question_to_dict(duties))
    for answer in content.answers:
        answer.fraction = Decimal(0)
    with pytest.raises(ValidationFailed, match="mindestens eine Antwort als richtig"):
        _store(f.category(), content)


@pytest.mark.django_db
def test_the_editor_marks_right_choices_with_a_check_box_and_keeps_the_rest(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    root = category_create(name="Neu", owner=trainer)
    form = client.get("/admin/fragen/neu/multichoiceset/")
    assert form.status_code == 200
    assert 'name="rows-0-correct"' in form.content.decode()
    assert 'name="rows-0-fraction"' not in form.content.decode()
    data = {
        "category": root.pk,
        "name": "Meldebehörde",
        "text": "<p>Welche Aufgaben?</p>",
        "text_format": "html",
        "default_mark": "1",
        "penalty": "0.3333333",
        "tags": "",
        "shuffle_answers": "on",
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "Melderegister",
        "rows-0-correct": "on",
        "rows-0-feedback": "Ja.",
        "rows-1-text": "Bauaufsicht",
        "rows-2-text": "Meldebescheinigung",
        "rows-2-correct": "on",
    }
    response = client.post("/admin/fragen/neu/multichoiceset/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    content = Question.objects.get().current_version.content
    assert content.qtype is ir.QuestionType.MULTICHOICESET and content.single is False
    assert [a.fraction for a in content.answers] == [1, 0, 1]
    assert content.answers[0].feedback.text == "Ja."

    data.pop("rows-0-correct")
    data.pop("rows-2-correct")
    response = client.post("/admin/fragen/neu/multichoiceset/", data)
    assert response.status_code == 200
    assert "mindestens eine Antwort als richtig" in response.content.decode()
    assert Question.objects.count() == 1
