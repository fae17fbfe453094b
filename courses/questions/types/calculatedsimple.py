"""Simple calculated questions (Moodle's qtype_calculatedsimple): a calculated question of its own datasets.

Moodle stores it like a calculated question, with "synthetic" datasets that are always private to
the question (none shared with the category); learners play and are scored exactly as there.
"""

from __future__ import annotations

from typing import ClassVar

from courses.questions.formats import ir

from .calculated import CalculatedType


class CalculatedsimpleType(CalculatedType):
    """The same view, scoring and feedback as calculated (qtype_calculatedsimple_question extends it)."""

    qtype = ir.QuestionType.CALCULATEDSIMPLE
    shared_datasets: ClassVar[bool] = False
