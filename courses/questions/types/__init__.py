"""One class per question type (ADR 0013): layout, learner view, answers, scoring, feedback.

``for_question(qtype)`` returns the type's behaviour; each type's rules are in ``<type>.py``,
the contract and the shared helpers in ``base.py``.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext as _

from courses.questions.formats import ir
from lernplattform.core.errors import ValidationFailed

from .base import AnswerPart, Layout, QuestionType, ResponseError, Score, Subquestion, render_text
from .calculated import CalculatedType
from .calculatedsimple import CalculatedsimpleType
from .cloze import ClozeType
from .ddwtos import DdwtosType
from .description import DescriptionType
from .essay import EssayType
from .gapselect import GapselectType
from .matching import MatchingType
from .multichoice import MultichoiceType
from .multichoiceset import MultichoicesetType
from .numerical import NumericalType
from .ordering import OrderingType
from .randomsamatch import RandomsamatchType
from .shortanswer import ShortanswerType
from .truefalse import TrueFalseType

TYPES: dict[ir.QuestionType, QuestionType] = {
    t.qtype: t
    for t in (
        MultichoiceType(),
        MultichoicesetType(),
        TrueFalseType(),
        ShortanswerType(),
        NumericalType(),
        CalculatedsimpleType(),
        CalculatedType(),
        MatchingType(),
        OrderingType(),
        ClozeType(),
        GapselectType(),
        DdwtosType(),
        RandomsamatchType(),
        EssayType(),
        DescriptionType(),
    )
}


def for_question(qtype: ir.QuestionType | str) -> QuestionType:
    """The behaviour of a question type (``ir.QuestionType`` or its value, e.g. ``data["qtype"]``)."""
    try:
        return TYPES[ir.QuestionType(qtype)]
    except ValueError as exc:
        raise ValidationFailed(
            "questions.type_unknown", _("Diesen Fragetyp gibt es nicht: %(qtype)s") % {"qtype": qtype}
        ) from exc


def for_data(data: dict[str, Any]) -> QuestionType:
    """The behaviour of a stored question version's data."""
    return for_question(data.get("qtype", ""))


def seeded_layout(data: dict[str, Any], *, seed: str, pool: list[Subquestion] | None = None) -> Layout:
    """A layout the same seed always rebuilds: practice questions and previews store none.

    ``pool``: the bank's candidates of a type that draws other questions (``draws_subquestions``).
    """
    rng = random.Random(seed)  # noqa: S311 - presentation order, not security
    return for_data(data).layout_drawn(data, pool=pool or [], shuffle_answers=True, rng=rng)


def preview_seed(version_pk: int) -> str:
    """The seed of a version's preview (bank admin and API show the same order)."""
    return f"preview:{version_pk}"


__all__ = [
    "TYPES",
    "AnswerPart",
    "QuestionType",
    "ResponseError",
    "Score",
    "Subquestion",
    "for_data",
    "for_question",
    "preview_seed",
    "render_text",
    "seeded_layout",
]
