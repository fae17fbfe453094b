"""Moodle's embedded-answer (cloze) syntax."""

from decimal import Decimal

import pytest

from courses.questions.formats import FormatError
from courses.questions.formats.cloze import encode_part, parse_cloze, render_cloze_text
from courses.questions.formats.ir import ClozeKind, ClozeLayout


def test_short_type_codes_and_default_weight():
    text, parts = parse_cloze("a {:MCHS:=x~y} b {3:NM:=4:0.5} c {:MW:=Wort}")
    assert text == "a {#1} b {#2} c {#3}"
    assert (parts[0].kind, parts[0].layout, parts[0].shuffle, parts[0].weight) == (
        ClozeKind.MULTICHOICE,
        ClozeLayout.HORIZONTAL,
        True,
        1,
    )
    assert parts[1].weight == 3
    assert parts[1].answers[0].tolerance == Decimal("0.5")
    assert parts[2].kind is ClozeKind.SHORTANSWER


def test_decimal_comma_and_percent_weights():
    _, (part,) = parse_cloze("{1:NUMERICAL:=1,5:0,1~%50%%2:1}".replace("%%", "%"))
    assert [(a.text, a.tolerance, a.fraction) for a in part.answers] == [
        ("1.5", Decimal("0.1"), 1),
        ("2", 1, Decimal("0.5")),
    ]


def test_html_entities_and_escapes_in_answers():
    _, (part,) = parse_cloze("{1:MC:=A &amp; B#gut \\# so~C \\~ D}")
    assert [a.text for a in part.answers] == ["A & B", "C ~ D"]
    assert part.answers[0].feedback.text == "gut # so"


@pytest.mark.parametrize(
    "source",
    [
        "Die {1:MULTICHOICE:=Kommune#Ja~Bund#Nein} und {2:SHORTANSWER_C:=Wert \\} x~%25%wert}",
        "{1:MULTIRESPONSE_H:%50%a~%50%b~c~%-100%d}",
        "{1:MULTIRESPONSE:=a~b}",
        "{1:NUMERICAL:=3.5:0.1#ok~*#sonst}",
        "{2:MULTICHOICE_VS:=ä < ö~ü}",
    ],
)
def test_encode_then_parse_gives_same_parts(source):
    text, parts = parse_cloze(source)
    again_text, again_parts = parse_cloze(render_cloze_text(text, parts))
    assert again_text == text
    assert again_parts == parts


def test_multiresponse_keeps_unweighted_wrong_answer_at_zero():
    _, (part,) = parse_cloze("{1:MR:%100%a~b}")
    assert [a.fraction for a in part.answers] == [1, 0]
    assert encode_part(part) == "{1:MULTIRESPONSE:%100%a~b}"


def test_unknown_code_stays_text_and_no_gap_is_an_error():
    with pytest.raises(FormatError) as exc:
        parse_cloze("{1:FOO:=a}", line=12)
    assert exc.value.line == 12


def test_unclosed_gap_is_an_error():
    with pytest.raises(FormatError):
        parse_cloze("{1:SA:=offen")


def test_moodle_style_gaps_with_markup_in_feedback_zero_weight_and_catch_all():
    source = (
        "<p>Hauptstadt: {1:MULTICHOICE:%0%Bonn#Nein~=Berlin#Ja}<br />"
        "Fluss: {1:SHORTANSWER:%100%Spree#Gut!<br />~%50%Havel#Fast (die Havel<br />fließt auch).~*#Falsch.}.</p>"
    )
    text, (city, river) = parse_cloze(source)
    assert text == "<p>Hauptstadt: {#1}<br />Fluss: {#2}.</p>"
    assert [(a.text, a.fraction) for a in city.answers] == [("Bonn", 0), ("Berlin", 1)]
    assert [(a.text, a.fraction, a.feedback.text) for a in river.answers] == [
        ("Spree", 1, "Gut!<br />"),
        ("Havel", Decimal("0.5"), "Fast (die Havel<br />fließt auch)."),
        ("*", 0, "Falsch."),
    ]
    assert parse_cloze(render_cloze_text(text, [city, river])) == (text, [city, river])


@pytest.mark.parametrize(
    ("source", "gap"),
    [
        ("{1:MULTICHOICE:%50%Bonn~Berlin}", 1),
        ("{1:SA:=Spree} und {1:SHORTANSWER:%50%Havel~%25%Elbe}", 2),
        ("{2:NUMERICAL:%50%72:2}", 1),
        ("{1:MR:a~b~%-100%c}", 1),
    ],
)
def test_a_gap_without_a_full_mark_answer_is_refused_as_moodle_refuses_it(source, gap):
    with pytest.raises(FormatError) as exc:
        parse_cloze(source, line=7)
    assert exc.value.line == 7
    assert f"Lücke {gap}" in exc.value.message
    assert "100 %" in exc.value.message


def test_a_multiresponse_gap_needs_only_some_positive_answer():
    _, (part,) = parse_cloze("{1:MULTIRESPONSE:%50%a~%50%b~c}")
    assert [a.fraction for a in part.answers] == [Decimal("0.5"), Decimal("0.5"), 0]
