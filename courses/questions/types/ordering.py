"""Ordering (Moodle's qtype_ordering): the authored answers are the items in the right order."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import ir

from .base import (
    ONE,
    ZERO,
    Data,
    FormData,
    Layout,
    QuestionType,
    Response,
    ResponseError,
    Score,
    View,
    clamp,
    display_keys,
    render_inline,
    shuffled,
)


def _longest_increasing(sequence: list[int]) -> int:
    best: list[int] = []
    for value in sequence:
        lo, hi = 0, len(best)
        while lo < hi:
            mid = (lo + hi) // 2
            if best[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(best):
            best.append(value)
        else:
            best[lo] = value
    return len(best)


def ordering_fraction(grading_type: str, positions: list[int]) -> Decimal:
    """Score a learner's order given each placed item's correct position (0-based)."""
    n = len(positions)
    if n == 0:
        return ZERO
    if n == 1:
        return ONE if positions == [0] else ZERO
    pairs = list(zip(positions, positions[1:], strict=False))
    grading_type = grading_type.upper()
    if grading_type == "ALL_OR_NOTHING":
        return ONE if positions == list(range(n)) else ZERO
    if grading_type in ("ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
        return Decimal(sum(1 for i, p in enumerate(positions) if i == p)) / n
    if grading_type in ("RELATIVE_NEXT_INCLUDE_LAST",):
        right = sum(1 for a, b in pairs if b == a + 1) + (1 if positions[-1] == n - 1 else 0)
        return Decimal(right) / n
    if grading_type == "RELATIVE_ONE_PREVIOUS_AND_NEXT":
        right = 0
        for i, p in enumerate(positions):
            right += 1 if (i == 0 and p == 0) or (i > 0 and positions[i - 1] == p - 1) else 0
            right += 1 if (i == n - 1 and p == n - 1) or (i < n - 1 and positions[i + 1] == p + 1) else 0
        return Decimal(right) / (2 * n)
    if grading_type == "RELATIVE_ALL_PREVIOUS_AND_NEXT":
        ordered = sum(1 for i in range(n) for j in range(i + 1, n) if positions[i] < positions[j])
        return Decimal(ordered) / Decimal(n * (n - 1) // 2)
    if grading_type == "LONGEST_ORDERED_SUBSET":
        return Decimal(_longest_increasing(positions)) / n
    if grading_type == "LONGEST_CONTIGUOUS_SUBSET":
        longest = run = 1
        for a, b in pairs:
            run = run + 1 if b == a + 1 else 1
            longest = max(longest, run)
        return Decimal(longest) / n
    if grading_type == "RELATIVE_TO_CORRECT":
        total = sum(n - 1 - abs(i - p) for i, p in enumerate(positions))
        return Decimal(total) / Decimal(n * (n - 1))
    # RELATIVE_NEXT_EXCLUDE_LAST (Moodle's default) and unknown types.
    return Decimal(sum(1 for a, b in pairs if b == a + 1)) / (n - 1)


class OrderingType(QuestionType):
    qtype = ir.QuestionType.ORDERING

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        # Items are always shuffled: authoring order is the correct order.
        return {"items": shuffled(len(data.get("answers", [])), rng, avoid_identity=True)}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        answers = data.get("answers", [])
        view["items"] = [
            {"key": str(pos), "text": render_inline(answers[i]["text"], answers[i].get("format"))}
            for pos, i in enumerate(layout["items"])
        ]
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        order = (response or {}).get("order") or []
        positions = {key: pos for pos, key in enumerate(order, start=1)}
        view["positions"] = list(range(1, len(view["items"]) + 1))
        for item in view["items"]:
            item["position"] = positions.get(item["key"])
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        # Without JavaScript each item gets a position number; sort the keys by it.
        n = len(layout.get("items", []))
        positions = {}
        for key in range(n):
            raw = post.get(f"{prefix}-{key}", "")
            if not raw:
                return None if not any(post.get(f"{prefix}-{k}") for k in range(n)) else {"order": []}
            try:
                positions[str(key)] = int(raw)
            except ValueError:
                return {"order": []}
        if sorted(positions.values()) != list(range(1, n + 1)):
            return {"order": []}
        return {"order": sorted(positions, key=positions.__getitem__)}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        order = raw.get("order")
        valid = display_keys(len(layout.get("items", [])))
        if not isinstance(order, list) or len(order) != len(valid) or {str(o) for o in order} != valid:
            raise ResponseError(_("Bitte bringen Sie alle Einträge in eine Reihenfolge, jeden genau einmal."))
        return {"order": [str(o) for o in order]}

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        if response is None:
            return None
        return {"order": [layout["items"][int(k)] for k in response["order"]]}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        order = given.get("order") if isinstance(given, dict) else None
        if not isinstance(order, list):
            return Score(fraction=ZERO)
        n = len(question.answers)
        positions = list(dict.fromkeys(i for i in order if isinstance(i, int) and 0 <= i < n))
        if len(positions) != n:
            return Score(fraction=ZERO)  # an incomplete order is not an answer
        return Score(fraction=clamp(ordering_fraction(question.grading_type, positions)))

    editor_fields = ("grading_type",)
    row_fields = ("text",)
    row_text_label = gettext_lazy("Element (in richtiger Reihenfolge)")

    def new_content(self) -> ir.Question:
        content = super().new_content()
        content.answer_numbering = "none"
        return content

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        old = base.answers
        q.answers = [
            ir.Answer(
                row["text"],
                Decimal(0),
                old[i].feedback if i < len(old) else ir.FormattedText(),
                old[i].format if i < len(old) else ir.TextFormat.MOODLE,
            )
            for i, row in enumerate(rows)
        ]

    def correct_answers(self, data: Data) -> list[str]:
        return [a.get("text", "") for a in data.get("answers", [])]
