from decimal import Decimal

import factory

from courses.questions.formats import ir
from courses.questions.models import QuestionCategory
from courses.questions.services import category_create, question_create


class QuestionCategoryFactory(factory.Factory):
    """Categories are tree nodes; they are made through the service."""

    class Meta:
        model = QuestionCategory

    name = factory.Sequence(lambda n: f"Kategorie {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *, name, parent=None, **kwargs):
        return category_create(name=name, parent=parent)

    _build = _create


def multichoice_content(name: str = "Hauptstadt", **overrides) -> ir.Question:
    content = ir.Question(
        qtype=ir.QuestionType.MULTICHOICE,
        name=name,
        text=ir.FormattedText("<p>Welche Stadt ist die Hauptstadt?</p>"),
        answers=[
            ir.Answer("Berlin", Decimal(1), ir.FormattedText("Richtig.")),
            ir.Answer("Bonn", Decimal(0), ir.FormattedText("Nein.")),
        ],
    )
    for key, value in overrides.items():
        setattr(content, key, value)
    return content


def make_question(*, category=None, content=None, tags=None, user=None):
    category = category or QuestionCategoryFactory()
    return question_create(category=category, content=content or multichoice_content(), tags=tags, user=user)
