"""Lesson blocks of the assessment app: practice questions inside a lesson.

Practice is not graded and keeps no record: it counts through the lesson that holds it
(DESIGN.md, "Activities are pages"). Answers are still checked on the server, so the page
carries no answer key; the check shows feedback and the right answer at once.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def question_choices() -> list[tuple[str, str]]:
    """Bank questions an editor may put into a lesson: only from practice categories.

    Evaluated when the editor opens the form. Practice shows the right answer, so questions of
    graded quizzes (any category not marked for practice) are never offered.
    """
    from courses.questions.models import Question

    rows = (
        Question.objects.filter(is_archived=False, current_version__isnull=False, category__is_practice=True)
        .exclude(current_version__qtype__in=["essay", "description"])
        .select_related("category", "current_version")
        .order_by("category__path", "current_version__name")
    )
    return [(str(q.pk), f"{q.category.name}: {q.current_version.name}") for q in rows]


class PracticeQuestionChoiceBlock(blocks.ChoiceBlock):
    """One bank question of a practice block, stored as its id (a string, as the choices' keys).

    Wagtail's ChoiceBlock turns a stored value back into a choice key by walking the choices, which
    here means reading every practice question of the bank on each view of a lesson. The stored
    value is already that key, so showing a lesson reads no choices; the editor's form and
    ``clean`` still offer and check against the list.
    """

    def to_python(self, value):
        return None if value is None else str(value)


class PracticeQuestionsBlock(blocks.StructBlock):
    """Practice questions from the question bank; learners check each answer on the spot."""

    title = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=150, default=_("Zum Üben"))
    questions = blocks.ListBlock(
        PracticeQuestionChoiceBlock(choices=question_choices, label=_("Frage")),
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

    def clean(self, value):
        from courses.questions.practice import practice_questions

        value = super().clean(value)
        ids = [int(pk) for pk in value["questions"]]
        allowed = practice_questions(question_ids=ids)
        refused = [pk for pk in ids if pk not in allowed]
        if refused:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "questions": ValidationError(
                        _(
                            "Nur Fragen aus Kategorien „Für Übungsfragen“ dürfen in Lektionen stehen "
                            "(Übungen zeigen die Lösung). Nicht erlaubt: Frage %(ids)s."
                        )
                        % {"ids": ", ".join(str(pk) for pk in refused)}
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        from courses.questions.practice import practice_items

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request = parent_context.get("request")
        user = getattr(request, "user", None) if request is not None else None
        lesson = parent_context.get("page")
        ids = [int(pk) for pk in value["questions"]]
        context["items"] = practice_items(question_ids=ids, seed=secrets.token_hex(8), user=user, lesson=lesson)
        context["can_check"] = bool(user is not None and user.is_authenticated and lesson is not None)
        return context
