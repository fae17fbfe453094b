"""Server-side scoring per question type, with Moodle's rules."""

from decimal import Decimal
from pathlib import Path

import pytest

from courses.assessment.scoring import choice_key, ordering_fraction, score_response, wildcard_match
from courses.questions.formats import read_gift, read_moodle_xml
from courses.questions.formats.ir import Answer, QuestionType, Unit

DATA = Path(__file__).parents[1] / "questions" / "data"
GIFT = {q.name: q for q in read_gift((DATA / "all_constructs.gift").read_text(encoding="utf-8")).questions}
XML = {q.name: q for q in read_moodle_xml((DATA / "moodle_export.xml").read_bytes()).questions}


def key(question, text):
    return next(choice_key(i, a.text) for i, a in enumerate(question.answers) if a.text == text)


def fraction(question, response):
    return score_response(question, response).fraction


def test_single_choice():
    q = GIFT["Hauptstadt"]
    assert fraction(q, key(q, "Berlin")) == 1
    assert fraction(q, key(q, "Bonn")) == 0
    assert fraction(q, "erfundener-schlüssel") == 0
    assert fraction(q, None) == 0


def test_multiple_choice_partial_credit_and_never_below_zero():
    q = GIFT["Verfassungsorgane"]
    assert fraction(q, [key(q, "Bundestag")]) == Decimal("0.5")
    assert fraction(q, [key(q, "Bundestag"), key(q, "Bundesrat")]) == 1
    assert fraction(q, [key(q, "Bundestag"), key(q, "Bundesrat"), key(q, "Deutscher Städtetag")]) == 0
    assert fraction(q, [key(q, "Bundesagentur für Arbeit"), key(q, "Deutscher Städtetag")]) == 0
    # Sending a key twice does not count twice.
    assert fraction(q, [key(q, "Bundestag"), key(q, "Bundestag")]) == Decimal("0.5")


def test_three_thirds_make_full_marks():
    q = GIFT["Drei Richtige"]
    assert fraction(q, [key(q, "Berlin"), key(q, "Hamburg"), key(q, "Bremen")]) == Decimal("0.9999999")


def test_truefalse():
    q = GIFT["Bundesrat"]
    assert fraction(q, False) == 1
    assert fraction(q, "true") == 0


def test_shortanswer_case_insensitive_by_default_and_first_match_counts():
    q = GIFT["Abkürzung"]
    assert fraction(q, " vwvfg ") == 1
    assert fraction(q, "VwVerfG") == Decimal("0.5")
    assert fraction(q, "VwGO") == 0


def test_shortanswer_case_sensitive_with_wildcard():
    q = XML["Abkürzung DSGVO"]
    assert fraction(q, "Datenschutzbeauftragter") == 1
    assert fraction(q, "datenschutzbeauftragter") == 0
    assert fraction(q, "Datenschutzgesetz") == Decimal("0.5")


def test_wildcard_escape_and_regex_characters():
    assert wildcard_match("a*b", r"a\*b", case_sensitive=True)
    assert not wildcard_match("axb", r"a\*b", case_sensitive=True)
    assert wildcard_match("(1+1)", "(1+1)", case_sensitive=True)
    assert wildcard_match("STRASSE 1", "straße*", case_sensitive=False) is False
    assert wildcard_match("Über alles", "über*", case_sensitive=False)


def test_numerical_tolerance_range_and_decimal_comma():
    assert fraction(GIFT["BGB"], "1897") == 1
    assert fraction(GIFT["BGB"], "1898") == 0
    assert fraction(GIFT["Bereich"], "4,5") == 1
    assert fraction(GIFT["Bereich"], "5.5") == 0
    assert fraction(GIFT["Widerspruchsfrist"], "31") == Decimal("0.5")
    assert fraction(GIFT["Widerspruchsfrist"], "abc") == 0


def test_numerical_units_with_multiplier_and_penalty():
    q = XML["Meldefrist"]
    assert fraction(q, "72 h") == 1
    assert fraction(q, "3 d") == 0  # 3 / 0.0416667 is not exactly 72 within tolerance 0
    q.answers[0].tolerance = Decimal("0.01")
    assert fraction(q, "3 d") == 1
    # A missing unit costs the penalty (10 % of the response's grade).
    assert fraction(q, "72") == Decimal("0.9")
    q.unit_grading_type = 2
    q.unit_penalty = Decimal("0.25")
    assert fraction(q, "72 Stunden") == Decimal("0.75")


def test_numerical_without_units_refuses_trailing_text():
    q = GIFT["BGB"]
    q_units = q.units
    assert q_units == []
    assert fraction(q, "1896 n. Chr.") == 0


def test_matching_scores_each_stem():
    q = GIFT["Zuständigkeiten"]
    stems = {p.question.text: choice_key(i, p.question.text) for i, p in enumerate(q.match_pairs)}
    all_right = {
        stems["Personalausweis"]: "Bürgeramt",
        stems["Eheschließung"]: "Standesamt",
        stems["Baugenehmigung"]: "Bauaufsichtsbehörde",
    }
    assert fraction(q, all_right) == 1
    assert fraction(q, {**all_right, stems["Baugenehmigung"]: "Standesamt"}) == Decimal("0.6666667")
    assert fraction(q, {}) == 0


def test_matching_distractor_is_not_a_stem():
    q = XML["Grundsätze"]
    response = {choice_key(i, p.question.text): p.answer for i, p in enumerate(q.match_pairs) if p.question.text}
    assert fraction(q, response) == 1


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


def test_ordering_response_by_keys_and_incomplete_order_scores_zero():
    q = XML["Ablauf Auskunftsersuchen"]
    keys = [choice_key(i, a.text) for i, a in enumerate(q.answers)]
    assert fraction(q, keys) == 1
    assert fraction(q, [keys[1], keys[2], keys[0]]) == Decimal("0.5")
    assert fraction(q, keys[:2]) == 0


def test_cloze_weights_gaps():
    q = XML["Lückentext DSGVO"]
    mc, mr = q.cloze_parts[1], q.cloze_parts[3]
    mc_key = lambda text: next(choice_key(i, a.text) for i, a in enumerate(mc.answers) if a.text == text)  # noqa: E731
    mr_key = lambda text: next(choice_key(i, a.text) for i, a in enumerate(mr.answers) if a.text == text)  # noqa: E731
    perfect = {
        "1": "2018",
        "2": mc_key("Europäischen Union"),
        "3": "verantwortliche",
        "4": [mr_key("Auskunft"), mr_key("Löschung")],
        "5": "DSGVO } mit Klammer",
    }
    assert fraction(q, perfect) == 1
    # Gap 1 half right (weight 1), gap 4 with a wrong extra choice (0.5 + 0.5 - 0.5 of weight 2).
    partial = {**perfect, "1": "2019", "4": [mr_key("Auskunft"), mr_key("Löschung"), mr_key("Gewinn")]}
    assert fraction(q, partial) == ((Decimal(7) - Decimal("0.5") - 1) / 7).quantize(Decimal("0.0000001"))
    assert fraction(q, {**perfect, "5": "dsgvo } mit klammer"}) == (Decimal(6) / 7).quantize(Decimal("0.0000001"))


def test_essay_needs_a_person_and_description_scores_nothing():
    essay = score_response(GIFT["Widerspruch"], "Mein Text")
    assert essay.fraction is None and essay.needs_manual_grading
    assert score_response(GIFT["Hinweis"], None).fraction is None


def test_negative_single_choice_is_clamped_to_zero():
    q = GIFT["Hauptstadt"]
    q.answers.append(Answer("Paris", Decimal(-1)))
    assert q.qtype is QuestionType.MULTICHOICE
    assert fraction(q, key(q, "Paris")) == 0
    assert Unit("h").multiplier == 1
