"""Description: a text between questions; nothing to answer, nothing to score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from courses.questions.formats import ir

from .base import Data, Layout, QuestionType, Response, Score


class DescriptionType(QuestionType):
    qtype = ir.QuestionType.DESCRIPTION
    scored = False
    graded_automatically = False

    def clean(self, data: Data, layout: Layout, raw: Any) -> Response | None:
        return None

    def new_content(self) -> ir.Question:
        content = super().new_content()
        content.default_mark = Decimal(0)
        return content

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=None)
