"""Multiple choice: one answer (radio buttons) or several (check boxes), Moodle's fractions per choice."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

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
    answers_from_rows,
    clamp,
    display_keys,
    render_feedback,
    render_inline,
    shuffled,
)


def chosen_answers(answers: list[ir.Answer], indices: list[int]) -> list[ir.Answer]:
    """The answers picked by index; an index twice counts once, an unknown one not at all."""
    return [answers[i] for i in dict.fromkeys(indices) if 0 <= i < len(answers)]


def choice_fraction(answers: list[ir.Answer], indices: list[int], *, single: bool) -> Decimal:
    """Moodle's rule: the picked choice's fraction, or the sum of the picked choices' fractions."""
    picked = chosen_answers(answers, indices[:1] if single else indices)
    return sum((a.fraction for a in picked), ZERO)


def best_answers_text(answers: list[dict[str, Any]], *, single: bool) -> list[dict[str, Any]]:
    """The right answers of a choice list (dicts of the stored data): every positive one, or the best."""
    top = max((Decimal(str(a.get("fraction", "0"))) for a in answers), default=Decimal(1))
    right = [a for a in answers if Decimal(str(a.get("fraction", "0"))) > 0] if not single else []
    return right or [a for a in answers if Decimal(str(a.get("fraction", "0"))) == top]


def _indices(given: Any) -> list[int]:
    if not isinstance(given, dict):
        return []
    if "choice" in given:
        return [given["choice"]] if isinstance(given["choice"], int) else []
    return [i for i in given.get("choices", []) if isinstance(i, int)]


class MultichoiceType(QuestionType):
    qtype = ir.QuestionType.MULTICHOICE
    feedback_per_part = True

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        n = len(data.get("answers", []))
        shuffle = shuffle_answers and data.get("shuffle_answers", True)
        return {"choices": shuffled(n, rng) if shuffle else list(range(n))}

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        answers = data.get("answers", [])
        view["single"] = bool(data.get("single", True))
        view["choices"] = [
            {"key": str(pos), "text": render_inline(answers[i]["text"], answers[i].get("format"))}
            for pos, i in enumerate(layout.get("choices", []))
        ]
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        response = response or {}
        picked = {response.get("choice")} | set(response.get("choices", []))
        for choice in view["choices"]:
            choice["checked"] = choice["key"] in picked
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        if data.get("single", True):
            return {"choice": post.get(prefix, "")}
        return {"choices": post.getlist(prefix)}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        valid = display_keys(len(layout.get("choices", [])))
        if data.get("single", True):
            choice = raw.get("choice")
            if choice in (None, ""):
                return None
            if str(choice) not in valid:
                raise ResponseError(_("Diese Auswahl gibt es nicht."))
            return {"choice": str(choice)}
        choices = raw.get("choices")
        if not isinstance(choices, list) or not {str(c) for c in choices} <= valid:
            raise ResponseError(_("Diese Auswahl gibt es nicht."))
        picked = sorted({str(c) for c in choices}, key=int)
        return {"choices": picked} if picked else None

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        if response is None:
            return None
        order = layout["choices"]
        if "choice" in response:
            return {"choice": order[int(response["choice"])]}
        return {"choices": sorted(order[int(k)] for k in response["choices"])}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=clamp(choice_fraction(question.answers, _indices(given), single=question.single)))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        return [render_feedback(a.feedback) for a in chosen_answers(question.answers, _indices(given))]

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        return [
            AnswerPart(
                _("Ihre Wahl:"),
                f"„{strip_tags(answer.text)}“",
                "correct" if answer.fraction > 0 else "wrong",
                render_feedback(answer.feedback),
            )
            for answer in chosen_answers(question.answers, _indices(given))
        ]

    editor_fields: ClassVar[tuple[str, ...]] = ("single", "shuffle_answers")
    row_fields: ClassVar[tuple[str, ...]] = ("text", "fraction", "feedback")

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.answers = answers_from_rows(base, rows, fmt, fmt)

    def correct_answers(self, data: Data) -> list[str]:
        return [
            a.get("text", "") for a in best_answers_text(data.get("answers", []), single=bool(data.get("single", True)))
        ]
