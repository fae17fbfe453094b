"""All-or-nothing multiple choice (Moodle's qtype_multichoiceset): check boxes, full marks only for the exact set.

The data is a multiple-choice question's: each answer's fraction is 1 (belongs to the right set)
or 0. Learners see check boxes, as with a multiple-answer multiple choice question.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from courses.questions.formats import ir

from .base import (
    ONE,
    ZERO,
    AnswerPart,
    Data,
    FormData,
    Layout,
    Response,
    Score,
    View,
    kept_text,
    render_feedback,
)
from .multichoice import MultichoiceType, chosen_answers


def right_set(answers: list[ir.Answer]) -> set[int]:
    """The indices of the choices that belong to the right set (Moodle: a fraction that is not "incorrect")."""
    return {i for i, a in enumerate(answers) if a.fraction > 0}


def all_or_nothing(answers: list[ir.Answer], indices: list[int]) -> Decimal:
    """Moodle's rule (qtype_multichoiceset_question::grade_response, described in our words).

    Count the picked choices that are right and those that are not; the question earns 1 only if
    no wrong choice is picked and the number of right picks equals the number of right choices –
    anything else, however close, earns 0. There are no partial marks and no negative ones.
    """
    picked = {i for i in indices if 0 <= i < len(answers)}
    right = right_set(answers)
    num_right = len(picked & right)
    num_wrong = len(picked) - num_right
    return ONE if num_wrong == 0 and num_right == len(right) and picked else ZERO


def _indices(given: Any) -> list[int]:
    if not isinstance(given, dict):
        return []
    return [i for i in given.get("choices", []) if isinstance(i, int)]


class MultichoicesetType(MultichoiceType):
    qtype = ir.QuestionType.MULTICHOICESET
    # The per-choice feedback is part of ``feedback`` next to the combined feedback (right / wrong),
    # so the review shows both; the parts carry only right or wrong per picked choice.
    feedback_per_part = False

    def learner_view(self, data: Data, layout: Layout) -> View:
        view = super().learner_view(data, layout)
        view["single"] = False
        return view

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        return {"choices": post.getlist(prefix)}

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        return super().clean_dict({**data, "single": False}, layout, raw)

    def score_given(self, question: ir.Question, given: Any) -> Score:
        return Score(fraction=all_or_nothing(question.answers, _indices(given)))

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        indices = _indices(given)
        per_choice = [render_feedback(a.feedback) for a in chosen_answers(question.answers, indices)]
        right = all_or_nothing(question.answers, indices) == ONE
        combined = question.correct_feedback if right else question.incorrect_feedback
        return [*per_choice, render_feedback(combined)]

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        return [
            AnswerPart(_("Ihre Wahl:"), f"„{strip_tags(answer.text)}“", "correct" if answer.fraction > 0 else "wrong")
            for answer in chosen_answers(question.answers, _indices(given))
        ]

    def correct_answers(self, data: Data) -> list[str]:
        return [a.get("text", "") for a in data.get("answers", []) if Decimal(str(a.get("fraction", "0"))) > 0]

    # Editor: a "Richtig" check box per row instead of a fraction (Moodle's form has the same).
    editor_fields: ClassVar[tuple[str, ...]] = ("shuffle_answers",)
    row_fields: ClassVar[tuple[str, ...]] = ("text", "correct", "feedback")

    def new_content(self) -> ir.Question:
        content = super().new_content()
        content.single = False
        return content

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        return [{"text": a.text, "correct": a.fraction > 0, "feedback": a.feedback.text} for a in content.answers]

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        q.single = False
        q.answers = []
        for i, row in enumerate(rows):
            old = base.answers[i] if i < len(base.answers) else None
            q.answers.append(
                ir.Answer(
                    row["text"],
                    ONE if row.get("correct") else ZERO,
                    kept_text(old.feedback if old else None, row.get("feedback", ""), fmt),
                    old.format if old and old.text == row["text"] else fmt,
                )
            )
