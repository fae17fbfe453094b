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

    def correct_answers(self, data: Data) -> list[str]:
        right = next((a for a in data.get("answers", []) if Decimal(str(a.get("fraction", "0"))) == 1), None)
        return [{"true": _("Wahr"), "false": _("Falsch")}.get(right["text"], "")] if right else []
