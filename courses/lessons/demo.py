"""Demo lessons: one per lesson file of the demo courses, with the practice questions it names.

The texts come from ``content/demo/`` (`courses.catalog.demo_files`); a lesson's
``practice_questions`` name questions of the demo bank ("Kategorie/…/Name") that must lie in a
category for practice. They become a practice block after the text. Runs after the catalogue's
demo (courses) and the bank's (questions), before the quizzes, so a course lists its lessons first.

Idempotent: a second run changes nothing; after a lesson file was edited, or a question it names
was created anew, the next run publishes a new revision of that lesson. A lesson is found by its
slug below its course.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from courses.catalog.demo_files import DemoContentError, load_courses
from courses.catalog.models import CatalogPage, CoursePage
from courses.questions.formats.ir import split_category_path
from courses.questions.models import Question
from courses.questions.selectors import category_children

from .models import LessonPage

PRACTICE_BLOCK = "practice_questions"


def _practice_question(path: Path, name: str) -> Question:
    parts = split_category_path(name)
    node = None
    for part in parts[:-1]:
        node = category_children(parent=node).filter(name=part).first()
        if node is None:
            break
    question = (
        Question.objects.filter(category=node, current_version__name=parts[-1], is_archived=False)
        .select_related("category")
        .order_by("pk")
        .first()
        if node is not None and len(parts) > 1
        else None
    )
    if question is None:
        raise DemoContentError(
            path, _("Die Übungsfrage „%(question)s“ gibt es in der Fragensammlung nicht.") % {"question": name}
        )
    if not question.category.is_practice:
        raise DemoContentError(
            path,
            _(
                "„%(question)s“ liegt nicht in einer Kategorie für Übungsfragen (practice: true in "
                "kategorien.yaml); Lektionen zeigen die Lösung, deshalb nur Übungsfragen."
            )
            % {"question": name},
        )
    return question


def lesson_fields(data: dict[str, Any]) -> dict[str, Any]:
    body = list(data["body"])
    if data["practice"]:
        ids = [str(_practice_question(data["path"], name).pk) for name in data["practice"]]
        body.append({"type": PRACTICE_BLOCK, "value": {"title": data["practice_title"], "questions": ids}})
    fields = {
        "title": data["title"],
        "intro": f"<p>{data['intro']}</p>",
        "estimated_minutes": data["minutes"],
        "body": body,
    }
    # Only what the file states: otherwise the lesson keeps its setting (the certificates' demo
    # makes lessons of certifying courses "mark as done").
    if data["completion_mode"] is not None:
        fields["completion_mode"] = data["completion_mode"]
    if data["required"] is not None:
        fields["is_required"] = data["required"]
    return fields


def _plain(value: Any) -> Any:
    # A list block keeps its items as {"type": "item", "value": …, "id": …}; compare the values only.
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_plain(item["value"] if isinstance(item, dict) and "value" in item else item) for item in value]
    return value


def _blocks(raw: list[dict]) -> list[tuple[str, Any]]:
    return [(block["type"], _plain(block["value"])) for block in raw]


def _lesson_differs(lesson: LessonPage, fields: dict[str, Any]) -> bool:
    if any(getattr(lesson, name) != value for name, value in fields.items() if name != "body"):
        return True
    return _blocks(list(lesson.body.raw_data)) != _blocks(fields["body"])


@transaction.atomic
def seed(*, stdout, root: Path | None = None) -> None:
    courses = load_courses(root)
    catalog = CatalogPage.objects.first()
    created = updated = 0
    for data in courses:
        course = (
            CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).select_related("owner").first()
            if catalog is not None
            else None
        )
        if course is None:
            continue
        existing = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course).specific()}
        for lesson_data in data["lessons"]:
            fields = lesson_fields(lesson_data)
            lesson = existing.get(lesson_data["slug"])
            if lesson is None:
                lesson = LessonPage(owner=course.owner, slug=lesson_data["slug"], **fields)
                course.add_child(instance=lesson)
                created += 1
            elif _lesson_differs(lesson, fields):
                for name, value in fields.items():
                    setattr(lesson, name, value)
                updated += 1
            else:
                continue
            # The demo publishes as the system: the trainer is the author, not the one who approves.
            lesson.save_revision(user=course.owner).publish()
    stdout.write(f"  Lektionen: {created} neue und {updated} geänderte Lektionen")
