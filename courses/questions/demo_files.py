"""The demo question bank as files, read without touching the database.

Layout (see docs/demo-content.md for trainers)::

    content/demo/fragen/kategorien.yaml      the top-level categories: name, description, practice
                                             (for lessons' practice blocks), files
    content/demo/fragen/*.gift, *.xml        GIFT and Moodle XML, read by the import's own parser

Every file is read and checked before anything is written, so a broken file stops the seed with
a German message naming file and line, and nothing of the demo bank is loaded half.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from courses.catalog.demo_files import (
    DemoContentError,
    default_root,
)
from courses.questions.formats import FormatError, ir
from lernplattform.core.errors import ApplicationError

from .services import UnsupportedQuestionsError, questions_parse

QUESTIONS_FOLDER = "fragen"
MANIFEST = "kategorien.yaml"
FORMATS = {".gift": "gift", ".xml": "moodlexml"}


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


def read_bytes(path: Path) -> bytes:
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
        parsed = questions_parse(content=read_bytes(path), fmt=fmt)
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
        data = yaml.safe_load(read_bytes(manifest).decode("utf-8"))
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
