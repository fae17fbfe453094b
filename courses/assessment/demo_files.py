"""The demo quizzes as files, read without touching the database.

Layout (see docs/demo-content.md for trainers)::

    content/demo/<NN>-<course>/*.test.md     a quiz of the course: its settings in the front matter,
                                             its introduction as the Markdown body; its question
                                             lines name categories and questions of the demo bank
                                             (``courses.questions.demo_files``)

A broken file stops the seed with a German message naming file and line.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from courses.catalog.demo_files import QUIZ_SUFFIX, DemoContentError, markdown_to_html, split_front_matter
from courses.questions.demo_files import read_bytes
from courses.questions.formats import ir

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
        text = read_bytes(path).decode("utf-8")
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
