"""One class per question type: the registry, German errors for answers that do not fit, the editor's rules."""

import random

import pytest

from courses.assessment.forms import AnswerRowForm, new_content
from courses.questions import types
from courses.questions.formats import ir
from lernplattform.core.errors import ValidationFailed


@pytest.mark.parametrize("qtype", list(ir.QuestionType))
def test_every_type_has_its_own_class_in_its_own_module(qtype):
    behaviour = types.for_question(qtype)
    assert behaviour.qtype is qtype
    assert type(behaviour).__module__ == f"courses.questions.types.{qtype.value}"
    assert types.for_question(qtype.value) is behaviour


def test_an_unknown_type_is_refused_in_german():
    with pytest.raises(ValidationFailed) as exc:
        types.for_question("calculatedmulti")
    assert exc.value.code == "questions.type_unknown"
    assert "Diesen Fragetyp gibt es nicht" in exc.value.message


def _multichoice() -> dict:
    question = ir.Question(
        qtype=ir.QuestionType.MULTICHOICE,
        name="Hauptstadt",
        answers=[ir.Answer("Berlin", 1), ir.Answer("Bonn", 0)],
    )
    return ir.question_to_dict(question)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"choice": "7"}, "Diese Auswahl gibt es nicht."),
        ("Berlin", "Die Antwort hat ein unbekanntes Format."),
    ],
)
def test_an_answer_that_does_not_fit_is_an_application_error_with_a_german_message(raw, message):
    data = _multichoice()
    layout = types.for_data(data).layout(data, shuffle_answers=False, rng=random.Random(1))
    with pytest.raises(types.ResponseError) as exc:
        types.for_data(data).clean(data, layout, raw)
    assert isinstance(exc.value, ValidationFailed)
    assert (exc.value.code, exc.value.message) == ("questions.response_invalid", message)


def test_the_same_seed_gives_the_same_layout_and_the_view_holds_no_key():
    data = _multichoice()
    first = types.seeded_layout(data, seed="a")
    assert first == types.seeded_layout(data, seed="a")
    view = types.for_data(data).learner_view(data, first)
    assert sorted(c["key"] for c in view["choices"]) == ["0", "1"]
    assert "fraction" not in str(view)


def test_new_questions_get_moodles_defaults_per_type():
    assert new_content("truefalse").penalty == 1
    assert new_content("description").default_mark == 0
    assert new_content("ordering").answer_numbering == "none"
    assert new_content("multichoice").penalty == ir.DEFAULT_PENALTY


def test_a_numerical_answer_row_must_hold_a_number_or_a_star():
    assert AnswerRowForm({"text": "3,5", "fraction": "100"}, qtype="numerical").is_valid()
    assert AnswerRowForm({"text": "*", "fraction": "0"}, qtype="numerical").is_valid()
    form = AnswerRowForm({"text": "drei", "fraction": "100"}, qtype="numerical")
    assert not form.is_valid()
    assert form.errors["text"] == ["Keine Zahl."]
    assert form.fields["text"].label == "Zahl oder *"
