"""Server-side scoring per question type, with Moodle's rules.

Answers are given in the question's own terms (answer indices, texts): what a stored response in
display keys maps back to (``QuestionType.given``).
"""

from decimal import Decimal
from pathlib import Path

import pytest

from courses.questions import types
from courses.questions.formats import read_gift, read_moodle_xml
from courses.questions.formats.ir import Answer, QuestionType, Unit
from courses.questions.types.ordering import ordering_fraction
from courses.questions.types.shortanswer import wildcard_match

DATA = Path(__file__).parent / "data"
GIFT = {q.name: q for q in read_gift((DATA / "all_constructs.gift").read_text(encoding="utf-8")).questions}
XML = {q.name: q for q in read_moodle_xml((DATA / "moodle_export.xml").read_bytes()).questions}


def key(question, text):
    return next(i for i, a in enumerate(question.answers) if a.text == text)


def score(question, given):
    return types.for_question(question.qtype).score_given(question, given)


def fraction(question, given):
    return score(question, given).fraction


def choice(question, text):
    return {"choice": key(question, text)}


def choices(question, *texts):
    return {"choices": [key(question, t) for t in texts]}


def test_single_choice():
    q = GIFT["Hauptstadt"]
    assert fraction(q, choice(q, "Berlin")) == 1
    assert fraction(q, choice(q, "Bonn")) == 0
    assert fraction(q, {"choice": 99}) == 0
    assert fraction(q, None) == 0


def test_multiple_choice_partial_credit_and_never_below_zero():
    q = GIFT["Verfassungsorgane"]
    assert fraction(q, choices(q, "Bundestag")) == Decimal("0.5")
    assert fraction(q, choices(q, "Bundestag", "Bundesrat")) == 1
    assert fraction(q, choices(q, "Bundestag", "Bundesrat", "Deutscher Städtetag")) == 0
    assert fraction(q, choices(q, "Bundesagentur für Arbeit", "Deutscher Städtetag")) == 0
    # Sending a key twice does not count twice.
    assert fraction(q, choices(q, "Bundestag", "Bundestag")) == Decimal("0.5")


def test_three_thirds_make_full_marks():
    q = GIFT["Drei Richtige"]
    assert fraction(q, choices(q, "Berlin", "Hamburg", "Bremen")) == Decimal("0.9999999")


def test_truefalse():
    q = GIFT["Bundesrat"]
    assert fraction(q, {"value": False}) == 1
    assert fraction(q, {"value": True}) == 0
    assert fraction(q, None) == 0


def test_shortanswer_case_insensitive_by_default_and_first_match_counts():
    q = GIFT["Abkürzung"]
    assert fraction(q, {"text": " vwvfg "}) == 1
    assert fraction(q, {"text": "VwVerfG"}) == Decimal("0.5")
    assert fraction(q, {"text": "VwGO"}) == 0


def test_shortanswer_case_sensitive_with_wildcard():
    q = XML["Abkürzung DSGVO"]
    assert fraction(q, {"text": "Datenschutzbeauftragter"}) == 1
    assert fraction(q, {"text": "datenschutzbeauftragter"}) == 0
    assert fraction(q, {"text": "Datenschutzgesetz"}) == Decimal("0.5")


def test_wildcard_escape_and_regex_characters():
    assert wildcard_match("a*b", r"a\*b", case_sensitive=True)
    assert not wildcard_match("axb", r"a\*b", case_sensitive=True)
    assert wildcard_match("(1+1)", "(1+1)", case_sensitive=True)
    assert wildcard_match("STRASSE 1", "straße*", case_sensitive=False) is False
    assert wildcard_match("Über alles", "über*", case_sensitive=False)


def test_numerical_tolerance_range_and_decimal_comma():
    assert fraction(GIFT["BGB"], {"text": "1897"}) == 1
    assert fraction(GIFT["BGB"], {"text": "1898"}) == 0
    assert fraction(GIFT["Bereich"], {"text": "4,5"}) == 1
    assert fraction(GIFT["Bereich"], {"text": "5.5"}) == 0
    assert fraction(GIFT["Widerspruchsfrist"], {"text": "31"}) == Decimal("0.5")
    assert fraction(GIFT["Widerspruchsfrist"], {"text": "abc"}) == 0


def test_numerical_units_with_multiplier_and_penalty():
    q = XML["Meldefrist"]
    assert fraction(q, {"text": "72", "unit": "h"}) == 1
    assert fraction(q, {"text": "72 h"}) == 1
    assert fraction(q, {"text": "3", "unit": "d"}) == 0  # 3 / 0.0416667 is not exactly 72 within tolerance 0
    q.answers[0].tolerance = Decimal("0.01")
    assert fraction(q, {"text": "3", "unit": "d"}) == 1
    # A missing unit costs the penalty (10 % of the response's grade).
    assert fraction(q, {"text": "72"}) == Decimal("0.9")
    q.unit_grading_type = 2
    q.unit_penalty = Decimal("0.25")
    assert fraction(q, {"text": "72 Stunden"}) == Decimal("0.75")


def test_numerical_without_units_refuses_trailing_text():
    q = GIFT["BGB"]
    q_units = q.units
    assert q_units == []
    assert fraction(q, {"text": "1896 n. Chr."}) == 0


def test_matching_scores_each_stem():
    q = GIFT["Zuständigkeiten"]
    stems = {p.question.text: i for i, p in enumerate(q.match_pairs)}
    all_right = {
        stems["Personalausweis"]: "Bürgeramt",
        stems["Eheschließung"]: "Standesamt",
        stems["Baugenehmigung"]: "Bauaufsichtsbehörde",
    }
    assert fraction(q, {"pairs": all_right}) == 1
    assert fraction(q, {"pairs": {**all_right, stems["Baugenehmigung"]: "Standesamt"}}) == Decimal("0.6666667")
    assert fraction(q, {"pairs": {}}) == 0


def test_matching_distractor_is_not_a_stem():
    q = XML["Grundsätze"]
    given = {i: p.answer for i, p in enumerate(q.match_pairs) if p.question.text}
    assert fraction(q, {"pairs": given}) == 1


@pytest.mark.parametrize(
    ("grading", "positions", "expected"),
    [
        ("ALL_OR_NOTHING", [0, 1, 2, 3], "1"),
        ("ALL_OR_NOTHING", [1, 0, 2, 3], "0"),
        ("ABSOLUTE_POSITION", [1, 0, 2, 3], "0.5"),
        ("RELATIVE_NEXT_EXCLUDE_LAST", [1, 2, 3, 0], "0.6666667"),
        ("RELATIVE_NEXT_INCLUDE_LAST", [1, 2, 3, 0], "0.5"),
        ("LONGEST_ORDERED_SUBSET", [1, 0, 2, 3], "0.75"),
        ("LONGEST_CONTIGUOUS_SUBSET", [3, 0, 1, 2], "0.75"),
        ("RELATIVE_ALL_PREVIOUS_AND_NEXT", [1, 0, 2, 3], "0.8333333"),
    ],
)
def test_ordering_grading_types(grading, positions, expected):
    assert ordering_fraction(grading, positions).quantize(Decimal("0.0000001")) == Decimal(expected).quantize(
        Decimal("0.0000001")
    )


def test_ordering_response_by_items_and_incomplete_order_scores_zero():
    q = XML["Ablauf Auskunftsersuchen"]
    assert fraction(q, {"order": [0, 1, 2]}) == 1
    assert fraction(q, {"order": [1, 2, 0]}) == Decimal("0.5")
    assert fraction(q, {"order": [0, 1]}) == 0


def test_cloze_weights_gaps():
    q = XML["Lückentext DSGVO"]
    mc, mr = q.cloze_parts[1], q.cloze_parts[3]
    mc_key = lambda text: next(i for i, a in enumerate(mc.answers) if a.text == text)  # noqa: E731
    mr_key = lambda text: next(i for i, a in enumerate(mr.answers) if a.text == text)  # noqa: E731
    perfect = {
        1: "2018",
        2: mc_key("Europäischen Union"),
        3: "verantwortliche",
        4: [mr_key("Auskunft"), mr_key("Löschung")],
        5: "DSGVO } mit Klammer",
    }
    assert fraction(q, {"gaps": perfect}) == 1
    # Gap 1 half right (weight 1), gap 4 with a wrong extra choice (0.5 + 0.5 - 0.5 of weight 2).
    partial = {**perfect, 1: "2019", 4: [mr_key("Auskunft"), mr_key("Löschung"), mr_key("Gewinn")]}
    assert fraction(q, {"gaps": partial}) == ((Decimal(7) - Decimal("0.5") - 1) / 7).quantize(Decimal("0.0000001"))
    wrong_case = {**perfect, 5: "dsgvo } mit klammer"}
    assert fraction(q, {"gaps": wrong_case}) == (Decimal(6) / 7).quantize(Decimal("0.0000001"))


def test_essay_needs_a_person_and_description_scores_nothing():
    essay = score(GIFT["Widerspruch"], {"text": "Mein Text"})
    assert essay.fraction is None and essay.needs_manual_grading
    assert score(GIFT["Hinweis"], None).fraction is None


def test_negative_single_choice_is_clamped_to_zero():
    q = GIFT["Hauptstadt"]
    q.answers.append(Answer("Paris", Decimal(-1)))
    assert q.qtype is QuestionType.MULTICHOICE
    assert fraction(q, choice(q, "Paris")) == 0
    assert Unit("h").multiplier == 1
