"""Writes on the question bank. Questions and versions change only here."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.questions.formats import FormatError, formula, ir, read_questions, write_gift, write_moodle_xml
from courses.questions.formats.grades import invalid_fractions, invalid_grade_message, question_grades_normalise
from courses.questions.formats.ir import ParseResult, UnsupportedItem
from courses.questions.models import Question, QuestionCategory, QuestionEvent, QuestionImport, QuestionVersion
from courses.questions.sanitize import clean_markup, sanitize_question
from lernplattform.accounts.models import User
from lernplattform.core.errors import ApplicationError, Conflict, NotFound, NotPermitted, ValidationFailed
from lernplattform.core.tasks import enqueue, enqueue_on_commit

from .embedded_files import embedded_images_export, embedded_images_store
from .permissions import (
    BankAction,
    course_ids_editable,
    user_is_bank_admin,
    user_may_category,
    user_may_question,
    user_may_use_bank,
)
from .selectors import category_children, category_subtree, questions_in_categories

logger = logging.getLogger(__name__)


class UnsupportedQuestionsError(ValidationFailed):
    """A well-formed file holding question types we do not support (code ``questions.unsupported_types``)."""

    def __init__(self, items: list[UnsupportedItem]) -> None:
        listing = "; ".join(
            _("Zeile %(line)s: „%(name)s“ (%(label)s)") % {"line": i.line, "name": i.name, "label": i.label}
            + (f" – {i.reason}" if i.reason else "")
            for i in items
        )
        super().__init__(
            "questions.unsupported_types",
            _(
                "Die Datei enthält %(count)s Frage(n) nicht unterstützter Typen: %(listing)s. "
                "Nichts wurde importiert. Mit „nicht unterstützte überspringen“ wird der Rest importiert."
            )
            % {"count": len(items), "listing": listing},
        )
        self.items = items


@dataclass
class ImportReport:
    created: list[Question] = field(default_factory=list)
    categories_created: list[QuestionCategory] = field(default_factory=list)
    skipped: list[UnsupportedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- permissions, guards, audit -------------------------------------------------------------

Source = QuestionEvent.Source
Kind = QuestionEvent.Kind

# Checks the layers above the bank (quizzes) add to a change: called with the acting user and the
# question or category, they raise an ApplicationError to refuse. Registered in AppConfig.ready,
# so the bank never imports the quiz app (DESIGN.md layers: questions below assessment).
QUESTION_CHANGE_GUARDS: list[Callable[..., None]] = []
PRACTICE_MARK_GUARDS: list[Callable[..., None]] = []


def _actor(user: User | None) -> User | None:
    """``None`` is the trusted operator (command line, seed); anyone else is checked."""
    return user if user is not None and user.is_authenticated else None


def _require_category(*, user: User | None, category: QuestionCategory, action: BankAction) -> None:
    if user is None:
        return
    if not user_may_category(user=user, category=category, action=action):
        raise NotPermitted(
            "assessment.category_not_permitted",
            _("Sie dürfen Fragen in der Kategorie „%(category)s“ nicht ändern.") % {"category": category.full_name},
        )


def _guard_question(*, user: User | None, question: Question) -> None:
    _require_category(user=user, category=question.category, action=BankAction.CHANGE)
    for guard in QUESTION_CHANGE_GUARDS:
        guard(user=user, question=question)


def _event(
    *,
    kind: str,
    source: str,
    user: User | None,
    question: Question | None = None,
    version: QuestionVersion | None = None,
    category: QuestionCategory | None = None,
    **details,
) -> QuestionEvent:
    return QuestionEvent.objects.create(
        kind=kind,
        source=source,
        user=_actor(user),
        question=question,
        version=version,
        category=category if category is not None else (question.category if question else None),
        details=details,
    )


# --- categories ------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("assessment.category_name_missing", _("Eine Kategorie braucht einen Namen."))
    return name


@transaction.atomic
def category_create(
    *,
    name: str,
    parent: QuestionCategory | None = None,
    description: str = "",
    course=None,
    owner: User | None = None,
    is_practice: bool = False,
    user: User | None = None,
    source: str = Source.SYSTEM,
) -> QuestionCategory:
    """A category, or the existing one of that name at that level.

    A subcategory belongs to whoever its parent belongs to. A top-level category belongs to
    ``course`` or ``owner``; a trainer creating one without either owns it herself; only the
    platform (no user, or a platform admin) creates shared categories.
    """
    name = _clean_name(name)
    if parent is not None:
        parent = QuestionCategory.objects.get(pk=parent.pk)
        _require_category(user=user, category=parent, action=BankAction.CHANGE)
        course_id, owner_id = parent.course_id, parent.owner_id
    else:
        course_id = course.pk if course is not None else None
        owner_id = owner.pk if owner is not None else None
        if course_id and owner_id:
            raise ValidationFailed(
                "assessment.category_two_owners",
                _("Eine Kategorie gehört entweder einem Kurs oder einer Person, nicht beiden."),
            )
        actor = _actor(user)
        if actor is not None:
            if course_id is None and owner_id is None and not user_is_bank_admin(user=actor):
                owner_id = actor.pk
            if owner_id is not None and owner_id != actor.pk and not user_is_bank_admin(user=actor):
                raise NotPermitted(
                    "assessment.category_owner_not_permitted",
                    _("Kategorien anderer Personen legt nur die Plattformverwaltung an."),
                )
            if course_id is not None and not course_ids_editable(user=actor).filter(pk=course_id).exists():
                raise NotPermitted(
                    "assessment.category_course_not_permitted",
                    _("Sie dürfen für diesen Kurs keine Fragenkategorien anlegen."),
                )
    existing = category_children(parent=parent).filter(name=name).first()
    if existing:
        return existing
    fields = {
        "name": name,
        "description": clean_markup(description),
        "course_id": course_id,
        "owner_id": owner_id,
        "is_practice": is_practice,
    }
    if parent is None:
        category = QuestionCategory.add_root(**fields)
    else:
        # treebeard updates the parent's child count: reload it to avoid stale trees.
        category = QuestionCategory.objects.get(pk=parent.pk).add_child(**fields)
    if is_practice:
        for guard in PRACTICE_MARK_GUARDS:
            guard(category=category)
    _event(kind=Kind.CATEGORY_CREATED, source=source, user=user, category=category, name=category.full_name)
    return category


def category_update(
    *,
    category: QuestionCategory,
    name: str,
    description: str = "",
    is_practice: bool | None = None,
    user: User | None = None,
    source: str = Source.SYSTEM,
) -> QuestionCategory:
    name = _clean_name(name)
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    parent = category.get_parent(update=True)
    if category_children(parent=parent).filter(name=name).exclude(pk=category.pk).exists():
        raise ValidationFailed(
            "assessment.category_name_taken",
            _("Auf dieser Ebene gibt es schon eine Kategorie „%(name)s“.") % {"name": name},
        )
    before = {"name": category.name, "is_practice": category.is_practice}
    if is_practice is not None and is_practice and not category.is_practice:
        for guard in PRACTICE_MARK_GUARDS:
            guard(category=category)
    category.name = name
    category.description = clean_markup(description)
    fields = ["name", "description"]
    if is_practice is not None:
        category.is_practice = is_practice
        fields.append("is_practice")
    category.save(update_fields=fields)
    _event(
        kind=Kind.CATEGORY_CHANGED,
        source=source,
        user=user,
        category=category,
        before=before,
        after={"name": category.name, "is_practice": category.is_practice},
    )
    return category


def category_owner_describe(category: QuestionCategory) -> dict:
    """Whom a category belongs to, as the API and the audit trail state it."""
    if category.course_id:
        return {"kind": "course", "id": category.course_id, "name": category.course.title}
    if category.owner_id:
        return {"kind": "user", "id": category.owner_id, "name": category.owner.full_name or category.owner.email}
    return {"kind": "platform", "id": None, "name": str(_("Plattform"))}


@transaction.atomic
def category_owner_set(
    *,
    category: QuestionCategory,
    course=None,
    owner: User | None = None,
    user: User | None = None,
    source: str = Source.SYSTEM,
) -> QuestionCategory:
    """Hand a top-level category, with its whole subtree, to a course, a trainer or the platform.

    Only platform admins decide whom a category belongs to (the migration gave shared trees to the
    platform and said they can be handed on). Neither argument: back to the platform. A tree never
    mixes owners, so subcategories follow their top-level category. Quizzes of other courses keep
    drawing from it; their questions stay protected by the guard on edits a quiz uses elsewhere.
    """
    actor = _actor(user)
    if actor is not None and not user_is_bank_admin(user=actor):
        raise NotPermitted(
            "assessment.category_owner_not_permitted",
            _("Wem eine Kategorie gehört, legt nur die Plattformverwaltung fest."),
        )
    if course is not None and owner is not None:
        raise ValidationFailed(
            "assessment.category_two_owners",
            _("Eine Kategorie gehört entweder einem Kurs oder einer Person, nicht beiden."),
        )
    # Only the category row: PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
    locked = (
        QuestionCategory.objects.select_for_update(of=("self",)).select_related("course", "owner").get(pk=category.pk)
    )
    if locked.depth > 1:
        root = QuestionCategory.objects.get(path=locked.path[: QuestionCategory.steplen])
        raise ValidationFailed(
            "assessment.category_owner_subcategory",
            _("Eine Unterkategorie gehört, wem ihre oberste Kategorie gehört. Ändern Sie die Zuordnung bei „%(root)s“.")
            % {"root": root.name},
        )
    if owner is not None and not (owner.is_active and user_may_use_bank(user=owner)):
        raise ValidationFailed(
            "assessment.category_owner_not_trainer",
            _("%(person)s ist weder Trainer/in noch in der Plattformverwaltung und kann keine Fragen verwalten.")
            % {"person": owner.full_name or owner.email},
        )
    wanted = (course.pk if course is not None else None, owner.pk if owner is not None else None)
    if (locked.course_id, locked.owner_id) == wanted:
        return locked
    before = category_owner_describe(locked)
    QuestionCategory.objects.filter(path__startswith=locked.path).update(course_id=wanted[0], owner_id=wanted[1])
    locked = QuestionCategory.objects.select_related("course", "owner").get(pk=locked.pk)
    _event(
        kind=Kind.CATEGORY_CHANGED,
        source=source,
        user=user,
        category=locked,
        before={"owner": before},
        after={"owner": category_owner_describe(locked)},
    )
    return locked


@transaction.atomic
def category_delete(*, category: QuestionCategory, user: User | None = None, source: str = Source.SYSTEM) -> None:
    """Delete a category with its subcategories, but only while none holds a question."""
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    subtree = QuestionCategory.objects.filter(path__startswith=category.path)
    if Question.objects.filter(category__in=subtree).exists():
        raise Conflict(
            "assessment.category_not_empty",
            _("Die Kategorie oder eine Unterkategorie enthält Fragen; verschieben oder archivieren reicht nicht."),
        )
    _event(kind=Kind.CATEGORY_DELETED, source=source, user=user, name=category.full_name)
    QuestionCategory.objects.get(pk=category.pk).delete()


def category_get_or_create_path(
    *,
    root: QuestionCategory,
    path: list[str],
    created: list[QuestionCategory] | None = None,
    user: User | None = None,
    source: str = Source.SYSTEM,
) -> QuestionCategory:
    """The category at ``path`` below ``root``, creating what is missing."""
    node = root
    for name in path:
        child = category_children(parent=node).filter(name=name).first()
        if child is None:
            child = category_create(name=name, parent=node, user=user, source=source)
            if created is not None:
                created.append(child)
        node = child
    return node


def category_root_get_or_create(*, name: str, source: str = Source.COMMAND) -> QuestionCategory:
    """A top-level category by name (the command line's ``--category NAME``).

    ``A/B`` addresses a subcategory; missing levels are created (shared platform categories).
    """
    path = ir.split_category_path(name)
    if not path:
        raise ValidationFailed("assessment.category_name_missing", _("Bitte einen Kategorienamen angeben."))
    root = category_create(name=path[0], source=source)
    return category_get_or_create_path(root=root, path=path[1:], source=source)


# --- questions -------------------------------------------------------------------


def _prepared(content: ir.Question) -> ir.Question:
    """Sanitised copy without what lives outside a version (tags, category)."""
    clean = sanitize_question(content)
    # _validate let only grades through that match Moodle's list; store the listed values.
    question_grades_normalise(clean)
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
        created_by=_actor(user),
    )


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed("assessment.question_invalid", message)


def _validate(content: ir.Question) -> None:
    if not content.name.strip():
        raise _invalid(_("Eine Frage braucht einen Namen."))
    choice_types = (ir.QuestionType.MULTICHOICE, ir.QuestionType.MULTICHOICESET, ir.QuestionType.ORDERING)
    if content.qtype in choice_types and len(content.answers) < 2:
        raise _invalid(_("Diese Frage braucht mindestens zwei Antworten."))
    if content.qtype is ir.QuestionType.MULTICHOICESET and not any(a.fraction > 0 for a in content.answers):
        raise _invalid(_("Kreuzen Sie mindestens eine Antwort als richtig an."))
    if content.qtype in (ir.QuestionType.SHORTANSWER, ir.QuestionType.NUMERICAL) and not content.answers:
        raise _invalid(_("Diese Frage braucht mindestens eine Antwort."))
    gap_types = (ir.QuestionType.GAPSELECT, ir.QuestionType.DDWTOS)
    if content.qtype in gap_types and (problem := ir.gap_problem(content)):
        raise _invalid(problem)
    calculated_types = (ir.QuestionType.CALCULATEDSIMPLE, ir.QuestionType.CALCULATED)
    if content.qtype in calculated_types and (problem := formula.calculated_problem(content)):
        raise _invalid(problem)
    if content.qtype is ir.QuestionType.CLOZE and not content.cloze_parts:
        raise _invalid(_("Ein Lückentext braucht mindestens eine Lücke."))
    if content.qtype is ir.QuestionType.RANDOMSAMATCH and content.choose < 2:
        raise _invalid(_("Eine zufällige Kurzantwortzuordnung zieht mindestens zwei Kurzantwortfragen."))
    # The bank holds only what Moodle would import: an export must never carry a grade Moodle refuses.
    if bad := invalid_fractions(content):
        raise _invalid(invalid_grade_message(name=content.name, fraction=bad[0]))


@transaction.atomic
def question_create(
    *,
    category: QuestionCategory,
    content: ir.Question,
    user: User | None = None,
    tags: list[str] | None = None,
    source: str = Source.SYSTEM,
) -> Question:
    _validate(content)
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    question = Question.objects.create(category=category, created_by=_actor(user))
    version = _new_version(question=question, content=_prepared(content), user=user, number=1)
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    tag_names = tags if tags is not None else content.tags
    if tag_names:
        question.tags.set(tag_names)
    _event(kind=Kind.CREATED, source=source, user=user, question=question, version=version)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    content: ir.Question,
    user: User | None = None,
    tags: list[str] | None = None,
    source: str = Source.SYSTEM,
) -> QuestionVersion:
    """Edit a question: a new version unless the content is unchanged.

    Earlier versions stay as they are; attempts that used them keep them. Quizzes keep drawing
    their released version until the course's release approves the new one (release_services).
    """
    _validate(content)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("category", "current_version")
        .get(pk=question.pk)
    )
    _require_category(user=user, category=question.category, action=BankAction.CHANGE)
    current = question.current_version
    prepared = _prepared(content)
    if tags is not None:
        old_tags = sorted(t.name for t in question.tags.all())
        question.tags.set(tags)
        new_tags = sorted(t.name for t in question.tags.all())
        if old_tags != new_tags:
            _event(kind=Kind.TAGGED, source=source, user=user, question=question, before=old_tags, after=new_tags)
    if current is not None and current.content == prepared:
        return current
    for guard in QUESTION_CHANGE_GUARDS:
        guard(user=user, question=question)
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _new_version(question=question, content=prepared, user=user, number=last + 1)
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    _event(
        kind=Kind.EDITED,
        source=source,
        user=user,
        question=question,
        version=version,
        previous=current.number if current else None,
    )
    return version


@transaction.atomic
def question_move(
    *, question: Question, category: QuestionCategory, user: User | None = None, source: str = Source.SYSTEM
) -> Question:
    question = Question.objects.select_for_update(of=("self",)).select_related("category").get(pk=question.pk)
    if question.category_id == category.pk:
        return question
    _guard_question(user=user, question=question)
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    before = question.category
    question.category = category
    question.save(update_fields=["category", "updated_at"])
    _event(
        kind=Kind.MOVED,
        source=source,
        user=user,
        question=question,
        version=question.current_version,
        before=before.full_name,
        after=category.full_name,
    )
    return question


@transaction.atomic
def question_archive(
    *, question: Question, archived: bool = True, user: User | None = None, source: str = Source.SYSTEM
) -> Question:
    """Hide a question from the bank; its versions stay for attempts that use them."""
    question = Question.objects.select_for_update(of=("self",)).select_related("category").get(pk=question.pk)
    if question.is_archived == archived:
        return question
    _guard_question(user=user, question=question)
    question.is_archived = archived
    question.save(update_fields=["is_archived", "updated_at"])
    _event(
        kind=Kind.ARCHIVED if archived else Kind.RESTORED,
        source=source,
        user=user,
        question=question,
        version=question.current_version,
    )
    return question


@transaction.atomic
def question_copy(
    *, question: Question, category: QuestionCategory, user: User | None = None, source: str = Source.SYSTEM
) -> Question:
    """A new question with the current content of ``question`` in ``category`` (for changes it refuses)."""
    if user is not None and not user_may_question(user=user, question=question, action=BankAction.VIEW):
        raise NotFound("assessment.question_not_found", _("Diese Frage gibt es nicht."))
    content = copy.deepcopy(question.current_version.content)
    copied = question_create(
        category=category, content=content, user=user, tags=[t.name for t in question.tags.all()], source=source
    )
    _event(
        kind=Kind.COPIED,
        source=source,
        user=user,
        question=copied,
        version=copied.current_version,
        copied_from=question.pk,
        copied_version=question.current_version.number,
    )
    return copied


# --- import and export ------------------------------------------------------------


def import_max_bytes() -> int:
    """The one size limit of every upload path (admin form, API, command, task)."""
    return int(settings.QUESTION_IMPORT_MAX_BYTES)


def size_display(size: int) -> str:
    """A file size as people read it, German decimal comma: "5 MB", "20,3 MB", "12 KB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"


def import_size_check(*, size: int, max_bytes: int | None = None) -> None:
    """Refuse a file above the limit before anything reads or parses it."""
    limit = import_max_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ValidationFailed(
            "assessment.import_too_large",
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s. Nichts wurde importiert.")
            % {"size": size_display(size), "limit": size_display(limit)},
        )


def import_count_check(*, count: int) -> None:
    """Refuse a file with more questions than one import may write (bounds the database work)."""
    limit = int(settings.QUESTION_IMPORT_MAX_QUESTIONS)
    if count > limit:
        raise ValidationFailed(
            "assessment.import_too_many",
            _(
                "Die Datei enthält %(count)s Fragen; ein Import darf höchstens %(limit)s Fragen enthalten. "
                "Nichts wurde importiert. Teilen Sie die Datei auf."
            )
            % {"count": count, "limit": limit},
        )


def questions_parse(*, content: bytes | str, fmt: str, max_bytes: int | None = None) -> ParseResult:
    """Read a file without saving anything (the preview step). Raises FormatError or ValidationFailed."""
    import_size_check(size=len(content), max_bytes=max_bytes)
    result = read_questions(content, fmt=fmt)
    import_count_check(count=len(result.questions))
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
    source: str = Source.IMPORT,
    max_bytes: int | None = None,
) -> ImportReport:
    """Import a GIFT or Moodle XML file into ``category``: all or nothing.

    Raises FormatError (malformed, with line), UnsupportedQuestionsError
    (unless ``skip_unsupported``) or an ApplicationError (too large, not
    permitted); in every case nothing is saved.
    """
    import_size_check(size=len(content), max_bytes=max_bytes)
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    parsed = read_questions(content, fmt=fmt)
    import_count_check(count=len(parsed.questions))
    if parsed.unsupported and not skip_unsupported:
        raise UnsupportedQuestionsError(parsed.unsupported)
    report = ImportReport(skipped=list(parsed.unsupported), warnings=list(parsed.warnings))
    for info in parsed.categories:
        node = category_get_or_create_path(
            root=category,
            path=_relative_path(info.path, category),
            created=report.categories_created,
            user=user,
            source=source,
        )
        # Like Moodle's create_category_path: a file fills in what a category lacks, never overwrites.
        changed = []
        if info.info.text and not node.description:
            node.description = clean_markup(info.info.text)
            node.description_format = info.info.format.value
            changed += ["description", "description_format"]
        if info.idnumber and not node.idnumber:
            node.idnumber = info.idnumber[:100]
            changed.append("idnumber")
        if changed:
            node.save(update_fields=changed)
    for item in parsed.questions:
        target = category_get_or_create_path(
            root=category,
            path=_relative_path(item.category_path, category),
            created=report.categories_created,
            user=user,
            source=source,
        )
        embedded_images_store(item)
        try:
            report.created.append(question_create(category=target, content=item, user=user, source=source))
        except ValidationFailed as exc:
            raise FormatError(exc.message, line=item.source_line) from exc
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
        missing = [note for content in contents for note in embedded_images_export(content)]
        infos = [
            ir.CategoryInfo(
                path=names_by_pk[c.pk],
                info=ir.FormattedText(c.description, ir.TextFormat(c.description_format)),
                idnumber=c.idnumber,
            )
            for c in categories
        ]
        written = write_moodle_xml(contents, infos)
        written.losses = missing + written.losses
        return written
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
    """Record a confirmed import and hand it to a Celery task (after commit).

    The job row is the durable record: if the broker is down the task is not sent, and the
    reconcile beat task (``question_imports_reconcile``) sends it later.
    """
    from .tasks import question_import_task

    import_size_check(size=len(content))
    _require_category(user=user, category=category, action=BankAction.CHANGE)
    job = QuestionImport.objects.create(
        category=category,
        file_name=file_name[:255],
        file_format=fmt,
        content=content,
        skip_unsupported=skip_unsupported,
        created_by=_actor(user),
    )
    enqueue_on_commit(question_import_task, job.pk)
    return job


IMPORT_CRASHED = _(
    "Der Import ist an einem unerwarteten Fehler gescheitert; nichts wurde importiert. "
    "Bitte prüfen Sie die Datei oder wenden Sie sich an die Plattformverwaltung."
)
IMPORT_TIMED_OUT = _(
    "Der Import hat länger gedauert als erlaubt (%(seconds)s Sekunden) und wurde abgebrochen; nichts wurde "
    "importiert. Teilen Sie die Datei in kleinere Dateien auf."
)


def _job_finish(job: QuestionImport, *, status: str, report: dict) -> QuestionImport:
    job.status = status
    job.report = report
    job.content = b""  # imported (the bank holds it now) or refused (refused files are not kept)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "content", "finished_at"])
    return job


def question_import_run(*, job_id: int) -> QuestionImport | None:
    """Run a recorded import once: a job that is no longer pending is left alone.

    Whatever goes wrong ends the job as failed with a German message – a job never stays
    "pending" because the parser or the database raised something unexpected.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    now = timezone.now()
    with transaction.atomic():
        job = QuestionImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != QuestionImport.Status.PENDING:
            return job
        if job.started_at and job.started_at > now - _import_run_window():
            return job  # another task is at it right now
        QuestionImport.objects.filter(pk=job.pk).update(started_at=now)
    with transaction.atomic():
        job = QuestionImport.objects.select_for_update().get(pk=job_id)
        if job.status != QuestionImport.Status.PENDING:
            return job
        try:
            with transaction.atomic():
                report = questions_import(
                    content=bytes(job.content),
                    fmt=job.file_format,
                    category=job.category,
                    user=job.created_by,
                    skip_unsupported=job.skip_unsupported,
                    source=Source.IMPORT,
                )
        except (FormatError, UnsupportedQuestionsError) as exc:
            return _job_finish(
                job, status=QuestionImport.Status.FAILED, report={"error": str(exc), "line": getattr(exc, "line", None)}
            )
        except ApplicationError as exc:
            return _job_finish(
                job, status=QuestionImport.Status.FAILED, report={"error": exc.message, "code": exc.code}
            )
        except SoftTimeLimitExceeded:
            seconds = settings.QUESTION_IMPORT_TIME_LIMIT
            return _job_finish(
                job, status=QuestionImport.Status.FAILED, report={"error": str(IMPORT_TIMED_OUT % {"seconds": seconds})}
            )
        except Exception:
            logger.exception("Question import %s crashed", job_id)
            return _job_finish(job, status=QuestionImport.Status.FAILED, report={"error": str(IMPORT_CRASHED)})
        return _job_finish(
            job,
            status=QuestionImport.Status.DONE,
            report={
                "created": len(report.created),
                "categories_created": len(report.categories_created),
                "skipped": [
                    {"line": i.line, "name": i.name, "label": i.label, "reason": i.reason} for i in report.skipped
                ],
                "warnings": report.warnings,
            },
        )


def _import_run_window() -> timezone.timedelta:
    """Longer than any run of the task may last (its hard time limit plus a margin)."""
    return timezone.timedelta(seconds=max(settings.QUESTION_IMPORT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT) + 90)


def question_imports_reconcile(*, older_than_seconds: int = 300) -> list[int]:
    """The beat task's work: send again what never arrived, fail what a killed worker left.

    A pending job that never started (broker down at commit) is sent again; one that started
    longer ago than the task can run was killed by the hard time limit or with its worker and is
    marked failed – sending it again would only kill the next worker too. Safe to run twice.
    """
    from .tasks import question_import_task

    now = timezone.now()
    pending = QuestionImport.objects.filter(status=QuestionImport.Status.PENDING)
    stale = pending.filter(started_at__lt=now - _import_run_window())
    for job in stale:
        with transaction.atomic():
            locked = QuestionImport.objects.select_for_update().get(pk=job.pk)
            if locked.status == QuestionImport.Status.PENDING and locked.started_at == job.started_at:
                seconds = settings.QUESTION_IMPORT_TIME_LIMIT
                _job_finish(
                    locked,
                    status=QuestionImport.Status.FAILED,
                    report={"error": str(IMPORT_TIMED_OUT % {"seconds": seconds})},
                )
    cutoff = now - timezone.timedelta(seconds=older_than_seconds)
    ids = list(pending.filter(started_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True))
    for job_id in ids:
        enqueue(question_import_task, job_id)
    return ids
