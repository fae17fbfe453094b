"""Demo question bank, loaded from the files under ``content/demo/fragen/``.

The question files go through the import's own reader (``questions_parse``) and the bank's
services, as a trainer's upload does (``demo_files``). Every file is read and checked before
anything is written. The demo quizzes follow in ``demo_quizzes``, after the lessons.

Idempotent: a question is found by its category and its name. Unchanged, it stays as it is;
changed in its file, it gets a new version (``question_update``, as an edit in the bank does);
new, it is created. Questions taken out of the files stay in the bank.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from courses.catalog.demo_files import DemoContentError
from courses.questions.formats import ir
from courses.questions.models import Question, QuestionCategory, QuestionEvent
from lernplattform.core.errors import ValidationFailed

from .demo_files import BankCategory, load_bank, relative_path
from .services import category_create, category_update, question_create, question_update

SEED = QuestionEvent.Source.SEED


def _node(top: QuestionCategory, path: list[str], *, practice: bool) -> QuestionCategory:
    node = top
    for name in path:
        node = category_create(name=name, parent=node, is_practice=practice, source=SEED)
    return node


def _top(category: BankCategory) -> QuestionCategory:
    top = category_create(
        name=category.name, description=category.description, is_practice=category.practice, source=SEED
    )
    if top.is_practice != category.practice or top.description != category.description:
        try:
            top = category_update(
                category=top,
                name=top.name,
                description=category.description,
                is_practice=category.practice,
                source=SEED,
            )
        except ValidationFailed as error:
            raise DemoContentError(category.path, error.message) from None
    return top


def _question_put(node: QuestionCategory, content: ir.Question) -> str:
    """Create the question or bring it up to its file: "created", "updated" or "unchanged"."""
    existing = (
        Question.objects.filter(category=node, current_version__name=content.name[:255])
        .select_related("current_version")
        .order_by("pk")
        .first()
    )
    if existing is None:
        question_create(category=node, content=content, source=SEED)
        return "created"
    before = existing.current_version_id
    version = question_update(question=existing, content=content, tags=list(content.tags), source=SEED)
    return "unchanged" if version.pk == before else "updated"


def seed_bank(bank: list[BankCategory]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for category in bank:
        top = _top(category)
        for file in category.files:
            for info in file.categories:
                _node(top, relative_path(info.path, top.name), practice=category.practice)
            for content in file.questions:
                node = _node(top, relative_path(content.category_path, top.name), practice=category.practice)
                try:
                    counts[_question_put(node, content)] += 1
                except ValidationFailed as error:
                    raise DemoContentError(file.path, error.message, line=content.source_line) from None
    return counts


@transaction.atomic
def seed(*, stdout, root: Path | None = None) -> None:
    # Read and check every question file first: a broken one stops the seed before anything is written.
    bank = load_bank(root)
    questions = seed_bank(bank)
    stdout.write(
        f"  Fragensammlung: {questions['created']} neue und {questions['updated']} geänderte Fragen "
        f"in {len(bank)} Kategorien"
    )
