"""Calculated questions (Moodle's qtype_calculated and qtype_calculatedsimple): numbers drawn from datasets.

The text and the answer formulas name wildcards ``{x}``; each wildcard has a dataset of values by
item number. An attempt draws one item on the server when it starts and keeps it in the slot's
layout, so a resumed attempt and its review show the same numbers. The learner sees the text with
the item's values (``{=formula}`` computed); the formulas, tolerances and the other items never
leave the server before submission.

Scoring as qtype_calculated does it: each answer formula is computed with the item's values (an
IEEE double, as in PHP), the first answer whose tolerance interval holds the response wins, and
units work as in numerical questions. The right answer is shown rounded as the author set it
(decimals or significant figures).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any, ClassVar

from courses.questions.formats import formula, ir

from .base import (
    ONE,
    Data,
    Layout,
    Response,
    Score,
    View,
    clamp,
    fraction_of,
    render_feedback,
    render_text,
)
from .numerical import NumericalType, _split_number_unit, _typed

RELATIVE, NOMINAL, GEOMETRIC = 1, 2, 3
# PHP's default precision: Moodle widens a nominal tolerance by this much against rounding noise.
_PHP_EPSILON = 1e-14


def tolerance_interval(value: float, tolerance: Decimal | None, tolerance_type: int | None) -> tuple[float, float]:
    """The interval around a computed answer that counts as right (qtype_numerical_answer's rule)."""
    tol = abs(float(tolerance or 0))
    if tolerance_type == NOMINAL:
        tol = tol + _PHP_EPSILON * max(1.0, abs(value))
        return value - tol, value + tol
    if tolerance_type == GEOMETRIC:
        quotient = 1 + tol
        if value < 0:
            return value * quotient, value / quotient
        return value / quotient, value * quotient
    # Relative is Moodle's default.
    spread = abs(value) * tol
    return value - spread, value + spread


def item_of(given: Any) -> int:
    return int(given.get("item", 1)) if isinstance(given, dict) else 1


def answer_value(question: ir.Question, answer: ir.Answer, item: int) -> float | None:
    """An answer formula's value for an item; None for ``*`` or a formula that cannot be computed."""
    if answer.text.strip() in ("*", ""):
        return None
    values = {k: float(v) for k, v in formula.item_values(question.datasets, item).items()}
    try:
        return formula.evaluate(answer.text, values)
    except formula.FormulaError:
        return math.nan


def matched_answer(question: ir.Question, given: Any) -> tuple[ir.Answer | None, bool]:
    """The first answer whose interval holds the response (after its unit); and whether the unit was right."""
    typed = _typed(question, given)
    if typed is None:
        return None, True
    number, unit = _split_number_unit(typed, question.units_left)
    if number is None:
        return None, True
    unit_ok = True
    if question.units and question.show_units != 3:
        known = {u.name: u.multiplier for u in question.units}
        if unit in known:
            number = number / known[unit]
        else:
            unit_ok = False
    elif unit:
        return None, True
    response = float(number)
    item = item_of(given)
    for answer in question.answers:
        if answer.text.strip() in ("*", ""):
            return answer, unit_ok
        value = answer_value(question, answer, item)
        if value is None or not math.isfinite(value):
            continue
        low, high = tolerance_interval(value, answer.tolerance, answer.tolerance_type)
        if low <= response <= high:
            return answer, unit_ok
    return None, unit_ok


class CalculatedType(NumericalType):
    qtype = ir.QuestionType.CALCULATED

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        count = formula.item_count(ir.question_from_dict(data).datasets)
        return {"item": rng.randint(1, count) if count else 1}

    def _values(self, data: Data, layout: Layout | None) -> dict[str, str]:
        datasets = ir.question_from_dict(data).datasets
        return formula.item_values(datasets, int((layout or {}).get("item", 1)))

    def _text(self, text: dict[str, Any] | None, values: dict[str, str]) -> dict[str, Any] | None:
        if not text or not text.get("text"):
            return text
        return {**text, "text": formula.substitute(text["text"], values)}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        view["text"] = str(render_text(self._text(data.get("text"), self._values(data, layout))))
        return view

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        if response is None:
            return None
        return {**response, "item": int(layout.get("item", 1))}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        answer, unit_ok = matched_answer(question, given)
        fraction = fraction_of(answer)
        if not unit_ok and question.unit_grading_type == 1:
            fraction = fraction * (ONE - question.unit_penalty)
        elif not unit_ok and question.unit_grading_type == 2:
            fraction = fraction - question.unit_penalty
        return Score(fraction=clamp(fraction))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        answer, _unit_ok = matched_answer(question, given)
        if answer is None or not answer.feedback.text:
            return []
        values = formula.item_values(question.datasets, item_of(given))
        return [
            render_feedback(ir.FormattedText(formula.substitute(answer.feedback.text, values), answer.feedback.format))
        ]

    def general_feedback_for(self, data: Data, layout: Layout) -> str:
        return str(render_text(self._text(data.get("general_feedback"), self._values(data, layout))))

    # The bank's editor keeps formulas, tolerances and datasets as imported (rows are not edited here).
    editor_fields: ClassVar[tuple[str, ...]] = ("units", "unit_grading_type", "unit_penalty")
    row_fields: ClassVar[tuple[str, ...]] = ()

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        return None

    def correct_answers(self, data: Data) -> list[str]:
        return self.correct_answers_for(data, {"item": 1})

    def correct_answers_for(self, data: Data, layout: Layout) -> list[str]:
        question = ir.question_from_dict(data)
        item = int(layout.get("item", 1))
        best = max((a.fraction for a in question.answers), default=Decimal(0))
        unit = next((u.name for u in question.units if u.multiplier == 1), "")
        out = []
        for answer in question.answers:
            if answer.fraction != best or best <= 0:
                continue
            value = answer_value(question, answer, item)
            if value is None:
                continue
            text = formula.format_answer(value, answer.answer_length, answer.answer_format)
            if unit and question.show_units != 3:
                text = f"{unit} {text}" if question.units_left else f"{text} {unit}"
            out.append(text)
        return out
