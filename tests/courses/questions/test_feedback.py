"""Feedback names the answer that scoring matched: the same rule, so tolerance and units agree (issue 11).

Before the type classes, the review's feedback matched numbers without the question's units and
took the absolute error margin where scoring took it as written: an answer given in minutes
scored as right and was shown the wrong answer's feedback.
"""

from decimal import Decimal

from courses.questions import types
from courses.questions.formats import ir


def _numerical(**kwargs):
    return ir.Question(
        qtype=ir.QuestionType.NUMERICAL,
        name="Frist",
        answers=[
            ir.Answer(
                "72", Decimal(1), ir.FormattedText("Richtig: 72 Stunden."), tolerance=kwargs.pop("tolerance", None)
            ),
            ir.Answer("*", Decimal(0), ir.FormattedText("Nein, die Frist ist 72 Stunden.")),
        ],
        units=[ir.Unit("h", Decimal(1)), ir.Unit("min", Decimal(60))],
        show_units=2,
        **kwargs,
    )


def _check(question, response):
    data = ir.question_to_dict(question)
    qtype = types.for_data(data)
    clean = qtype.clean(data, {}, response)
    return qtype.score(data, {}, clean).fraction, qtype.feedback(data, {}, clean)


def test_an_answer_in_another_unit_gets_the_feedback_of_the_answer_it_scored_as():
    assert _check(_numerical(), {"text": "4320", "unit": "min"}) == (1, ["Richtig: 72 Stunden."])


def test_a_unit_typed_into_the_text_field_counts_for_score_and_feedback_alike():
    assert _check(_numerical(), {"text": "4320 min"}) == (1, ["Richtig: 72 Stunden."])


def test_a_unit_written_before_the_number_gets_the_feedback_of_the_answer_it_scored_as():
    assert _check(_numerical(units_left=True), {"text": "72", "unit": "h"}) == (1, ["Richtig: 72 Stunden."])


def test_a_negative_error_margin_counts_as_its_absolute_value_for_score_and_feedback():
    # Moodle takes the margin's absolute value; scoring used to take it as written and give 0.
    assert _check(_numerical(tolerance=Decimal("-0.5")), {"text": "72,3", "unit": "h"}) == (
        1,
        ["Richtig: 72 Stunden."],
    )


def test_a_wrong_number_gets_the_catch_all_feedback_and_no_marks():
    assert _check(_numerical(), {"text": "48", "unit": "h"}) == (0, ["Nein, die Frist ist 72 Stunden."])


def test_a_cloze_number_gap_uses_the_same_margin_for_its_verdict_and_its_feedback():
    question = ir.Question(
        qtype=ir.QuestionType.CLOZE,
        name="Lücke",
        text=ir.FormattedText("<p>Frist: {#1} Stunden</p>"),
        cloze_parts=[
            ir.ClozePart(
                ir.ClozeKind.NUMERICAL,
                1,
                [ir.Answer("72", Decimal(1), ir.FormattedText("Genau."), tolerance=Decimal("-1"))],
            )
        ],
    )
    data = ir.question_to_dict(question)
    qtype = types.for_data(data)
    response = qtype.clean(data, {}, {"gaps": {"1": "72,5"}})
    assert qtype.score(data, {}, response).fraction == 1
    (part,) = qtype.answer_parts(data, {}, response)
    assert (part.verdict, part.feedback) == ("correct", "Genau.")
