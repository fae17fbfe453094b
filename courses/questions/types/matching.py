"""Matching: each stem gets one of the answer texts; distractor answers (pairs without a stem) may be offered."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.questions.formats import ir

from .base import (
    ZERO,
    AnswerPart,
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
    kept_text,
    render_inline,
    shuffled,
)


def match_options(data: Data) -> list[str]:
    """Distinct answer texts of a matching question, in authoring order (distractors included)."""
    seen: list[str] = []
    for pair in data.get("match_pairs", []):
        if pair["answer"] not in seen:
            seen.append(pair["answer"])
    return seen


def _stems(data: Data) -> list[int]:
    return [i for i, pair in enumerate(data.get("match_pairs", [])) if (pair.get("question") or {}).get("text")]


def stem_right(question: ir.Question, index: int, chosen: Any) -> bool:
    """One rule for score and review: the stem's own answer text, nothing else."""
    pairs = question.match_pairs
    return 0 <= index < len(pairs) and bool(pairs[index].question.text) and chosen == pairs[index].answer


def _pairs(given: Any) -> dict[int, Any]:
    if not isinstance(given, dict) or not isinstance(given.get("pairs"), dict):
        return {}
    return {int(k): v for k, v in given["pairs"].items()}


def pairs_clean(raw: dict[str, Any], *, stem_count: int, option_count: int) -> Response | None:
    """A matching response ``{"pairs": {stem key: option key}}`` checked against the layout's keys
    (matching and random short-answer matching); empty choices are left out."""
    pairs = raw.get("pairs")
    stems, options = display_keys(stem_count), display_keys(option_count)
    if not isinstance(pairs, dict):
        raise ResponseError(_("Die Zuordnung hat ein unbekanntes Format."))
    clean = {}
    for stem, option in pairs.items():
        if option in (None, ""):
            continue
        if str(stem) not in stems or str(option) not in options:
            raise ResponseError(_("Diese Zuordnung gibt es nicht."))
        clean[str(stem)] = str(option)
    return {"pairs": clean} if clean else None


class MatchingType(QuestionType):
    qtype = ir.QuestionType.MATCHING

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        stems = _stems(data)
        if shuffle_answers and data.get("shuffle_answers", True):
            rng.shuffle(stems)
        # Options are always shuffled: in authoring order they would line up with the stems.
        return {"stems": stems, "options": shuffled(len(match_options(data)), rng, avoid_identity=True)}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        pairs, options = data.get("match_pairs", []), match_options(data)
        view["stems"] = [
            {"key": str(pos), "text": render_inline(pairs[i]["question"]["text"], pairs[i]["question"].get("format"))}
            for pos, i in enumerate(layout["stems"])
        ]
        view["options"] = [
            {"key": str(pos), "text": str(escape(options[i]))} for pos, i in enumerate(layout["options"])
        ]
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        pairs = (response or {}).get("pairs", {})
        for stem in view["stems"]:
            stem["selected"] = pairs.get(stem["key"], "")
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"pairs": {str(k): post.get(f"{prefix}-{k}", "") for k in range(len(layout.get("stems", [])))}}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        return pairs_clean(raw, stem_count=len(layout.get("stems", [])), option_count=len(layout.get("options", [])))

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        """Stems by their index in the pairs, options by their text."""
        if response is None:
            return None
        options = match_options(data)
        return {
            "pairs": {
                layout["stems"][int(stem)]: options[layout["options"][int(option)]]
                for stem, option in response["pairs"].items()
            }
        }

    def score_given(self, question: ir.Question, given: Any) -> Score:
        stems = [i for i, p in enumerate(question.match_pairs) if p.question.text]
        if not stems:
            return Score(fraction=ZERO)
        chosen = _pairs(given)
        right = sum(1 for i in stems if stem_right(question, i, chosen.get(i)))
        return Score(fraction=clamp(Decimal(right) / Decimal(len(stems))))

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        return [
            AnswerPart(
                f"{strip_tags(question.match_pairs[stem].question.text)}:",
                f"„{option}“",
                "correct" if stem_right(question, stem, option) else "wrong",
            )
            for stem, option in sorted(_pairs(given).items())
        ]

    editor_fields = ("shuffle_answers",)
    row_fields = ("text", "answer")
    row_text_label = gettext_lazy("Begriff (leer: Ablenker)")

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        return [{"text": p.question.text, "answer": p.answer} for p in content.match_pairs]

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        old = base.match_pairs
        q.match_pairs = [
            ir.MatchPair(kept_text(old[i].question if i < len(old) else None, row["text"], fmt), row["answer"])
            for i, row in enumerate(rows)
        ]

    def correct_answers(self, data: Data) -> list[str]:
        return [
            f"{p['question']['text']} → {p['answer']}"
            for p in data.get("match_pairs", [])
            if (p.get("question") or {}).get("text")
        ]
