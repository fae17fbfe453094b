"""Demo quizzes: the ``*.test.md`` files of the demo course folders (``demo_files.load_quiz``).

Runs after the bank's demo (the questions) and the lessons' (so a course lists its lessons first).
Every quiz file is read and checked before anything is written. Idempotent: a quiz is found by
its slug below its course; a changed quiz file publishes a new revision of the quiz; a quiz taken
out of the files stays on the platform.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from courses.catalog.demo_files import DemoContentError, default_root, load_course
from courses.catalog.models import CoursePage
from courses.questions.models import Question, QuestionCategory
from courses.questions.selectors import category_children

from .demo_files import load_quizzes
from .quiz_models import QuizPage, QuizQuestionRule


def _category_at(path: Path, parts: list[str]) -> QuestionCategory:
    node: QuestionCategory | None = None
    for name in parts:
        node = category_children(parent=node).filter(name=name).first()
        if node is None:
            raise DemoContentError(
                path,
                _("Die Kategorie „%(category)s“ gibt es in der Fragensammlung nicht.") % {"category": "/".join(parts)},
            )
    assert node is not None  # parts is never empty (demo_files checks it)
    return node


def _rules(path: Path, rules: list[dict[str, Any]]) -> list[QuizQuestionRule]:
    """The quiz lines, each checked: the category or question exists, is not for practice, has enough questions."""
    lines = []
    for rule in rules:
        if "question" in rule:
            category = _category_at(path, rule["question"][:-1])
            question = Question.objects.filter(category=category, current_version__name=rule["question"][-1]).first()
            if question is None:
                raise DemoContentError(
                    path,
                    _("Die Frage „%(question)s“ gibt es in der Fragensammlung nicht.")
                    % {"question": "/".join(rule["question"])},
                )
            if category.is_practice:
                raise DemoContentError(
                    path,
                    _("„%(question)s“ ist eine Übungsfrage; Tests dürfen keine Übungsfragen verwenden.")
                    % {"question": "/".join(rule["question"])},
                )
            lines.append(QuizQuestionRule(question=question))
            continue
        category = _category_at(path, rule["category"])
        scope = (
            QuestionCategory.objects.filter(path__startswith=category.path)
            if rule["subcategories"]
            else QuestionCategory.objects.filter(pk=category.pk)
        )
        if scope.filter(is_practice=True).exists():
            raise DemoContentError(
                path,
                _("Die Kategorie „%(category)s“ enthält Übungsfragen; Tests dürfen daraus keine Fragen ziehen.")
                % {"category": category.full_name},
            )
        available = (
            Question.objects.filter(category__in=scope, is_archived=False)
            .exclude(current_version__qtype="description")
            .count()
        )
        if available < rule["count"]:
            raise DemoContentError(
                path,
                _("In „%(category)s“ stehen %(available)s Fragen, der Test soll %(count)s ziehen.")
                % {"category": category.full_name, "available": available, "count": rule["count"]},
            )
        lines.append(
            QuizQuestionRule(category=category, include_subcategories=rule["subcategories"], count=rule["count"])
        )
    return lines


QUIZ_FIELDS = (
    "title",
    "intro",
    "time_limit_minutes",
    "attempts_allowed",
    "passing_grade",
    "grading_method",
    "show_feedback",
    "show_correct_answers",
    "completion_mode",
    "is_required",
    "shuffle_questions",
    "shuffle_answers",
)


def _rule_key(rule: QuizQuestionRule) -> tuple:
    count = rule.count if rule.category_id else None
    return (rule.question_id, rule.category_id, rule.include_subcategories if rule.category_id else None, count)


def _quiz_differs(quiz: QuizPage, fields: dict[str, Any], rules: list[QuizQuestionRule]) -> bool:
    for name in QUIZ_FIELDS:
        current, wanted = getattr(quiz, name), fields[name]
        if isinstance(wanted, Decimal) or name == "passing_grade":
            if Decimal(str(current)) != Decimal(str(wanted)):
                return True
        elif current != wanted:
            return True
    return [_rule_key(r) for r in quiz.question_rules.all()] != [_rule_key(r) for r in rules]


def quiz_files(root: Path | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each demo course's slug with the quizzes its folder describes (read, not yet written)."""
    root = root or default_root()
    return [
        (load_course(folder)["slug"], load_quizzes(folder))
        for folder in sorted(root.iterdir())
        if folder.is_dir() and (folder / "course.md").exists()
    ]


def seed_quizzes(planned: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0}
    for slug, quizzes in planned:
        course = CoursePage.objects.filter(slug=slug).select_related("owner").first()
        if course is None:
            continue
        for data in quizzes:
            fields = {name: data[name] for name in QUIZ_FIELDS}
            rules = _rules(data["path"], data["rules"])
            quiz = QuizPage.objects.child_of(course).filter(slug=data["slug"]).first()
            if quiz is None:
                quiz = QuizPage(slug=data["slug"], owner=course.owner, **fields)
                quiz.question_rules = rules
                course.add_child(instance=quiz)
                counts["created"] += 1
            elif _quiz_differs(quiz, fields, rules):
                for name, value in fields.items():
                    setattr(quiz, name, value)
                quiz.question_rules = rules
                counts["updated"] += 1
            else:
                continue
            quiz.save_revision(user=course.owner).publish()
    return counts


@transaction.atomic
def seed(*, stdout, root: Path | None = None) -> None:
    quizzes = seed_quizzes(quiz_files(root))
    stdout.write(f"  Tests: {quizzes['created']} neue und {quizzes['updated']} geänderte Tests")
