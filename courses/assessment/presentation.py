"""What a learner's browser may know of a question: no fractions, no feedback.

Used by the bank's preview, the trainer API's preview and the quiz.  Choice
keys come from ``scoring.choice_key``; responses are scored with them.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

from courses.questions.formats import ir

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


def _gap_widget(gap: dict[str, Any], name: str, value: Any) -> str:
    label = f"Lücke {gap['number']}"
    if gap["kind"] != ir.ClozeKind.MULTICHOICE.value:
        size = 8 if gap["kind"] == ir.ClozeKind.NUMERICAL.value else 20
        return str(
            format_html(
                '<input type="text" class="cloze-gap" name="{}" id="{}" value="{}" size="{}" aria-label="{}"'
                ' autocomplete="off">',
                name,
                name,
                value or "",
                size,
                label,
            )
        )
    if gap["single"] and gap["layout"] == ir.ClozeLayout.DROPDOWN.value:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((c["key"], " selected" if value == c["key"] else "", strip_tags(c["html"])) for c in gap["choices"]),
        )
        return str(
            format_html(
                '<select class="cloze-gap" name="{}" id="{}" aria-label="{}"><option value="">…</option>{}</select>',
                name,
                name,
                label,
                options,
            )
        )
    kind = "radio" if gap["single"] else "checkbox"
    chosen = value if isinstance(value, list) else [value]
    items = format_html_join(
        "",
        '<label class="cloze-choice"><input type="{}" name="{}" value="{}"{}> {}</label>',
        (
            (kind, name, c["key"], " checked" if c["key"] in chosen else "", mark_safe(c["html"]))  # noqa: S308 - sanitised
            for c in gap["choices"]
        ),
    )
    return str(format_html('<span role="group" aria-label="{}" class="cloze-group">{}</span>', label, items))


def cloze_html(view: dict[str, Any], *, prefix: str = "", values: dict[str, Any] | None = None) -> SafeString:
    """The cloze text with its gaps as form controls named ``{prefix}gap-{n}``."""
    values = values or {}
    gaps = {g["number"]: g for g in view.get("gaps", [])}

    def replace(match: re.Match[str]) -> str:
        number = int(match.group(1))
        gap = gaps.get(number)
        if gap is None:
            return match.group(0)
        return _gap_widget(gap, f"{prefix}gap-{number}", values.get(str(number)))

    return mark_safe(re.sub(r"\{#(\d+)\}", replace, view["html"]))  # noqa: S308 - html sanitised, widgets escaped


def response_from_post(view: dict[str, Any], data: Any, *, prefix: str = "") -> Any:
    """Turn submitted form fields (a QueryDict) into the response shape ``scoring`` expects."""
    qtype = view["type"]
    if qtype == ir.QuestionType.MULTICHOICE.value:
        return data.get(f"{prefix}choice") if view["single"] else data.getlist(f"{prefix}choice")
    if qtype == ir.QuestionType.TRUEFALSE.value:
        return {"true": True, "false": False}.get(data.get(f"{prefix}choice", ""))
    if qtype in (ir.QuestionType.SHORTANSWER.value, ir.QuestionType.NUMERICAL.value, ir.QuestionType.ESSAY.value):
        answer = data.get(f"{prefix}answer", "")
        unit = data.get(f"{prefix}unit", "")
        return f"{answer} {unit}".strip() if unit else answer
    if qtype == ir.QuestionType.MATCHING.value:
        return {s["key"]: data.get(f"{prefix}stem-{s['key']}", "") for s in view["stems"]}
    if qtype == ir.QuestionType.ORDERING.value:
        positions = []
        for item in view["items"]:
            raw = data.get(f"{prefix}pos-{item['key']}", "")
            if not raw.strip().isdigit():
                return []
            positions.append((int(raw), item["key"]))
        return [key for _pos, key in sorted(positions)]
    if qtype == ir.QuestionType.CLOZE.value:
        response = {}
        for gap in view["gaps"]:
            name = f"{prefix}gap-{gap['number']}"
            multi = gap["kind"] == ir.ClozeKind.MULTICHOICE.value and not gap["single"]
            response[str(gap["number"])] = data.getlist(name) if multi else data.get(name, "")
        return response
    return None
