"""The demo courses as files: ``content/demo/`` read into the data `courses.catalog.demo` seeds.

Layout (see docs/demo-content.md for trainers)::

    content/demo/topics.yaml                 the topics (name, slug, description)
    content/demo/<NN>-<course>/course.md     front matter: the course's fields; body: its summary
    content/demo/<NN>-<course>/<NN>-<lesson>.md
                                             front matter: title, slug, order, estimated_minutes, intro;
                                             body: the lesson text in Markdown
    content/demo/<NN>-<course>/*.test.md     a quiz (read by courses.assessment.demo_files)
    content/demo/<NN>-<course>/*.h5p.md      an H5P activity (read by courses.h5p.demo_files)

In a lesson's body, ``::: tipp Titel`` (or ``warnung``, ``info``) up to a line ``:::`` is a
callout and ``::: begriff Wort`` up to ``:::`` a glossary term; everything else is rich text.
Markdown becomes the HTML of Wagtail's rich text (``<b>``, ``<i>``) and is cleaned with nh3.
Nothing here touches the database, so the files can be checked without one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import markdown as markdown_lib
import nh3
import yaml
from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed

Block = dict[str, Any]

LEVEL_BASIC = "grundlagen"
LEVEL_ADVANCED = "fortgeschritten"
LEVEL_EXPERT = "expertise"
LEVELS = (LEVEL_BASIC, LEVEL_ADVANCED, LEVEL_EXPERT)

BLOCK_TYPES = ("rich_text", "callout", "glossary_term")
CALLOUT_KINDS = ("tip", "warning", "info")
# The words a trainer writes after ``:::`` and the callout kind they stand for.
CALLOUT_WORDS = {"tipp": "tip", "warnung": "warning", "info": "info"}
GLOSSARY_WORD = "begriff"

COURSE_FIELDS = {
    "title": str,
    "slug": str,
    "topic": str,
    "level": str,
    "estimated_hours": (str, int, float),
    "easy_summary": str,
    "outcomes": list,
    "target_groups": list,
    "prerequisites": list,
}
LESSON_FIELDS = {"title": str, "slug": str, "order": int, "estimated_minutes": int, "intro": str}
# Optional: practice questions from the demo bank, each as "Kategorie/Unterkategorie/Name"
# (resolved by courses.lessons.demo, which may read the bank), shown in a block after the text.
LESSON_OPTIONAL = {"practice_questions": list, "practice_title": str, "completion_mode": str, "required": bool}
# The words a trainer writes for a lesson's completion and the LessonPage values they stand for.
LESSON_COMPLETION = {"aufrufen": "viewed", "markieren": "done"}
PRACTICE_TITLE = "Zum Üben"

# Other activities of a course folder, read by their own apps (courses.assessment.demo_files).
QUIZ_SUFFIX = ".test.md"
# An H5P activity, built into a package and uploaded by courses.h5p.demo_files / courses.h5p.demo.
H5P_SUFFIX = ".h5p.md"

_DIRECTIVE = re.compile(r"^:::\s*(\S+)\s*(.*?)\s*$")
_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "b", "i", "a", "code"}


def default_root() -> Path:
    # The repository's top level, two folders above this app (courses/catalog/).
    return Path(__file__).resolve().parents[2] / "content" / "demo"


class DemoContentError(ValidationFailed):
    """A demo file is broken; the message names the file and, where known, the line."""

    def __init__(self, path: Path, message: str, *, line: int | None = None) -> None:
        where = f"{path}, Zeile {line}" if line is not None else str(path)
        super().__init__("catalog.demo_content_invalid", f"{where}: {message}")
        self.path = path
        self.line = line


def _squash(text: str) -> str:
    return " ".join(text.split())


def markdown_to_html(text: str) -> str:
    """Markdown to the cleaned HTML of a rich-text block, on one line."""
    html = markdown_lib.markdown(text, output_format="html")
    html = re.sub(r"<(/?)strong>", r"<\1b>", html)
    html = re.sub(r"<(/?)em>", r"<\1i>", html)
    html = nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}, link_rel=None)
    return _squash(html)


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    """The YAML front matter between two ``---`` lines, the body and the body's first line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DemoContentError(path, _("Die Datei beginnt nicht mit einer Zeile „---“ (Front Matter)."), line=1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise DemoContentError(path, _("Das Front Matter wird nicht mit einer Zeile „---“ beendet."), line=1) from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise DemoContentError(
            path, _("Fehler im YAML des Front Matter: %(problem)s") % {"problem": problem}, line=line
        ) from None
    if not isinstance(data, dict):
        raise DemoContentError(path, _("Das Front Matter ist keine Zuordnung „Feld: Wert“."), line=2)
    return data, "\n".join(lines[end + 1 :]), end + 2


def _check_fields(
    path: Path, data: dict[str, Any], fields: dict[str, Any], optional: dict[str, Any] | None = None
) -> None:
    optional = optional or {}
    for name, kind in [*fields.items(), *optional.items()]:
        if name not in data:
            if name in optional:
                continue
            raise DemoContentError(path, _("Im Front Matter fehlt das Feld „%(field)s“.") % {"field": name}, line=1)
        if not isinstance(data[name], kind) or (isinstance(data[name], bool) and kind is not bool):
            raise DemoContentError(path, _("Das Feld „%(field)s“ hat einen falschen Typ.") % {"field": name}, line=1)
    unknown = sorted(set(data) - set(fields) - set(optional))
    if unknown:
        raise DemoContentError(
            path, _("Unbekannte Felder im Front Matter: %(fields)s") % {"fields": ", ".join(unknown)}
        )


def parse_body(path: Path, body: str, first_line: int) -> list[Block]:
    """The lesson body as StreamField blocks in Wagtail's raw form."""
    blocks: list[Block] = []
    text: list[str] = []
    directive: tuple[str, str, int] | None = None

    def flush_text() -> None:
        if "".join(text).strip():
            blocks.append({"type": "rich_text", "value": markdown_to_html("\n".join(text))})
        text.clear()

    for number, line in enumerate(body.splitlines(), start=first_line):
        closing = line.strip() == ":::"
        match = _DIRECTIVE.match(line)
        if match is None and not closing:
            text.append(line)
            continue
        if directive is None:
            if closing or match is None:
                raise DemoContentError(path, _("„:::“ schließt einen Block, der nicht geöffnet wurde."), line=number)
            word, rest = match.group(1).lower(), match.group(2)
            if word not in CALLOUT_WORDS and word != GLOSSARY_WORD:
                raise DemoContentError(
                    path,
                    _("Unbekannter Block „%(word)s“ (erlaubt: tipp, warnung, info, begriff).") % {"word": word},
                    line=number,
                )
            if not rest:
                raise DemoContentError(path, _("Nach „::: %(word)s“ fehlt der Titel.") % {"word": word}, line=number)
            flush_text()
            directive = (word, rest, number)
        else:
            if not closing:
                raise DemoContentError(path, _("Ein Block beginnt, bevor der vorige mit „:::“ endet."), line=number)
            word, title, _start = directive
            content = "\n".join(text)
            text.clear()
            if word == GLOSSARY_WORD:
                blocks.append({"type": "glossary_term", "value": {"term": title, "definition": _squash(content)}})
            else:
                blocks.append(
                    {
                        "type": "callout",
                        "value": {"kind": CALLOUT_WORDS[word], "title": title, "text": markdown_to_html(content)},
                    }
                )
            directive = None
    if directive is not None:
        raise DemoContentError(
            path, _("Der Block „%(word)s“ wird nicht mit „:::“ beendet.") % {"word": directive[0]}, line=directive[2]
        )
    flush_text()
    return blocks


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DemoContentError(path, _("Die Datei ist nicht in UTF-8 gespeichert.")) from None


def load_lesson(path: Path) -> dict[str, Any]:
    data, body, first_line = split_front_matter(path, _read(path))
    _check_fields(path, data, LESSON_FIELDS, LESSON_OPTIONAL)
    completion = data.get("completion_mode")
    if completion is not None and completion not in LESSON_COMPLETION:
        raise DemoContentError(
            path,
            _("„completion_mode: %(value)s“ ist nicht erlaubt (erlaubt: aufrufen, markieren).") % {"value": completion},
            line=1,
        )
    practice = data.get("practice_questions", [])
    if not all(isinstance(item, str) and "/" in item for item in practice) or len(practice) > 10:
        raise DemoContentError(
            path,
            _("„practice_questions“ ist eine Liste von höchstens 10 Fragen, jede als „Kategorie/…/Name der Frage“."),
            line=1,
        )
    return {
        "path": path,
        "practice": [" ".join(item.split()) for item in practice],
        "practice_title": " ".join(data.get("practice_title", PRACTICE_TITLE).split()),
        # None: not stated in the file, the platform's setting stands (certifying courses need "markieren").
        "completion_mode": LESSON_COMPLETION[completion] if completion is not None else None,
        "required": data.get("required"),
        "title": data["title"],
        "slug": data["slug"],
        "order": data["order"],
        "minutes": data["estimated_minutes"],
        "intro": _squash(data["intro"]),
        "body": parse_body(path, body, first_line),
    }


def load_course(folder: Path) -> dict[str, Any]:
    path = folder / "course.md"
    if not path.exists():
        raise DemoContentError(folder, _("Im Kursordner fehlt die Datei course.md."))
    data, body, _first = split_front_matter(path, _read(path))
    _check_fields(path, data, COURSE_FIELDS)
    if data["level"] not in LEVELS:
        raise DemoContentError(path, _("Unbekannte Stufe „%(level)s“.") % {"level": data["level"]})
    try:
        hours = Decimal(str(data["estimated_hours"]))
    except InvalidOperation:
        raise DemoContentError(path, _("„estimated_hours“ ist keine Zahl.")) from None
    lessons = [
        load_lesson(p)
        for p in sorted(folder.glob("*.md"))
        if p.name != "course.md" and not p.name.endswith((QUIZ_SUFFIX, H5P_SUFFIX))
    ]
    lessons.sort(key=lambda lesson: lesson["order"])
    return {
        "title": data["title"],
        "slug": data["slug"],
        "topic": data["topic"],
        "level": data["level"],
        "hours": hours,
        "summary": _squash(body),
        "easy_summary": _squash(data["easy_summary"]),
        "outcomes": [_squash(item) for item in data["outcomes"]],
        "target_groups": [_squash(item) for item in data["target_groups"]],
        "prerequisites": [_squash(item) for item in data["prerequisites"]],
        "lessons": lessons,
    }


def load_topics(root: Path | None = None) -> list[dict[str, str]]:
    path = (root or default_root()) / "topics.yaml"
    try:
        data = yaml.safe_load(_read(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DemoContentError(
            path, str(getattr(error, "problem", error)), line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(data, list) or not all(
        isinstance(t, dict) and {"name", "slug", "description"} <= set(t) for t in data
    ):
        raise DemoContentError(path, _("Erwartet wird eine Liste von Themenfeldern mit name, slug und description."))
    return [{"name": t["name"], "slug": t["slug"], "description": _squash(t["description"])} for t in data]


def load_courses(root: Path | None = None) -> list[dict[str, Any]]:
    root = root or default_root()
    return [
        load_course(folder) for folder in sorted(root.iterdir()) if folder.is_dir() and (folder / "course.md").exists()
    ]
