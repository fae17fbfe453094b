"""Lesson blocks of the assessment app: practice questions inside a lesson.

Practice is not graded and keeps no record: it counts through the lesson that holds it
(DESIGN.md, "Activities are pages"). Answers are still checked on the server, so the page
carries no answer key; the check shows feedback and the right answer at once.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def question_choices() -> list[tuple[str, str]]:
    """Bank questions an editor may put into a lesson (evaluated when the editor opens the form)."""
    from .models import Question

    rows = (
        Question.objects.filter(is_archived=False, current_version__isnull=False)
        .exclude(current_version__qtype__in=["essay", "description"])
        .select_related("category", "current_version")
        .order_by("category__path", "current_version__name")
    )
    return [(str(q.pk), f"{q.category.name}: {q.current_version.name}") for q in rows]


class PracticeQuestionsBlock(blocks.StructBlock):
    """Practice questions from the question bank; learners check each answer on the spot."""

    title = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=150, default=_("Zum Üben"))
    questions = blocks.ListBlock(
        blocks.ChoiceBlock(choices=question_choices, label=_("Frage")),
        label=_("Fragen"),
        min_num=1,
        max_num=10,
    )

    class Meta:
        icon = "help"
        label = _("Übungsfragen")
        template = "blocks/practice_questions.html"
        description = _("Fragen aus der Fragensammlung zum Üben: ohne Bewertung, mit sofortiger Rückmeldung.")
        preview_value = {"title": "Zum Üben", "questions": []}

    def get_context(self, value, parent_context=None):
        from .practice import practice_items

        context = super().get_context(value, parent_context=parent_context)
        ids = [int(pk) for pk in value["questions"]]
        context["items"] = practice_items(question_ids=ids, seed=secrets.token_hex(8))
        return context
