"""The demo question bank and the demo quizzes as files, read without touching the database.

Layout (see docs/demo-content.md for trainers)::

    content/demo/fragen/kategorien.yaml      the top-level categories: name, description, practice
                                             (for lessons' practice blocks), files
    content/demo/fragen/*.gift, *.xml        GIFT and Moodle XML, read by the import's own parser
    content/demo/<NN>-<course>/*.test.md     a quiz of the course: its settings in the front matter,
                                             its introduction as the Markdown body

Every file is read and checked before anything is written, so a broken file stops the seed with
a German message naming file and line, and nothing of the demo bank is loaded half.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from courses.catalog.demo_files import (
    QUIZ_SUFFIX,
    DemoContentError,
    default_root,
    markdown_to_html,
    split_front_matter,
)
from courses.questions.formats import FormatError, ir
from lernplattform.core.errors import ApplicationError

from .services import UnsupportedQuestionsError, questions_parse

QUESTIONS_FOLDER = "fragen"
MANIFEST = "kategorien.yaml"
FORMATS = {".gift": "gift", ".xml": "moodlexml"}

# The words a trainer writes in a quiz file and the model values they stand for.
GRADING_METHODS = {"bester_versuch": "highest", "letzter_versuch": "last", "durchschnitt": "average"}
REVIEW_WHEN = {"sofort": "immediately", "nach_letztem_versuch": "after_last_attempt", "nie": "never"}
COMPLETION_MODES = {"bestanden": "passed", "abgeschlossen": "completed"}

QUIZ_REQUIRED = {"title": str, "slug": str, "questions": list}
QUIZ_OPTIONAL: dict[str, Any] = {
    "time_limit_minutes": int,
    "attempts_allowed": int,
    "passing_grade": (int, float, str),
    "grading_method": str,
    "show_feedback": str,
    "show_correct_answers": str,
    "completion_mode": str,
    "required": bool,
    "shuffle_questions": bool,
    "shuffle_answers": bool,
}


@dataclass
class BankFile:
    path: Path
    questions: list[ir.Question]
    categories: list[ir.CategoryInfo]


@dataclass
class BankCategory:
    name: str
    description: str
    practice: bool
    path: Path
    files: list[BankFile] = field(default_factory=list)


def questions_root(root: Path | None = None) -> Path:
    return (root or default_root()) / QUESTIONS_FOLDER


def relative_path(path: list[str], top: str) -> list[str]:
    # As the import does: a file exported from a category starts its paths with that category's
    # name; read into the same category it must not nest it twice.
    return path[1:] if path and path[0] == top else list(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        message = _("Die Datei kann nicht gelesen werden: %(reason)s") % {"reason": error.strerror}
        raise DemoContentError(path, message) from None


def load_question_file(path: Path, *, top: str) -> BankFile:
    """One GIFT or XML file, parsed by the import's reader (same limits, same sanitising)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DemoContentError(path, _("Fragendateien enden auf .gift (GIFT) oder .xml (Moodle XML)."))
    try:
        parsed = questions_parse(content=_read_bytes(path), fmt=fmt)
    except FormatError as error:
        raise DemoContentError(path, error.message, line=error.line) from None
    except ApplicationError as error:
        raise DemoContentError(path, error.message) from None
    if parsed.unsupported:
        item = parsed.unsupported[0]
        raise DemoContentError(path, str(UnsupportedQuestionsError(parsed.unsupported)), line=item.line)
    seen: dict[tuple[str, ...], int | None] = {}
    for question in parsed.questions:
        key = (*relative_path(question.category_path, top), question.name)
        if key in seen:
            raise DemoContentError(
                path,
                _("Die Frage „%(name)s“ steht zweimal in derselben Kategorie (zuerst in Zeile %(first)s).")
                % {"name": question.name, "first": seen[key]},
                line=question.source_line,
            )
        seen[key] = question.source_line
    return BankFile(path=path, questions=parsed.questions, categories=parsed.categories)


def load_bank(root: Path | None = None) -> list[BankCategory]:
    """The manifest and every file it names, all parsed; raises DemoContentError on the first problem."""
    folder = questions_root(root)
    manifest = folder / MANIFEST
    try:
        data = yaml.safe_load(_read_bytes(manifest).decode("utf-8"))
    except UnicodeDecodeError:
        raise DemoContentError(manifest, _("Die Datei ist nicht in UTF-8 gespeichert.")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DemoContentError(
            manifest, str(getattr(error, "problem", error)), line=mark.line + 1 if mark else None
        ) from None
    entries_ok = isinstance(data, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("name"), str)
        and isinstance(e.get("files"), list)
        and all(isinstance(f, str) for f in e["files"])
        and set(e) <= {"name", "description", "practice", "files"}
        for e in data
    )
    if not entries_ok:
        raise DemoContentError(
            manifest,
            _(
                "Erwartet wird eine Liste von Kategorien mit name, files (Liste von Dateinamen) und "
                "wahlweise description und practice."
            ),
        )
    categories: list[BankCategory] = []
    names: set[str] = set()
    for entry in data:
        name = " ".join(entry["name"].split())
        if name in names:
            raise DemoContentError(manifest, _("Die Kategorie „%(name)s“ steht zweimal in der Liste.") % {"name": name})
        names.add(name)
        category = BankCategory(
            name=name,
            description=" ".join(str(entry.get("description", "")).split()),
            practice=bool(entry.get("practice", False)),
            path=manifest,
        )
        for filename in entry["files"]:
            path = folder / filename
            if not path.is_file():
                raise DemoContentError(
                    manifest,
                    _("Die Datei „%(file)s“ gibt es in %(folder)s nicht.") % {"file": filename, "folder": folder},
                )
            category.files.append(load_question_file(path, top=name))
        categories.append(category)
    return categories


# --- quizzes ---------------------------------------------------------------------


def _choice(path: Path, data: dict[str, Any], name: str, words: dict[str, str], default: str) -> str:
    if name not in data:
        return default
    value = data[name]
    if value not in words:
        raise DemoContentError(
            path,
            _("„%(field)s: %(value)s“ ist nicht erlaubt (erlaubt: %(allowed)s).")
            % {"field": name, "value": value, "allowed": ", ".join(words)},
            line=1,
        )
    return words[value]


def _question_rule(path: Path, number: int, item: Any) -> dict[str, Any]:
    """``{category: "A/B", count: 8}`` (random questions) or ``{question: "A/B/Name"}`` (a fixed one)."""
    if isinstance(item, dict) and set(item) <= {"category", "count", "subcategories"} and "category" in item:
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 200:
            raise DemoContentError(
                path, _("Frage %(n)s: „count“ muss eine Zahl von 1 bis 200 sein.") % {"n": number}, line=1
            )
        subcategories = item.get("subcategories", True)
        if not isinstance(subcategories, bool):
            raise DemoContentError(path, _("Frage %(n)s: „subcategories“ ist true oder false.") % {"n": number}, line=1)
        return {
            "category": ir.split_category_path(str(item["category"])),
            "count": count,
            "subcategories": subcategories,
        }
    if isinstance(item, dict) and set(item) == {"question"}:
        parts = ir.split_category_path(str(item["question"]))
        if len(parts) < 2:
            raise DemoContentError(
                path,
                _("Frage %(n)s: „question“ nennt Kategorie und Namen, z. B. „%(example)s“.")
                % {"n": number, "example": "Datenmanagement/Datenschutz/Meldung Datenpanne"},
                line=1,
            )
        return {"question": parts}
    raise DemoContentError(
        path,
        _("Frage %(n)s: erwartet wird „category: …“ (mit „count“) oder „question: …“.") % {"n": number},
        line=1,
    )


def load_quiz(path: Path) -> dict[str, Any]:
    try:
        text = _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise DemoContentError(path, _("Die Datei ist nicht in UTF-8 gespeichert.")) from None
    data, body, _first = split_front_matter(path, text)
    for name, kind in QUIZ_REQUIRED.items():
        if name not in data:
            raise DemoContentError(path, _("Im Front Matter fehlt das Feld „%(field)s“.") % {"field": name}, line=1)
        if not isinstance(data[name], kind):
            raise DemoContentError(path, _("Das Feld „%(field)s“ hat einen falschen Typ.") % {"field": name}, line=1)
    for name, kind in QUIZ_OPTIONAL.items():
        if name in data and (not isinstance(data[name], kind) or (kind is not bool and isinstance(data[name], bool))):
            raise DemoContentError(path, _("Das Feld „%(field)s“ hat einen falschen Typ.") % {"field": name}, line=1)
    unknown = sorted(set(data) - set(QUIZ_REQUIRED) - set(QUIZ_OPTIONAL))
    if unknown:
        raise DemoContentError(
            path, _("Unbekannte Felder im Front Matter: %(fields)s") % {"fields": ", ".join(unknown)}, line=1
        )
    try:
        passing = Decimal(str(data.get("passing_grade", 50)))
    except InvalidOperation:
        passing = Decimal(-1)
    if not Decimal(0) <= passing <= Decimal(100):
        raise DemoContentError(path, _("„passing_grade“ ist eine Prozentzahl von 0 bis 100."), line=1)
    if not data["questions"]:
        raise DemoContentError(path, _("Ein Test braucht mindestens eine Zeile unter „questions“."), line=1)
    return {
        "path": path,
        "title": " ".join(data["title"].split()),
        "slug": data["slug"],
        "intro": markdown_to_html(body) if body.strip() else "",
        "time_limit_minutes": data.get("time_limit_minutes"),
        "attempts_allowed": data.get("attempts_allowed", 0),
        "passing_grade": passing,
        "grading_method": _choice(path, data, "grading_method", GRADING_METHODS, "highest"),
        "show_feedback": _choice(path, data, "show_feedback", REVIEW_WHEN, "immediately"),
        "show_correct_answers": _choice(path, data, "show_correct_answers", REVIEW_WHEN, "after_last_attempt"),
        "completion_mode": _choice(path, data, "completion_mode", COMPLETION_MODES, "passed"),
        "is_required": data.get("required", True),
        "shuffle_questions": data.get("shuffle_questions", False),
        "shuffle_answers": data.get("shuffle_answers", True),
        "rules": [_question_rule(path, n, item) for n, item in enumerate(data["questions"], start=1)],
    }


def load_quizzes(folder: Path) -> list[dict[str, Any]]:
    """The quizzes of one course folder (files ending in ``.test.md``), by file name."""
    return [load_quiz(path) for path in sorted(folder.glob(f"*{QUIZ_SUFFIX}"))]
