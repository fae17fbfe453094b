"""Essay: free text that a trainer grades; the server scores nothing."""

from __future__ import annotations

from typing import Any

from courses.questions.formats import ir

from .base import MAX_ESSAY, Data, FormData, Layout, QuestionType, Response, Score, View, clean_text, kept_text


class EssayType(QuestionType):
    qtype = ir.QuestionType.ESSAY
    graded_automatically = False

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        view["lines"] = data.get("response_field_lines", 15)
        view["min_words"] = data.get("min_word_limit")
        view["max_words"] = data.get("max_word_limit")
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        view["value"] = (response or {}).get("text", "")
        view["unit"] = ""
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"text": post.get(prefix, "")}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        text = clean_text(raw.get("text", ""), MAX_ESSAY)
        return {"text": text} if text.strip() else None

    editor_fields = ("response_field_lines", "grader_info")

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.response_field_lines = data["response_field_lines"]
        q.grader_info = kept_text(base.grader_info, data.get("grader_info", ""), ir.TextFormat.HTML)

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=None, needs_manual_grading=True)
