"""True/false: two fixed choices, "Wahr" and "Falsch"; the authored answers "true"/"false" hold the fractions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from courses.questions.formats import ir

from .base import (
    Data,
    FormData,
    Layout,
    QuestionType,
    Response,
    ResponseError,
    Score,
    View,
    clamp,
    fraction_of,
    kept_text,
    render_feedback,
)


def _chosen(question: ir.Question, given: Any) -> ir.Answer | None:
    if not isinstance(given, dict) or not isinstance(given.get("value"), bool):
        return None
    wanted = "true" if given["value"] else "false"
    return next((a for a in question.answers if a.text == wanted), None)


class TrueFalseType(QuestionType):
    qtype = ir.QuestionType.TRUEFALSE

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        view["choices"] = [{"key": "true", "text": _("Wahr")}, {"key": "false", "text": _("Falsch")}]
        view["single"] = True
        return view

    def fill_form(self, view: View, response: Response | None) -> View:
        value = (response or {}).get("value")
        for choice in view["choices"]:
            choice["checked"] = value is not None and choice["key"] == ("true" if value else "false")
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"value": post.get(prefix, "")}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        value = raw.get("value")
        if value in (None, ""):
            return None
        if isinstance(value, str) and value in ("true", "false"):
            value = value == "true"
        if not isinstance(value, bool):
            raise ResponseError(_("Bitte wählen Sie „Wahr“ oder „Falsch“."))
        return {"value": value}

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=clamp(fraction_of(_chosen(question, given))))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        chosen = _chosen(question, given)
        return [render_feedback(chosen.feedback)] if chosen else []

    editor_fields = ("correct_true", "feedback_true", "feedback_false")

    def new_content(self) -> ir.Question:
        content = super().new_content()
        content.penalty = Decimal(1)
        return content

    def editor_initial(self, content: ir.Question) -> dict[str, Any]:
        if not content.answers:
            return {}
        true_answer = next((a for a in content.answers if a.text == "true"), content.answers[0])
        false_answer = next((a for a in content.answers if a.text == "false"), content.answers[-1])
        return {
            "correct_true": "true" if true_answer.fraction == 1 else "false",
            "feedback_true": true_answer.feedback.text,
            "feedback_false": false_answer.feedback.text,
        }

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        correct_true = data["correct_true"]
        old = {a.text: a for a in base.answers}
        q.answers = [
            ir.Answer(
                value,
                Decimal(1 if correct_true == (value == "true") else 0),
                kept_text(old[value].feedback if value in old else None, data[f"feedback_{value}"], fmt),
                old[value].format if value in old else ir.TextFormat.MOODLE,
            )
            for value in ("true", "false")
        ]

    def correct_answers(self, data: Data) -> list[str]:
        right = next((a for a in data.get("answers", []) if Decimal(str(a.get("fraction", "0"))) == 1), None)
        return [{"true": _("Wahr"), "false": _("Falsch")}.get(right["text"], "")] if right else []
