"""Cloze (Moodle's embedded answers): a text with gaps, each a short answer, a number or a choice, weighted."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import FormatError, ir
from courses.questions.formats.cloze import parse_cloze, render_cloze_text

from .base import (
    MAX_TEXT,
    ZERO,
    AnswerPart,
    Data,
    FormData,
    GapTextType,
    Layout,
    Response,
    ResponseError,
    Score,
    View,
    clamp,
    clean_text,
    display_keys,
    fraction_of,
    neutral_order,
    render_feedback,
    render_text,
    shuffled,
    verdict,
)
from .multichoice import choice_fraction, chosen_answers
from .numerical import number_answer, parse_number
from .shortanswer import text_answer

_PLACEHOLDER = re.compile(r"\{#(\d+)\}")


def _gap_order(layout: Layout, number: str, part: dict[str, Any]) -> list[int]:
    # Layouts drawn before the neutral order (older attempts) have no entry: they get it now.
    return layout.get("parts", {}).get(number) or neutral_order([a.get("text", "") for a in part.get("answers", [])])


def _choice_indices(value: Any) -> list[int]:
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        return [i for i in value if isinstance(i, int)]
    return []


def gap_answers(part: ir.ClozePart, value: Any) -> list[ir.Answer]:
    """The authored answers of one gap that the value matches, by the rule of the gap's kind."""
    if part.kind is ir.ClozeKind.MULTICHOICE:
        return chosen_answers(part.answers, _choice_indices(value))
    if part.kind is ir.ClozeKind.NUMERICAL:
        number = parse_number(str(value)) if isinstance(value, str | int | Decimal) else None
        matched = number_answer(part.answers, number)
    else:
        matched = text_answer(part.answers, value, case_sensitive=part.case_sensitive)
    return [matched] if matched else []


def gap_fraction(part: ir.ClozePart, value: Any) -> Decimal:
    if part.kind is ir.ClozeKind.MULTICHOICE:
        return clamp(choice_fraction(part.answers, _choice_indices(value), single=part.single))
    return clamp(sum((fraction_of(a) for a in gap_answers(part, value)), ZERO))


def _gaps(question: ir.Question, given: Any) -> dict[int, Any]:
    if not isinstance(given, dict) or not isinstance(given.get("gaps"), dict):
        return {}
    return {int(k): v for k, v in given["gaps"].items() if 1 <= int(k) <= len(question.cloze_parts)}


class ClozeType(GapTextType):
    qtype = ir.QuestionType.CLOZE
    feedback_per_part = True

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        parts = {}
        for number, part in enumerate(data.get("cloze_parts", []), start=1):
            if part.get("kind") == "multichoice":
                answers = part.get("answers", [])
                if shuffle_answers and part.get("shuffle"):
                    parts[str(number)] = shuffled(len(answers), rng)
                else:
                    parts[str(number)] = neutral_order([a.get("text", "") for a in answers])
        return {"parts": parts}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        view["segments"] = self.segments(data, layout)
        return view

    def segments(self, data: Data, layout: Layout) -> list[dict[str, Any]]:
        """The cloze text cut into HTML pieces and gaps (gaps carry only what an input needs)."""
        html = str(render_text(data.get("text")))
        parts = data.get("cloze_parts", [])
        segments: list[dict[str, Any]] = []
        pos = 0
        for match in _PLACEHOLDER.finditer(html):
            number = int(match.group(1))
            if not 1 <= number <= len(parts):
                continue
            segments.append({"html": html[pos : match.start()]})
            part = parts[number - 1]
            gap: dict[str, Any] = {"gap": str(number), "kind": part.get("kind")}
            if part.get("kind") == "multichoice":
                gap["choices"] = [
                    {"key": str(p), "text": str(escape(part["answers"][i]["text"]))}
                    for p, i in enumerate(_gap_order(layout, str(number), part))
                ]
                gap["single"] = bool(part.get("single", True))
            segments.append(gap)
            pos = match.end()
        segments.append({"html": html[pos:]})
        return segments

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"gaps": {str(n): post.get(f"{prefix}-{n}", "") for n in range(1, len(data.get("cloze_parts", [])) + 1)}}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        gaps = raw.get("gaps")
        parts = data.get("cloze_parts", [])
        if not isinstance(gaps, dict):
            raise ResponseError(_("Die Lückenantworten haben ein unbekanntes Format."))
        clean = {}
        for gap, value in gaps.items():
            if not str(gap).isdigit() or not 1 <= int(gap) <= len(parts):
                raise ResponseError(_("Diese Lücke gibt es nicht."))
            part = parts[int(gap) - 1]
            if value in (None, ""):
                continue
            if part.get("kind") == "multichoice":
                if str(value) not in display_keys(len(part.get("answers", []))):
                    raise ResponseError(_("Diese Auswahl gibt es nicht."))
                clean[str(gap)] = str(value)
            else:
                clean[str(gap)] = clean_text(value, MAX_TEXT)
        return {"gaps": clean} if clean else None

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        """Gaps by number; a choice gap's display key back to its answer index."""
        if response is None:
            return None
        out: dict[int, Any] = {}
        for gap, value in response["gaps"].items():
            part = data["cloze_parts"][int(gap) - 1]
            out[int(gap)] = _gap_order(layout, gap, part)[int(value)] if part.get("kind") == "multichoice" else value
        return {"gaps": out}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        parts = question.cloze_parts
        total_weight = sum(p.weight for p in parts)
        if not parts or not total_weight:
            return Score(fraction=ZERO)
        gaps = _gaps(question, given)
        earned = sum((gap_fraction(parts[n - 1], value) * parts[n - 1].weight for n, value in gaps.items()), ZERO)
        return Score(fraction=clamp(earned / total_weight))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        return [
            render_feedback(a.feedback)
            for n, value in _gaps(question, given).items()
            for a in gap_answers(question.cloze_parts[n - 1], value)
        ]

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        out = []
        for n, value in sorted(_gaps(question, given).items()):
            part = question.cloze_parts[n - 1]
            matched = gap_answers(part, value)
            if part.kind is ir.ClozeKind.MULTICHOICE:
                shown = "“, „".join(strip_tags(a.text) for a in matched)
            else:
                shown = str(value)
            out.append(
                AnswerPart(
                    _("Lücke %(n)s:") % {"n": n},
                    f"„{shown}“",
                    verdict(gap_fraction(part, value)),
                    "".join(render_feedback(a.feedback) for a in matched),
                )
            )
        return out

    def editor_form(self, fields: dict[str, forms.Field]) -> None:
        fields["text"].help_text = gettext_lazy(
            "Lücken im Text, z. B. {1:SHORTANSWER:=Antwort} oder {2:MULTICHOICE:=richtig~falsch#Feedback}."
        )
        fields["text"].required = True
        # The mark is the sum of the gaps' weights.
        del fields["default_mark"]

    def editor_initial(self, content: ir.Question) -> dict[str, Any]:
        return {"text": render_cloze_text(content.text.text, content.cloze_parts)}

    def editor_clean(self, data: dict[str, Any]) -> dict[str, str]:
        if not data.get("text"):
            return {}
        try:
            data["cloze"] = parse_cloze(data["text"])
        except FormatError as exc:
            return {"text": exc.message}
        return {}

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        if "cloze" in data:
            q.text.text, q.cloze_parts = data["cloze"]
            q.default_mark = Decimal(sum(p.weight for p in q.cloze_parts))

    def correct_answers(self, data: Data) -> list[str]:
        out = []
        for number, part in enumerate(data.get("cloze_parts", []), start=1):
            top = max(part.get("answers", []), key=lambda a: Decimal(str(a.get("fraction", "0"))), default=None)
            if top is not None:
                out.append(f"({number}) {top.get('text', '')}")
        return out
