"""Calculated questions (Moodle's qtype_calculated and qtype_calculatedsimple): formulas, datasets, scoring, quiz."""

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest

from courses.assessment import attempt_selectors as sel
from courses.assessment import attempt_services as svc
from courses.questions import types
from courses.questions.formats import formula, ir, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.formats.errors import FormatError
from courses.questions.formats.formula import FormulaError
from courses.questions.models import Question
from courses.questions.services import category_create, question_create
from courses.questions.types.calculated import tolerance_interval
from lernplattform.accounts.models import Membership
from lernplattform.core.errors import ValidationFailed
from tests.factories import pages
from tests.factories import quiz as f
from tests.factories.accounts import UserFactory

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return read_moodle_xml((DATA / "moodle_calculated.xml").read_bytes())


@pytest.fixture(scope="module")
def fee(parsed):
    return next(q for q in parsed.questions if q.name == "Verwaltungsgebühr")


@pytest.fixture(scope="module")
def interest(parsed):
    return next(q for q in parsed.questions if q.name == "Zinsen für ein Jahr")


def fraction(question, text, item, unit=""):
    given = {"text": text, "item": item} | ({"unit": unit} if unit else {})
    return types.for_question(question.qtype).score_given(question, given).fraction


# --- the formula language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ^ 3 ^ 2", 512),  # right-associative
        ("2 ** 3", 8),
        ("-2 ^ 2", -4),  # as in PHP: the power binds tighter than the minus
        ("-(2) * -3", 6),
        ("10 / 4", 2.5),
        ("1.5e2 + .5", 150.5),
        ("{a} * {b}", 12),
        ("sqrt({b}) + abs(-{a})", 5),
        ("pi()", math.pi),
        ("max({a}, 7, {b}) - min(5, {a})", 4),
        ("round(2.5) + round(-2.5) + round(1.2345, 2)", 1.23),  # PHP rounds halves away from zero
        ("log(8, 2) + log10(100) + log(exp(1))", 6),
        ("fmod(7, 3) + pow(2, 10) + floor(2.7) + ceil(2.1)", 1030),
        ("atan2(1, 1) * 4", math.pi),
        ("sin(0) + cos(0) + tan(0) + asin(0) + acos(1) + atan(0)", 1),
        ("is_nan(sqrt(-1)) + is_finite(1)", 2),
    ],
)
def test_formulas_compute_as_moodle_computes_them(text, value):
    assert formula.evaluate(text, {"a": 3.0, "b": 4.0}) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("__import__(1)", "Die Funktion „__import__“ gibt es nicht", 1),
        ("exec('1')", "„'“ ist in einer Formel nicht erlaubt", 6),
        ("{a} + system(1)", "Die Funktion „system“ gibt es nicht", 7),
        ("{a} ; 1", "„;“ ist in einer Formel nicht erlaubt", 5),
        ("{a} % 2", "„%“ ist in einer Formel nicht erlaubt", 5),
        ("{a} +", "das Ende der Formel gefunden", 6),
        ("({a} + 1", "Eine schließende Klammer erwartet", 9),
        ("{a} 2", "Ein Operator oder eine schließende Klammer erwartet, „2“ gefunden", 5),
        ("{1a} + 1", "Ein Platzhalter sieht aus wie {x}", 1),
        ("pow(2)", "pow braucht 2 Argument(e), nicht 1", 1),
        ("pi", "Eine öffnende Klammer nach pi erwartet", 3),
        ("", "Die Formel ist leer", 1),
    ],
)
def test_anything_else_is_refused_in_german_with_its_position(text, message, position):
    with pytest.raises(FormulaError) as exc:
        formula.parse(text)
    assert message in exc.value.message
    assert exc.value.position == position
    assert exc.value.code == "questions.formula_invalid"
    if position:
        assert f"Position {position}" in exc.value.message or text == ""


def test_a_division_by_zero_and_an_unknown_wildcard_are_errors_not_values():
    with pytest.raises(FormulaError, match="Position 5: Division durch null"):
        formula.evaluate("{a} / ({b} - 4)", {"a": 1.0, "b": 4.0})
    with pytest.raises(FormulaError, match=r"Für den Platzhalter \{c\} gibt es keinen Datensatz"):
        formula.evaluate("{a} + {c}", {"a": 1.0})
    assert math.isnan(formula.evaluate("sqrt(-1)", {}))


@pytest.mark.parametrize(
    ("value", "length", "fmt", "shown"),
    [
        (10.0, 2, 1, "10.00"),
        (2.345, 1, 1, "2.3"),
        (2.355, 2, 1, "2.36"),
        (1234.5678, 0, 1, "1235"),
        (1.5, 3, 2, "1.50"),
        (35.00278, 3, 2, "35.0"),
        (1234.5, 3, 2, "1230"),
        (12345.0, 3, 2, "1.23e4"),
        (0.0123456, 2, 2, "0.012"),
        (0.000123456, 3, 2, "1.23e-4"),
        (123456789.0, 2, 2, "1.2e8"),
        (-9.9951, 3, 2, "-10.0"),
        (0.0, 3, 2, "0"),
    ],
)
def test_the_right_answer_is_shown_with_decimals_or_significant_figures(value, length, fmt, shown):
    assert formula.format_answer(value, length, fmt) == shown


def test_texts_show_the_items_values_and_computed_expressions():
    values = {"a": "2.50", "b": "4"}
    assert formula.substitute("{a} € × {b} = {={a}*{b}} €; {c} bleibt", values) == "2.50 € × 4 = 10 €; {c} bleibt"
    assert formula.substitute("{=0.1 + 0.2}", {}) == "0.3"  # PHP's 14 digits, not 0.30000000000000004


def test_tolerance_intervals_are_moodles():
    assert tolerance_interval(100.0, Decimal("0.1"), 1) == pytest.approx((90, 110))  # relative
    assert tolerance_interval(100.0, Decimal("0.5"), 2) == pytest.approx((99.5, 100.5))  # nominal
    assert tolerance_interval(100.0, Decimal("1"), 3) == pytest.approx((50, 200))  # geometric
    assert tolerance_interval(-100.0, Decimal("1"), 3) == pytest.approx((-200, -50))
    assert tolerance_interval(100.0, Decimal("-0.1"), 1) == pytest.approx((90, 110))  # absolute value


# --- Moodle XML -----------------------------------------------------------------------------


def test_a_moodle_export_is_read_with_every_field(parsed, fee):
    assert parsed.unsupported == [] and len(parsed.questions) == 3
    assert fee.qtype is ir.QuestionType.CALCULATEDSIMPLE and fee.idnumber == "HH-CS-01"
    assert [
        (a.text, a.fraction, a.tolerance, a.tolerance_type, a.answer_format, a.answer_length) for a in fee.answers
    ] == [
        ("{n} * {g}", 1, Decimal("0.01"), 1, 1, 2),
        ("{g}", Decimal("0.5"), 0, 2, 1, 2),
    ]
    assert [(u.name, u.multiplier) for u in fee.units] == [("€", 1), ("ct", 100)]
    assert (fee.unit_grading_type, fee.unit_penalty, fee.show_units) == (2, Decimal("0.25"), 0)
    g, n = fee.datasets
    assert (g.name, g.status, g.distribution, g.minimum, g.maximum, g.decimals) == (
        "g",
        "private",
        "uniform",
        "1.5",
        "4.5",
        "2",
    )
    assert g.items == ["2.50", "3.75", "1.80"] and n.items == ["4", "7", "10"]


def test_export_writes_moodles_elements_and_reads_back_identically(parsed):
    written = write_moodle_xml(parsed.questions).content
    for element in (
        '<question type="calculatedsimple">',
        '<question type="calculated">',
        "<synchronize>0</synchronize>",
        "<tolerancetype>3</tolerancetype>",
        "<correctanswerformat>2</correctanswerformat>",
        "<correctanswerlength>3</correctanswerlength>",
        "<dataset_definitions>",
        "<status><text>shared</text></status>",
        "<type>calculatedsimple</type>",
        "<distribution><text>uniform</text></distribution>",
        "<minimum><text>1.5</text></minimum>",
        "<itemcount>3</itemcount>",
        "<number>2</number>",
        "<value>3.75</value>",
        "<number_of_items>3</number_of_items>",
    ):
        assert element in written, element
    again = read_moodle_xml(written)
    assert [ir.question_to_dict(q) for q in again.questions] == [ir.question_to_dict(q) for q in parsed.questions]
    assert write_moodle_xml(again.questions).content == written


def test_gift_has_no_calculated_type_and_lists_it_as_lost(parsed):
    result = write_gift(parsed.questions)
    assert "Bescheinigung" not in result.content
    assert len(result.losses) == 3
    assert "„Verwaltungsgebühr“: Fragetyp calculatedsimple ist in GIFT nicht darstellbar" in result.losses[0]


def _variant(xml: str, old: str, new: str) -> str:
    assert old in xml
    return xml.replace(old, new, 1)


def test_a_shared_dataset_is_the_categorys_as_moodle_imports_it():
    xml = (DATA / "moodle_calculated.xml").read_text("utf-8")
    # The second question names the shared {k} with the same options but other values: Moodle uses the first's.
    second = xml.index('<question type="calculated">', xml.index('<question type="calculated">') + 1)
    changed = xml[:second] + xml[second:].replace("<value>12000</value>", "<value>99999</value>", 1)
    questions = read_moodle_xml(changed).questions
    assert questions[2].datasets[0].items == questions[1].datasets[0].items == ["12000", "2500", "40000"]
    assert questions[2].datasets[0].status == "shared"
    # Other options: the second question gets a private dataset of its own, with its own values.
    changed = xml[:second] + xml[second:].replace("<maximum><text>50000</text>", "<maximum><text>60000</text>", 1)
    changed = changed[:second] + changed[second:].replace("<value>12000</value>", "<value>99999</value>", 1)
    questions = read_moodle_xml(changed).questions
    assert questions[2].datasets[0].status == "private"
    assert questions[2].datasets[0].items[0] == "99999"


def test_calculatedsimple_datasets_are_always_private():
    xml = (DATA / "moodle_calculated.xml").read_text("utf-8")
    question = read_moodle_xml(_variant(xml, "<status><text>private</text>", "<status><text>shared</text>")).questions[
        0
    ]
    assert {d.status for d in question.datasets} == {"private"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<text>{n} * {g}</text>", "<text>{n} * {x}</text>", "Für den Platzhalter {x} gibt es keinen Datensatz"),
        ("<text>{n} * {g}</text>", "<text>{n} * exec({g})</text>", "Die Funktion „exec“ gibt es nicht"),
        ("<text>{n} * {g}</text>", "<text>{n} / ({n} - 7)</text>", "mit Wertesatz 2: Position 5: Division durch null"),
        ("<value>3.75</value>", "<value>drei</value>", "Wert 2 von {g} ist keine Zahl"),
        ("<tolerancetype>1</tolerancetype>", "<tolerancetype>4</tolerancetype>", "<tolerancetype> muss 1"),
    ],
)
def test_the_importer_refuses_what_cannot_be_played_with_the_line(old, new, message):
    xml = (DATA / "moodle_calculated.xml").read_text("utf-8")
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(_variant(xml, old, new))
    assert message in exc.value.message
    assert exc.value.line is not None


# --- learner view, scoring and feedback ---------------------------------------------------------


def test_the_learner_sees_the_items_values_and_nothing_that_tells_the_answer(fee):
    data = ir.question_to_dict(fee)
    qtype = types.for_data(data)
    view = qtype.learner_view(data, {"item": 2})
    assert "3.75 € je Seite" in view["text"] and "7 Seiten" in view["text"]
    assert view["units"] == ["€", "ct"]
    body = json.dumps(view)
    for secret in ("{g}", "{n}", "26.25", "tolerance", "fraction", "2.50", "Richtig", "dataset"):
        assert secret not in body


def test_the_layout_draws_one_item_the_seed_keeps(fee):
    data = ir.question_to_dict(fee)
    drawn = {types.seeded_layout(data, seed=str(n))["item"] for n in range(40)}
    assert drawn == {1, 2, 3}
    assert types.seeded_layout(data, seed="x") == types.seeded_layout(data, seed="x")


def test_score_feedback_and_right_answer_use_the_same_item(fee):
    data = ir.question_to_dict(fee)
    qtype = types.for_data(data)
    layout = {"item": 3}
    response = qtype.clean(data, layout, {"text": "18,00", "unit": "€"})
    assert qtype.score(data, layout, response).fraction == 1
    assert qtype.feedback(data, layout, response) == ["<p>Richtig: 10 × 1.80 €.</p>"]
    assert qtype.correct_answers_for(data, layout) == ["18.00 €"]
    assert qtype.general_feedback_for(data, layout) == "<p>10 Seiten zu je 1.80 € sind 18 €.</p>"
    # The same number is wrong for another item.
    assert qtype.score(data, {"item": 1}, response).fraction == 0
    assert qtype.feedback(data, {"item": 1}, response) == []


def test_units_score_as_in_numerical_questions(fee):
    assert fraction(fee, "1800", 3, "ct") == 1
    assert fraction(fee, "18", 3) == Decimal("0.75")  # no unit: the mark loses the unit penalty
    assert fraction(fee, "1.8", 3, "€") == Decimal("0.5")
    assert fraction(fee, "18 Euro", 3) == Decimal("0.75")  # a unit Moodle does not know: the same penalty
    assert fraction(fee, "17", 3, "€") == 0


@pytest.mark.django_db
def test_the_bank_refuses_a_question_whose_formula_does_not_compute(fee):
    content = ir.question_from_dict(ir.question_to_dict(fee))
    content.answers[0].text = "{n} * ({g}"
    with pytest.raises(ValidationFailed, match="Eine schließende Klammer erwartet"):
        question_create(category=f.category(), content=content)


# --- in a quiz ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_quiz_keeps_the_item_on_the_slot_and_reviews_with_its_values(client, interest):
    learner = UserFactory()
    client.force_login(learner)
    question = question_create(category=f.category(), content=interest)
    quiz = f.quiz(pages.course(), questions=[question], show_correct_answers="immediately")
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    item = attempt.slots.get().layout["item"]
    k, p = {1: (12000, 1.5), 2: (2500, 2.0), 3: (40000, 3.5)}[item]
    url = quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    assert f"legt {k} € zu" in html and 'inputmode="decimal"' in html
    api = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", "{}", content_type="application/json")
    assert api.status_code == 200
    for body in (html, api.content.decode()):
        for secret in ("{k}", "{p}", "/ 100", "tolerance", "dataset"):
            assert secret not in body
    # Resumed: the same numbers again.
    assert f"legt {k} € zu" in client.get(url).content.decode()
    right = k * p / 100
    svc.attempt_answers_save(attempt_id=attempt.pk, user=learner, answers={1: {"text": str(right)}})
    attempt = svc.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == attempt.max_score == 1
    review = sel.attempt_review(attempt=attempt, user=learner)
    assert review.slots[0].correct == [f"{right:.2f}"]
    assert f"legt {k} € zu" in review.slots[0].question["text"]


@pytest.mark.django_db
def test_the_quiz_page_offers_a_number_field_and_a_unit_choice(client, fee):
    learner = UserFactory()
    client.force_login(learner)
    quiz = f.quiz(pages.course(), questions=[question_create(category=f.category(), content=fee)])
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    html = client.get(quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'<input type="text" id="q1-answer" name="q1"[^>]*inputmode="decimal"', html)
    assert '<select id="q1-unit" name="q1-unit"' in html


@pytest.mark.django_db
def test_the_editor_takes_formulas_tolerances_and_datasets(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    root = category_create(name="Neu", owner=trainer)
    form = client.get("/admin/fragen/neu/calculatedsimple/")
    assert form.status_code == 200
    body = form.content.decode()
    for field in (
        'name="datasets"',
        'name="rows-0-tolerance_type"',
        'name="rows-0-answer_format"',
        'name="rows-0-answer_length"',
    ):
        assert field in body, field
    data = {
        "category": root.pk,
        "name": "Fläche",
        "text": "<p>Ein Raum ist {a} m lang und {b} m breit. Wie groß ist er?</p>",
        "text_format": "html",
        "default_mark": "1",
        "penalty": "0.3333333",
        "tags": "",
        "units": "m²=1",
        "unit_grading_type": "0",
        "unit_penalty": "0.1",
        "datasets": "a = 4,5; 6; 3\nb = 3; 2,25; 5",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "{a} * {b}",
        "rows-0-tolerance": "0.01",
        "rows-0-tolerance_type": "1",
        "rows-0-answer_format": "1",
        "rows-0-answer_length": "2",
        "rows-0-fraction": "100",
        "rows-0-feedback": "Länge mal Breite.",
        "rows-1-text": "",
        "rows-1-tolerance_type": "1",
        "rows-1-answer_format": "1",
        "rows-1-answer_length": "2",
    }
    response = client.post("/admin/fragen/neu/calculatedsimple/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    content = Question.objects.get().current_version.content
    assert content.qtype is ir.QuestionType.CALCULATEDSIMPLE
    assert [(d.name, d.status, d.items, d.minimum, d.maximum, d.decimals) for d in content.datasets] == [
        ("a", "private", ["4.5", "6", "3"], "3", "6", "1"),
        ("b", "private", ["3", "2.25", "5"], "2.25", "5", "2"),
    ]
    answer = content.answers[0]
    assert (answer.text, answer.fraction, answer.tolerance, answer.tolerance_type, answer.answer_length) == (
        "{a} * {b}",
        1,
        Decimal("0.01"),
        1,
        2,
    )
    assert content.show_units == 0 and content.units[0].name == "m²"
    data_ = ir.question_to_dict(content)
    assert types.for_data(data_).correct_answers_for(data_, {"item": 2}) == ["13.50 m²"]

    # A formula that does not parse, a value that is no number, a wildcard without values: German errors.
    for change, message in (
        ({"rows-0-text": "{a} * ({b}"}, "Eine schließende Klammer erwartet"),
        ({"datasets": "a = 4,5; vier\nb = 3"}, "„vier“ ist keine Zahl"),
        ({"datasets": "a = 4,5; 6; 3"}, "Für den Platzhalter {b} gibt es keinen Datensatz"),
    ):
        response = client.post("/admin/fragen/neu/calculatedsimple/", data | change)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert Question.objects.count() == 1


def test_editing_an_imported_question_keeps_what_moodle_wrote(parsed):
    doubling = parsed.questions[2]
    qtype = types.for_question(doubling.qtype)
    initial = qtype.editor_initial(doubling)
    assert initial["datasets"] == "k (gemeinsam) = 12000; 2500; 40000\nr = 2.0; 5.0; 7.2"
    data = {"datasets": initial["datasets"]}
    assert qtype.editor_clean(data) == {}
    rows = [
        row | {"fraction": Decimal(row["fraction"]), "tolerance": row["tolerance"]}
        for row in qtype.editor_rows(doubling)
    ]
    edited = ir.question_from_dict(ir.question_to_dict(doubling))
    qtype.editor_apply(edited, base=doubling, data=data, rows=rows, fmt=ir.TextFormat.HTML)
    assert ir.question_to_dict(edited) == ir.question_to_dict(doubling)
    # calculatedsimple knows no shared datasets: the mark is not offered and not read.
    simple = types.for_question("calculatedsimple")
    data = {"datasets": "a (gemeinsam) = 1; 2"}
    assert simple.editor_clean(data) == {} and data["datasets"][0].status == "private"
