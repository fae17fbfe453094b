"""Answer grades only from Moodle's list, matched with Moodle's tolerance, in GIFT and Moodle XML."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from courses.questions.formats import FormatError, read_gift, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.formats.grades import VALID_FRACTIONS, valid_fraction

DATA = Path(__file__).parent / "data"


def test_the_list_is_moodles_twenty_one_grades_and_their_negatives():
    percents = sorted({float(v * 100) for v in VALID_FRACTIONS if v > 0}, reverse=True)
    assert percents == [
        100,
        90,
        83.33333,
        80,
        75,
        70,
        66.66667,
        60,
        50,
        40,
        33.33333,
        30,
        25,
        20,
        16.66667,
        14.28571,
        12.5,
        11.11111,
        10,
        5,
    ]
    assert len(VALID_FRACTIONS) == 41
    assert all(-v in VALID_FRACTIONS for v in VALID_FRACTIONS)


@pytest.mark.parametrize(
    ("percent", "stored"),
    [
        ("33.33333", "0.3333333"),
        ("33.333", "0.3333333"),  # exports of older Moodle versions
        ("66.666", "0.6666667"),
        ("14.2857", "0.1428571"),
        ("-16.66667", "-0.1666667"),
        ("12.5", "0.125"),
        ("-100", "-1"),
    ],
)
def test_rounded_values_within_moodles_tolerance_are_stored_as_the_listed_grade(percent, stored):
    assert valid_fraction(Decimal(percent) / 100) == Decimal(stored)


@pytest.mark.parametrize("percent", ["33.33", "66.67", "16.67", "35", "1", "99", "-12", "110"])
def test_values_moodle_refuses(percent):
    assert valid_fraction(Decimal(percent) / 100) is None


def test_moodle_xml_export_with_listed_grades_is_read_with_the_listed_values():
    parsed = read_moodle_xml((DATA / "moodle_grades.xml").read_bytes())
    by_name = {q.name: q for q in parsed.questions}
    assert [a.fraction for a in by_name["Sieben Grundsätze"].answers] == [Decimal("0.1428571")] * 7 + [Decimal("-0.5")]
    assert [a.fraction for a in by_name["Haushaltsplan"].answers] == [
        1,
        Decimal("0.8333333"),
        Decimal("0.6666667"),
        Decimal("0.1111111"),
    ]
    assert [a.fraction for a in by_name["Vorläufige Haushaltsführung"].answers] == [
        1,
        Decimal("0.125"),
        Decimal("0.05"),
    ]


def test_gift_export_with_listed_grades_is_read_with_the_listed_values():
    parsed = read_gift((DATA / "moodle_grades.gift").read_text(encoding="utf-8"))
    by_name = {q.name: q for q in parsed.questions}
    assert [a.fraction for a in by_name["Sechs Ämter"].answers] == [Decimal("0.1666667")] * 6 + [Decimal("-0.3333333")]
    assert [a.fraction for a in by_name["Kassenkredit"].answers] == [1, Decimal("0.9"), Decimal("0.3333333")]
    assert [a.fraction for a in by_name["Jahresabschluss"].answers] == [1, Decimal("0.2"), 0]


def _xml_with(old: str, new: str) -> str:
    content = (DATA / "moodle_grades.xml").read_text(encoding="utf-8")
    assert old in content
    return content.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "name", "shown"),
    [
        ('fraction="83.33333"', 'fraction="83.33"', "Haushaltsplan", "83.33 %"),
        ('fraction="-50"', 'fraction="-45"', "Sieben Grundsätze", "-45 %"),
        ('fraction="12.5"', 'fraction="15"', "Vorläufige Haushaltsführung", "15 %"),
    ],
)
def test_moodle_xml_with_a_grade_moodle_refuses_is_refused_naming_question_and_value(old, new, name, shown):
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(_xml_with(old, new))
    assert f"„{name}“" in exc.value.message
    assert shown in exc.value.message
    assert "nicht zulässig" in exc.value.message
    assert exc.value.line is not None


def test_gift_with_a_grade_moodle_refuses_is_refused_with_line_question_and_nearest_value():
    content = (DATA / "moodle_grades.gift").read_text(encoding="utf-8").replace("%90%", "%66.67%")
    with pytest.raises(FormatError) as exc:
        read_gift(content)
    assert exc.value.line == 19
    assert "„Kassenkredit“" in exc.value.message
    assert "66.67 %" in exc.value.message
    assert "nächster zulässiger Wert: 66.66667 %" in exc.value.message


@pytest.mark.parametrize("writer", [write_gift, write_moodle_xml])
def test_an_invalid_grade_is_never_exported(writer):
    parsed = read_gift((DATA / "moodle_grades.gift").read_text(encoding="utf-8"))
    broken = copy.deepcopy(parsed.questions[1])
    broken.answers[1].fraction = Decimal("0.37")
    result = writer([parsed.questions[0], broken])
    assert "Kassenkredit" not in result.content
    assert "37" not in result.content
    assert "Sechs Ämter" in result.content
    assert any("„Kassenkredit“" in loss and "37 %" in loss for loss in result.losses)


def test_cloze_gaps_truefalse_and_ordering_positions_are_not_checked_as_moodle_does_not():
    parsed = read_moodle_xml((DATA / "moodle_export.xml").read_bytes())
    ordering = next(q for q in parsed.questions if q.qtype.value == "ordering")
    assert write_moodle_xml([ordering]).losses == []
