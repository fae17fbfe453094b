"""Writes on the question bank. Questions and versions change only here."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lernplattform.accounts.models import User
from lernplattform.core.tasks import enqueue, enqueue_on_commit

from .formats import FormatError, ir, read_questions, write_gift, write_moodle_xml
from .formats.ir import ParseResult, UnsupportedItem
from .models import Question, QuestionCategory, QuestionImport, QuestionVersion
from .sanitize import clean_markup, sanitize_question
from .selectors import category_children, category_subtree, questions_in_categories


class UnsupportedQuestionsError(Exception):
    """A well-formed file holding question types we do not support."""

    def __init__(self, items: list[UnsupportedItem]) -> None:
        self.items = items
        listing = "; ".join(f"Zeile {i.line}: „{i.name}“ ({i.label})" for i in items)
        super().__init__(
            f"Die Datei enthält {len(items)} Frage(n) nicht unterstützter Typen: {listing}. "
            "Nichts wurde importiert. Mit „nicht unterstützte überspringen“ wird der Rest importiert."
        )


@dataclass
class ImportReport:
    created: list[Question] = field(default_factory=list)
    categories_created: list[QuestionCategory] = field(default_factory=list)
    skipped: list[UnsupportedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- categories ------------------------------------------------------------------


def category_create(*, name: str, parent: QuestionCategory | None = None, description: str = "") -> QuestionCategory:
    name = " ".join(name.split())
    if not name:
        raise ValueError("Eine Kategorie braucht einen Namen.")
    existing = category_children(parent=parent).filter(name=name).first()
    if existing:
        return existing
    fields = {"name": name, "description": clean_markup(description)}
    if parent is None:
        return QuestionCategory.add_root(**fields)
    # treebeard updates the parent's child count: reload it to avoid stale trees.
    return QuestionCategory.objects.get(pk=parent.pk).add_child(**fields)


def category_update(*, category: QuestionCategory, name: str, description: str = "") -> QuestionCategory:
    name = " ".join(name.split())
    if not name:
        raise ValueError("Eine Kategorie braucht einen Namen.")
    parent = category.get_parent(update=True)
    if category_children(parent=parent).filter(name=name).exclude(pk=category.pk).exists():
        raise ValueError(f"Auf dieser Ebene gibt es schon eine Kategorie „{name}“.")
    category.name = name
    category.description = clean_markup(description)
    category.save(update_fields=["name", "description"])
    return category


@transaction.atomic
def category_delete(*, category: QuestionCategory) -> None:
    """Delete a category with its subcategories, but only while none holds a question."""
    subtree = QuestionCategory.objects.filter(path__startswith=category.path)
    if Question.objects.filter(category__in=subtree).exists():
        raise ValueError(
            "Die Kategorie oder eine Unterkategorie enthält Fragen; verschieben oder archivieren reicht nicht."
        )
    QuestionCategory.objects.get(pk=category.pk).delete()


def category_get_or_create_path(
    *, root: QuestionCategory, path: list[str], created: list[QuestionCategory] | None = None
) -> QuestionCategory:
    """The category at ``path`` below ``root``, creating what is missing."""
    node = root
    for name in path:
        child = category_children(parent=node).filter(name=name).first()
        if child is None:
            child = category_create(name=name, parent=node)
            if created is not None:
                created.append(child)
        node = child
    return node


def category_root_get_or_create(*, name: str) -> QuestionCategory:
    """A top-level category by name (the command line's ``--category NAME``).

    ``A/B`` addresses a subcategory; missing levels are created.
    """
    path = ir.split_category_path(name)
    if not path:
        raise ValueError("Bitte einen Kategorienamen angeben.")
    root = category_create(name=path[0])
    return category_get_or_create_path(root=root, path=path[1:])


# --- questions -------------------------------------------------------------------


def _prepared(content: ir.Question) -> ir.Question:
    """Sanitised copy without what lives outside a version (tags, category)."""
    clean = sanitize_question(content)
    clean.tags = []
    clean.category_path = []
    clean.source_line = None
    return clean


def _new_version(*, question: Question, content: ir.Question, user: User | None, number: int) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        qtype=content.qtype.value,
        name=content.name[:255],
        text=content.text.text,
        default_mark=content.default_mark,
        data=ir.question_to_dict(content),
        created_by=user if user and user.is_authenticated else None,
    )


def _validate(content: ir.Question) -> None:
    if not content.name.strip():
        raise ValueError("Eine Frage braucht einen Namen.")
    if content.qtype in (ir.QuestionType.MULTICHOICE, ir.QuestionType.ORDERING) and len(content.answers) < 2:
        raise ValueError("Diese Frage braucht mindestens zwei Antworten.")
    if content.qtype in (ir.QuestionType.SHORTANSWER, ir.QuestionType.NUMERICAL) and not content.answers:
        raise ValueError("Diese Frage braucht mindestens eine Antwort.")
    if content.qtype is ir.QuestionType.CLOZE and not content.cloze_parts:
        raise ValueError("Ein Lückentext braucht mindestens eine Lücke.")


@transaction.atomic
def question_create(
    *, category: QuestionCategory, content: ir.Question, user: User | None = None, tags: list[str] | None = None
) -> Question:
    _validate(content)
    question = Question.objects.create(category=category, created_by=user if user and user.is_authenticated else None)
    version = _new_version(question=question, content=_prepared(content), user=user, number=1)
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    tag_names = tags if tags is not None else content.tags
    if tag_names:
        question.tags.set(tag_names)
    return question


@transaction.atomic
def question_update(
    *, question: Question, content: ir.Question, user: User | None = None, tags: list[str] | None = None
) -> QuestionVersion:
    """Edit a question: a new version unless the content is unchanged.

    Earlier versions stay as they are; attempts that used them keep them.
    """
    _validate(content)
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_version
    prepared = _prepared(content)
    if tags is not None:
        question.tags.set(tags)
    if current is not None and current.content == prepared:
        return current
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _new_version(question=question, content=prepared, user=user, number=last + 1)
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    return version


def question_move(*, question: Question, category: QuestionCategory) -> Question:
    question.category = category
    question.save(update_fields=["category", "updated_at"])
    return question


def question_archive(*, question: Question, archived: bool = True) -> Question:
    """Hide a question from the bank; its versions stay for attempts that use them."""
    question.is_archived = archived
    question.save(update_fields=["is_archived", "updated_at"])
    return question


# --- import and export ------------------------------------------------------------


def questions_parse(*, content: bytes | str, fmt: str) -> ParseResult:
    """Read a file without saving anything (the preview step). Raises FormatError."""
    result = read_questions(content, fmt=fmt)
    result.questions = [_sanitised_keep_meta(q) for q in result.questions]
    return result


def _sanitised_keep_meta(question: ir.Question) -> ir.Question:
    clean = sanitize_question(question)
    clean.tags = list(question.tags)
    clean.category_path = list(question.category_path)
    clean.source_line = question.source_line
    return clean


def _relative_path(path: list[str], target: QuestionCategory) -> list[str]:
    # A file exported from a category starts its paths with that category's
    # name; importing it back into the same category must not nest it twice.
    if path and path[0] == target.name:
        return path[1:]
    return path


@transaction.atomic
def questions_import(
    *,
    content: bytes | str,
    fmt: str,
    category: QuestionCategory,
    user: User | None = None,
    skip_unsupported: bool = False,
) -> ImportReport:
    """Import a GIFT or Moodle XML file into ``category``: all or nothing.

    Raises FormatError (malformed, with line) or UnsupportedQuestionsError
    (unless ``skip_unsupported``); in both cases nothing is saved.
    """
    parsed = read_questions(content, fmt=fmt)
    if parsed.unsupported and not skip_unsupported:
        raise UnsupportedQuestionsError(parsed.unsupported)
    report = ImportReport(skipped=list(parsed.unsupported), warnings=list(parsed.warnings))
    for info in parsed.categories:
        node = category_get_or_create_path(
            root=category, path=_relative_path(info.path, category), created=report.categories_created
        )
        if info.info.text and not node.description:
            node.description = clean_markup(info.info.text)
            node.save(update_fields=["description"])
    for item in parsed.questions:
        target = category_get_or_create_path(
            root=category, path=_relative_path(item.category_path, category), created=report.categories_created
        )
        try:
            report.created.append(question_create(category=target, content=item, user=user))
        except ValueError as exc:
            raise FormatError(str(exc), line=item.source_line) from exc
    return report


def questions_export(*, category: QuestionCategory, fmt: str, include_archived: bool = False) -> ir.ExportResult:
    """Export a category with its subcategories in GIFT or Moodle XML."""
    categories = category_subtree(category=category)
    base_depth = len(category.path_names) - 1
    names_by_pk = {c.pk: c.path_names[base_depth:] for c in categories}
    questions = questions_in_categories(categories=categories, include_archived=include_archived)
    contents: list[ir.Question] = []
    for question in questions:
        content = copy.deepcopy(question.current_version.content)
        content.category_path = names_by_pk[question.category_id]
        content.tags = sorted(t.name for t in question.tags.all())
        contents.append(content)
    contents.sort(key=lambda c: c.category_path)
    if fmt == "gift":
        return write_gift(contents)
    if fmt == "moodlexml":
        infos = [
            ir.CategoryInfo(path=names_by_pk[c.pk], info=ir.FormattedText(c.description, ir.TextFormat.HTML))
            for c in categories
        ]
        return write_moodle_xml(contents, infos)
    raise FormatError(f"Unbekanntes Format „{fmt}“ (erlaubt: gift, moodlexml).")


def question_import_start(
    *,
    content: bytes,
    fmt: str,
    category: QuestionCategory,
    file_name: str,
    user: User | None = None,
    skip_unsupported: bool = False,
) -> QuestionImport:
    """Record a confirmed import and hand it to a Celery task (after commit)."""
    from .bank_tasks import question_import_task

    job = QuestionImport.objects.create(
        category=category,
        file_name=file_name[:255],
        file_format=fmt,
        content=content,
        skip_unsupported=skip_unsupported,
        created_by=user if user and user.is_authenticated else None,
    )
    # The job row is the durable part; if the broker is down the reconcile task starts it later.
    enqueue_on_commit(question_import_task, job.pk)
    return job


def question_imports_requeue(*, now=None, older_than_seconds: int = 10 * 60) -> int:
    """Beat: hand pending imports to a worker again when their task was lost (broker down, worker killed).

    Older than the longest an import may run, so a running import is not started twice (and if it
    were, the row lock and the pending check make the second run a no-op).
    """
    from .bank_tasks import question_import_task

    now = now or timezone.now()
    ids = list(
        QuestionImport.objects.filter(
            status=QuestionImport.Status.PENDING, created_at__lte=now - datetime.timedelta(seconds=older_than_seconds)
        ).values_list("pk", flat=True)[:100]
    )
    for job_id in ids:
        enqueue(question_import_task, job_id)
    return len(ids)


def question_import_run(*, job_id: int) -> QuestionImport | None:
    """Run a recorded import once: a job that is no longer pending is left alone."""
    with transaction.atomic():
        job = QuestionImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != QuestionImport.Status.PENDING:
            return job
        try:
            with transaction.atomic():
                report = questions_import(
                    content=bytes(job.content),
                    fmt=job.file_format,
                    category=job.category,
                    user=job.created_by,
                    skip_unsupported=job.skip_unsupported,
                )
        except (FormatError, UnsupportedQuestionsError) as exc:
            job.status = QuestionImport.Status.FAILED
            job.report = {"error": str(exc), "line": getattr(exc, "line", None)}
            job.content = b""  # refused files are not kept
        else:
            job.status = QuestionImport.Status.DONE
            job.report = {
                "created": len(report.created),
                "categories_created": len(report.categories_created),
                "skipped": [{"line": i.line, "name": i.name, "label": i.label} for i in report.skipped],
                "warnings": report.warnings,
            }
            job.content = b""  # imported: the bank holds it now
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "content", "finished_at"])
        return job
