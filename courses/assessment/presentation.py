"""What a learner's browser may know of a question: no fractions, no feedback.

Used by the bank's preview, the trainer API's preview and the quiz.  Choice
keys come from ``scoring.choice_key``; responses are scored with them.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from .formats import ir
from .sanitize import render_text
from .scoring import choice_key


def _rng(seed: str | None, salt: str) -> random.Random:
    digest = hashlib.sha256(f"{seed or ''}:{salt}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))  # noqa: S311 - shuffling, not security


def _choices(answers: list[ir.Answer]) -> list[dict[str, Any]]:
    return [{"key": choice_key(i, a.text), "html": str(render_text(a.text, a.format))} for i, a in enumerate(answers)]


def learner_view(question: ir.Question, *, seed: str | None = None) -> dict[str, Any]:
    """A JSON-able description of the question without anything that gives the answer away."""
    view: dict[str, Any] = {
        "type": question.qtype.value,
        "name": question.name,
        "html": str(render_text(question.text)),
        "mark": str(question.default_mark),
    }
    qtype = question.qtype
    if qtype is ir.QuestionType.MULTICHOICE:
        choices = _choices(question.answers)
        if question.shuffle_answers:
            _rng(seed, "mc").shuffle(choices)
        view.update(single=question.single, choices=choices, numbering=question.answer_numbering)
    elif qtype is ir.QuestionType.TRUEFALSE:
        view["choices"] = [{"key": "true", "html": "Wahr"}, {"key": "false", "html": "Falsch"}]
    elif qtype is ir.QuestionType.NUMERICAL:
        uses_units = bool(question.units) and question.show_units != 3
        view.update(units=[u.name for u in question.units] if uses_units else [], units_left=question.units_left)
    elif qtype is ir.QuestionType.MATCHING:
        stems = [
            {"key": choice_key(i, p.question.text), "html": str(render_text(p.question))}
            for i, p in enumerate(question.match_pairs)
            if p.question.text
        ]
        options = sorted({p.answer for p in question.match_pairs})
        if question.shuffle_answers:
            _rng(seed, "match").shuffle(stems)
        view.update(stems=stems, options=options)
    elif qtype is ir.QuestionType.ORDERING:
        items = _choices(question.answers)
        # Never in the correct order: shuffle until it differs (when it can).
        rng = _rng(seed, "order")
        for _attempt in range(5):
            rng.shuffle(items)
            if len(items) < 2 or [i["key"] for i in items] != [c["key"] for c in _choices(question.answers)]:
                break
        view.update(items=items, layout=question.layout_type)
    elif qtype is ir.QuestionType.CLOZE:
        gaps = []
        for number, part in enumerate(question.cloze_parts, start=1):
            gap: dict[str, Any] = {"number": number, "kind": part.kind.value, "weight": part.weight}
            if part.kind is ir.ClozeKind.MULTICHOICE:
                choices = _choices(part.answers)
                if part.shuffle:
                    _rng(seed, f"gap{number}").shuffle(choices)
                gap.update(single=part.single, layout=part.layout.value, choices=choices)
            gaps.append(gap)
        view["gaps"] = gaps
    elif qtype is ir.QuestionType.ESSAY:
        view.update(
            response_format=question.response_format,
            field_lines=question.response_field_lines,
            template=question.response_template.text,
            min_words=question.min_word_limit,
            max_words=question.max_word_limit,
        )
    return view
