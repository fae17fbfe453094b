"""Short answer: typed text compared with the authored answers, Moodle's ``*`` wildcard, first match wins."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from courses.questions.formats import ir

from .base import (
    MAX_TEXT,
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


def wildcard_match(response: str, pattern: str, *, case_sensitive: bool) -> bool:
    """Moodle's short-answer comparison: ``*`` matches anything, ``\\*`` a star."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response).strip()
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regex, response, flags | re.DOTALL) is not None


def text_answer(answers: list[ir.Answer], text: Any, *, case_sensitive: bool) -> ir.Answer | None:
    """The first authored answer the text matches (the one that scores and gives feedback)."""
    if not isinstance(text, str) or not text.strip():
        return None
    return next((a for a in answers if wildcard_match(text, a.text, case_sensitive=case_sensitive)), None)


def _text(given: Any) -> Any:
    return given.get("text", "") if isinstance(given, dict) else None


class ShortanswerType(QuestionType):
    qtype = ir.QuestionType.SHORTANSWER

    def fill_form(self, view: View, response: Response | None) -> View:
        view["value"] = (response or {}).get("text", "")
        view["unit"] = (response or {}).get("unit", "")
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"text": post.get(prefix, "")}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        text = clean_text(raw.get("text", ""), MAX_TEXT)
        return {"text": text} if text.strip() else None

    def _matched(self, question: ir.Question, given: Any) -> ir.Answer | None:
        return text_answer(question.answers, _text(given), case_sensitive=question.case_sensitive)

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=clamp(fraction_of(self._matched(question, given))))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        matched = self._matched(question, given)
        return [render_feedback(matched.feedback)] if matched else []

    editor_fields = ("case_sensitive",)
    row_fields = ("text", "fraction", "feedback")

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.answers = answers_from_rows(base, rows, fmt, ir.TextFormat.MOODLE)

    def correct_answers(self, data: Data) -> list[str]:
        return [
            a.get("text", "") for a in best_answers_text(data.get("answers", []), single=bool(data.get("single", True)))
        ]
