"""Numerical: a number with an error margin, optionally with units (multipliers, a penalty for a wrong unit)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import ir
from courses.questions.formats.numbers import format_decimal, parse_decimal
from lernplattform.core.errors import ValidationFailed

from .base import (
    MAX_TEXT,
    ONE,
    ZERO,
    Data,
    FormData,
    Layout,
    QuestionType,
    Response,
    Score,
    View,
    answers_from_rows,
    clamp,
    clean_text,
    fraction_of,
    render_feedback,
)
from .multichoice import best_answers_text

_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_NUMBER_FIRST = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")
_UNIT_FIRST = re.compile(rf"^\s*(.*?)\s*({_NUMBER})\s*$")


def parse_number(raw: str) -> Decimal | None:
    """A number as learners type it: a dot or a comma as decimal separator."""
    try:
        return Decimal(raw.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None


def _split_number_unit(response: str, units_left: bool) -> tuple[Decimal | None, str]:
    match = (_UNIT_FIRST if units_left else _NUMBER_FIRST).match(response)
    if not match:
        return None, ""
    number, unit = (match.group(2), match.group(1)) if units_left else (match.group(1), match.group(2))
    return parse_number(number), unit


def number_matches(answer: ir.Answer, value: Decimal) -> bool:
    """Within the answer's error margin (Moodle takes its absolute value); ``*`` accepts any number."""
    if answer.text.strip() in ("*", ""):
        return True
    target = parse_number(answer.text)
    if target is None:
        return False
    return abs(value - target) <= abs(answer.tolerance or ZERO)


def number_answer(answers: list[ir.Answer], value: Decimal | None) -> ir.Answer | None:
    """The first authored answer the number matches (the one that scores and gives feedback)."""
    if value is None:
        return None
    return next((a for a in answers if number_matches(a, value)), None)


def _typed(question: ir.Question, given: Any) -> str | None:
    """The response as typed, the unit where the question writes it (a unit select adds it)."""
    if not isinstance(given, dict):
        return None
    text, unit = str(given.get("text", "")), str(given.get("unit", "") or "")
    if not unit:
        return text
    return f"{unit} {text}" if question.units_left else f"{text} {unit}"


def matched_answer(question: ir.Question, given: Any) -> tuple[ir.Answer | None, bool]:
    """Which authored answer the response matches, after its unit; and whether the unit was right.

    Text after the number where the question expects no unit matches nothing.
    """
    typed = _typed(question, given)
    if typed is None:
        return None, True
    value, unit = _split_number_unit(typed, question.units_left)
    if value is None:
        return None, True
    unit_ok = True
    if bool(question.units) and question.show_units != 3:
        known = {u.name: u.multiplier for u in question.units}
        if unit in known:
            value = value / known[unit]
        else:
            unit_ok = False
    elif unit:
        return None, True
    return number_answer(question.answers, value), unit_ok


class NumericalType(QuestionType):
    qtype = ir.QuestionType.NUMERICAL

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        units = data.get("units", [])
        if units and data.get("show_units", 3) != 3:
            view["units"] = [u["name"] for u in units]
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        view["value"] = (response or {}).get("text", "")
        view["unit"] = (response or {}).get("unit", "")
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"text": post.get(prefix, ""), "unit": post.get(f"{prefix}-unit", "")}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        text = clean_text(raw.get("text", ""), MAX_TEXT)
        if raw.get("unit"):
            unit = clean_text(raw["unit"], 50)
            return {"text": text, "unit": unit} if text or unit else None
        return {"text": text} if text.strip() else None

    def matched(self, question: ir.Question, given: Any) -> tuple[ir.Answer | None, bool]:
        """The answer the response matches, and whether its unit was right (calculated overrides it)."""
        return matched_answer(question, given)

    def score_given(self, question: ir.Question, given: Any) -> Score:
        answer, unit_ok = self.matched(question, given)
        fraction = fraction_of(answer)
        if not unit_ok and question.unit_grading_type == 1:
            fraction = fraction * (ONE - question.unit_penalty)
        elif not unit_ok and question.unit_grading_type == 2:
            fraction = fraction - question.unit_penalty
        return Score(fraction=clamp(fraction))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        answer, _unit_ok = matched_answer(question, given)
        return [render_feedback(answer.feedback)] if answer else []

    editor_fields: ClassVar[tuple[str, ...]] = ("units", "unit_grading_type", "unit_penalty")
    row_fields: ClassVar[tuple[str, ...]] = ("text", "tolerance", "fraction", "feedback")
    row_text_label = gettext_lazy("Zahl oder *")

    def clean_row_text(self, text: str) -> str:
        if text and text != "*" and parse_decimal(text.replace(",", ".")) is None:
            raise ValidationFailed("questions.answer_not_a_number", _("Keine Zahl."))
        return text

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.answers = answers_from_rows(base, rows, fmt, ir.TextFormat.MOODLE)
        for answer, row in zip(q.answers, rows, strict=True):
            if row["text"] != "*":
                answer.text = format_decimal(parse_decimal(row["text"].replace(",", ".")) or Decimal(0))
            answer.tolerance = row.get("tolerance") or Decimal(0)

    def correct_answers(self, data: Data) -> list[str]:
        out = []
        for a in best_answers_text(data.get("answers", []), single=bool(data.get("single", True))):
            text = a.get("text", "")
            if a.get("tolerance") not in (None, "0", 0):
                text = f"{text} ± {a['tolerance']}"
            out.append(text)
        return out
