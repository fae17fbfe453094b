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
import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import formula, ir
from courses.questions.formats.numbers import format_decimal, parse_decimal

from .base import (
    Data,
    Layout,
    Response,
    View,
    answer_rows,
    answers_from_rows,
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


_DATASET_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\s*(\(gemeinsam\))?\s*=\s*(.*)")


def _kept_dataset(old: ir.Dataset | None, new: ir.Dataset) -> ir.Dataset:
    """An edited dataset: how its values were drawn is kept where it still fits, else said by the values."""
    values = [Decimal(v) for v in new.items]
    decimals = max((max(0, -int(v.as_tuple().exponent)) for v in values), default=0)
    minimum = format_decimal(min(values)) if values else "0"
    maximum = format_decimal(max(values)) if values else "0"
    if old is not None and old.items == new.items:
        return ir.Dataset(
            new.name, new.status, old.distribution, old.minimum, old.maximum, old.decimals, list(new.items)
        )
    return ir.Dataset(new.name, new.status, "uniform", minimum, maximum, str(decimals), list(new.items))


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

    def matched(self, question: ir.Question, given: Any) -> tuple[ir.Answer | None, bool]:
        return matched_answer(question, given)  # the formula evaluated with the attempt's values

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

    # Editor: the units of numerical questions, the datasets as lines, one row per answer formula.
    editor_fields: ClassVar[tuple[str, ...]] = ("units", "unit_grading_type", "unit_penalty", "datasets")
    row_fields: ClassVar[tuple[str, ...]] = (
        "text",
        "tolerance",
        "tolerance_type",
        "answer_format",
        "answer_length",
        "fraction",
        "feedback",
    )
    row_text_label = gettext_lazy("Formel, z. B. {a} * {b}")
    shared_datasets: ClassVar[bool] = True

    def new_content(self) -> ir.Question:
        # Moodle's defaults for a new calculated question: units optional, none shown until named.
        return ir.Question(qtype=self.qtype, name="", single=False, shuffle_answers=False)

    def editor_form(self, fields: dict[str, forms.Field]) -> None:
        if "datasets" in fields:
            fields["datasets"].required = True
            if not self.shared_datasets:
                fields["datasets"].help_text = _(
                    "Eine Zeile je Platzhalter: Name = Werte durch Semikolon, z. B. „a = 2,5; 3; 4,75“. "
                    "Der n-te Wert jeder Zeile bildet Wertesatz n; jeder Versuch erhält einen Wertesatz."
                )

    def editor_initial(self, content: ir.Question) -> dict[str, Any]:
        lines = []
        for dataset in content.datasets:
            shared = " (gemeinsam)" if dataset.status == "shared" and self.shared_datasets else ""
            lines.append(f"{dataset.name}{shared} = {'; '.join(dataset.items)}")
        return {"datasets": "\n".join(lines)}

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        rows = answer_rows(content)
        for row, answer in zip(rows, content.answers, strict=True):
            row["tolerance_type"] = answer.tolerance_type or RELATIVE
            row["answer_format"] = answer.answer_format or 1
            row["answer_length"] = 2 if answer.answer_length is None else answer.answer_length
        return rows

    def editor_clean(self, data: dict[str, Any]) -> dict[str, str]:
        raw = data.get("datasets")
        if not isinstance(raw, str):
            return {}
        datasets: list[ir.Dataset] = []
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            match = _DATASET_LINE.fullmatch(line.strip())
            if not match:
                return {"datasets": _("Zeile %(n)d: Form „Name = Wert; Wert; …“, z. B. „a = 2,5; 3“.") % {"n": number}}
            name, shared, values = match.group(1), bool(match.group(2)), match.group(3)
            items = [v.strip().replace(",", ".") for v in values.split(";") if v.strip()]
            for value in items:
                if parse_decimal(value) is None:
                    return {"datasets": _("Zeile %(n)d: „%(value)s“ ist keine Zahl.") % {"n": number, "value": value}}
            if any(d.name == name for d in datasets):
                return {
                    "datasets": _("Zeile %(n)d: {%(name)s} steht schon in einer Zeile davor.")
                    % {"n": number, "name": name}
                }
            datasets.append(
                ir.Dataset(name=name, status="shared" if shared and self.shared_datasets else "private", items=items)
            )
        data["datasets"] = datasets
        return {}

    def clean_row_text(self, text: str) -> str:
        if text and text != "*":
            formula.parse(text)  # FormulaError is a ValidationFailed: the row shows its German message
        return text

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.answers = answers_from_rows(base, rows, fmt, ir.TextFormat.PLAIN)
        for answer, row in zip(q.answers, rows, strict=True):
            answer.format = ir.TextFormat.PLAIN
            answer.tolerance = row.get("tolerance") or Decimal(0)
            answer.tolerance_type = row.get("tolerance_type") or RELATIVE
            answer.answer_format = row.get("answer_format") or 1
            length = row.get("answer_length")
            answer.answer_length = 2 if length is None else length
        if isinstance(data.get("datasets"), list):
            old = {d.name: d for d in base.datasets}
            q.datasets = [_kept_dataset(old.get(d.name), d) for d in data["datasets"]]
        if q.units and q.show_units == 3:
            q.show_units = 0  # named units are asked for (Moodle: a text field for the unit)
        elif not q.units:
            q.show_units = 3

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
