"""Moodle's list of valid answer grades, and its check of imported grades.

Moodle lets an answer of a multiple-choice, short-answer or numerical
question carry only one of a fixed set of fractions (its editing form offers
nothing else): p/q for q <= 6, p/10, 1/q for q <= 10 and 1/20, each also
negative.  On import (``qformat_default::importprocess`` with "Fehler, wenn
Bewertung nicht aufgeführt", the default) every answer fraction must match one
of them, or the question is refused.  Moodle matches with
``abs(grade - valid) < 0.00001`` on the fraction and then stores the listed
value, so 33.333 % (old exports) and 33.33333 % become 0.3333333, while 33.33 %
(0.3333, off by 0.0000333) is refused.  We do the same, with Decimals.

Cloze gaps, true/false, matching and ordering answers are not checked: Moodle
does not check them either (ordering even writes positions as fractions).
"""

from __future__ import annotations

import copy
from decimal import Decimal

from .errors import FormatError
from .ir import Question, QuestionType
from .numbers import format_decimal

# Positive fractions as Moodle lists them (question_bank::fraction_options), 7 places.
_POSITIVE = (
    "1",
    "0.9",
    "0.8333333",
    "0.8",
    "0.75",
    "0.7",
    "0.6666667",
    "0.6",
    "0.5",
    "0.4",
    "0.3333333",
    "0.3",
    "0.25",
    "0.2",
    "0.1666667",
    "0.1428571",
    "0.125",
    "0.1111111",
    "0.1",
    "0.05",
)
VALID_FRACTIONS: tuple[Decimal, ...] = (
    *(Decimal(v) for v in _POSITIVE),
    Decimal(0),
    *(-Decimal(v) for v in reversed(_POSITIVE)),
)

# Moodle's match_grade_options('error'): "slightly fuzzy test, never check floats for equality".
MOODLE_GRADE_TOLERANCE = Decimal("0.00001")

# Types whose answer fractions Moodle checks against the list.
CHECKED_TYPES = frozenset({QuestionType.MULTICHOICE, QuestionType.SHORTANSWER, QuestionType.NUMERICAL})


def valid_fraction(fraction: Decimal) -> Decimal | None:
    """The listed fraction ``fraction`` stands for, or None if Moodle would refuse it."""
    for value in VALID_FRACTIONS:
        if abs(fraction - value) < MOODLE_GRADE_TOLERANCE:
            return value
    return None


def nearest_fraction(fraction: Decimal) -> Decimal:
    return min(VALID_FRACTIONS, key=lambda value: abs(fraction - value))


def percent_label(fraction: Decimal) -> str:
    return f"{format_decimal(fraction * 100)} %"


def grade_refusal(fraction: Decimal) -> str:
    """German reason a grade is refused, with the nearest value Moodle allows."""
    return (
        f"Die Bewertung {percent_label(fraction)} ist in Moodle nicht zulässig. "
        f"Erlaubt sind nur 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
        f"16.66667, 14.28571, 12.5, 11.11111, 10, 5 und 0 % sowie dieselben Werte negativ "
        f"(nächster zulässiger Wert: {percent_label(nearest_fraction(fraction))})."
    )


def invalid_grade_message(*, name: str, fraction: Decimal) -> str:
    """German message naming the question and the value."""
    return f"Frage „{name}“: {grade_refusal(fraction)}"


def invalid_fractions(question: Question) -> list[Decimal]:
    if question.qtype not in CHECKED_TYPES:
        return []
    return [a.fraction for a in question.answers if valid_fraction(a.fraction) is None]


def question_grades_normalise(question: Question) -> None:
    """Refuse a question with a grade Moodle refuses; store the listed value of the others.

    Raises FormatError (line of the question) naming the question and the first bad value.
    """
    bad = invalid_fractions(question)
    if bad:
        raise FormatError(invalid_grade_message(name=question.name, fraction=bad[0]), line=question.source_line)
    if question.qtype in CHECKED_TYPES:
        for answer in question.answers:
            answer.fraction = valid_fraction(answer.fraction) or Decimal(0)


def question_grades_for_export(question: Question) -> tuple[Question | None, str | None]:
    """A copy with the listed grades to write, or (None, German reason) if Moodle would refuse it.

    Questions stored before this check existed may hold any fraction; an export that Moodle
    cannot import helps nobody, so such a question is left out and named.
    """
    bad = invalid_fractions(question)
    if bad:
        return None, invalid_grade_message(name=question.name, fraction=bad[0]) + " Nicht exportiert."
    exported = copy.deepcopy(question)
    question_grades_normalise(exported)
    return exported, None
