"""Migrations questions 0001 / assessment 0014 move the question bank to courses.questions (issue 11).

The database is taken back to assessment 0013 (the bank inside `assessment`), a bank with nested
categories, tagged questions with two versions, an import, events, a quiz with a fixed and a random
rule, a release and an attempt slot is written with the historical models, and a group is given a
bank permission; then it is migrated forward and read with today's models: the same rows, the quiz
models point at them, the content types are `questions.*` (none `assessment.question*` left) and the
group's permission still works. Migrating back restores the old labels and keeps the rows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courses.assessment.quiz_models import AttemptSlot, QuizPage, QuizQuestionRelease, QuizQuestionRule
from courses.questions.models import (
    Question,
    QuestionCategory,
    QuestionEvent,
    QuestionImport,
    QuestionVersion,
    TaggedQuestion,
)
from lernplattform.accounts.models import User
from tests.migrations import migrate_to

BEFORE = ("assessment", "0013_question_type_randomsamatch")
AFTER = ("assessment", "0014_bank_to_questions")
BANK_MODELS = {"questioncategory", "taggedquestion", "question", "questionversion", "questionimport", "questionevent"}

# serialized_rollback: the flush afterwards must not run post_migrate handlers on an empty database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def old_state():
    executor = migrate_to(BEFORE)
    leaves = list(executor.loader.graph.leaf_nodes())
    try:
        yield executor.loader.project_state([BEFORE]).apps
    finally:
        ContentType.objects.clear_cache()
        MigrationExecutor(connection).migrate(leaves)
        ContentType.objects.clear_cache()
        # Warm the content type cache from the database again (see test_lesson_move_migration).
        ContentType.objects.get_for_models(*django_apps.get_models(), for_concrete_models=False)


def _counts() -> dict[str, int]:
    return {
        "categories": QuestionCategory.objects.count(),
        "questions": Question.objects.count(),
        "versions": QuestionVersion.objects.count(),
        "imports": QuestionImport.objects.count(),
        "events": QuestionEvent.objects.count(),
        "tags": TaggedQuestion.objects.count(),
        "rules": QuizQuestionRule.objects.count(),
        "releases": QuizQuestionRelease.objects.count(),
        "slots": AttemptSlot.objects.count(),
    }


def _quiz(apps):
    page = apps.get_model("wagtailcore", "Page")
    locale_model = apps.get_model("wagtailcore", "Locale")
    content_type = apps.get_model("contenttypes", "ContentType")
    locale, _ = locale_model.objects.get_or_create(language_code="de")
    page_type, _ = content_type.objects.get_or_create(app_label="wagtailcore", model="page")
    course_type, _ = content_type.objects.get_or_create(app_label="catalog", model="coursepage")
    quiz_type, _ = content_type.objects.get_or_create(app_label="assessment", model="quizpage")
    root = page.objects.filter(depth=1).first() or page.objects.create(
        title="Wurzel",
        slug="wurzel",
        path="0001",
        depth=1,
        numchild=0,
        url_path="/",
        content_type=page_type,
        locale=locale,
    )
    base = root.path + f"{9100 + page.objects.filter(depth=2).count():04d}"
    course = apps.get_model("catalog", "CoursePage").objects.create(
        title="Vergaberecht",
        draft_title="Vergaberecht",
        slug="vergabe-umzug",
        path=base,
        depth=2,
        numchild=1,
        url_path="/vergabe-umzug/",
        content_type=course_type,
        locale=locale,
        live=True,
    )
    return apps.get_model("assessment", "QuizPage").objects.create(
        title="Abschlusstest",
        draft_title="Abschlusstest",
        slug="abschlusstest",
        path=base + "0001",
        depth=3,
        numchild=0,
        url_path="/vergabe-umzug/abschlusstest/",
        content_type=quiz_type,
        locale=locale,
        live=True,
    ), course


def _old_bank(apps, user_id: int) -> dict[str, int]:
    category_model = apps.get_model("assessment", "QuestionCategory")
    question_model = apps.get_model("assessment", "Question")
    version_model = apps.get_model("assessment", "QuestionVersion")
    tag_model = apps.get_model("taggit", "Tag")
    tagged_model = apps.get_model("assessment", "TaggedQuestion")

    quiz, course = _quiz(apps)
    pool = category_model.objects.create(path="0901", depth=1, numchild=1, name="Vergabe-Pool", course_id=course.pk)
    sub = category_model.objects.create(path="09010001", depth=2, numchild=0, name="UVgO", course_id=course.pk)
    tag, _ = tag_model.objects.get_or_create(name="Schwellenwert", slug="schwellenwert")
    questions = []
    for number, category in enumerate((pool, sub, sub), start=1):
        question = question_model.objects.create(category=category, created_by_id=user_id)
        for version_number in (1, 2):
            version = version_model.objects.create(
                question=question,
                number=version_number,
                qtype="truefalse",
                name=f"Frage {number}",
                text=f"<p>Stimmt Satz {number}?</p>",
                default_mark=Decimal(1),
                data={"qtype": "truefalse", "name": f"Frage {number}", "correct": True},
                created_by_id=user_id,
            )
        question.current_version = version
        question.save(update_fields=["current_version"])
        tagged_model.objects.create(content_object=question, tag=tag)
        questions.append(question)
    apps.get_model("assessment", "QuestionImport").objects.create(
        category=sub, file_name="uvgo.gift", file_format="gift", content=b"::F:: Satz {T}", status="done"
    )
    event_model = apps.get_model("assessment", "QuestionEvent")
    event_model.objects.create(kind="created", source="admin", question=questions[0], category=pool, user_id=user_id)
    event_model.objects.create(
        kind="edited", source="api", question=questions[0], version=version, category=pool, details={"number": 2}
    )
    rule_model = apps.get_model("assessment", "QuizQuestionRule")
    rule_model.objects.create(page_id=quiz.pk, question=questions[0], sort_order=0)
    rule_model.objects.create(page_id=quiz.pk, category=pool, include_subcategories=True, count=2, sort_order=1)
    current = version_model.objects.get(question=questions[0], number=2)
    apps.get_model("assessment", "QuizQuestionRelease").objects.create(
        quiz_id=quiz.pk, question=questions[0], version=current, released_at=timezone.now()
    )
    attempt = apps.get_model("assessment", "Attempt").objects.create(
        quiz_id=quiz.pk, user_id=user_id, number=1, max_score=Decimal(1)
    )
    apps.get_model("assessment", "AttemptSlot").objects.create(
        attempt=attempt, number=1, question_version=current, max_mark=Decimal(1), layout={}
    )
    return {"question": questions[0].pk, "quiz": quiz.pk, "pool": pool.pk, "version": current.pk}


def test_the_bank_keeps_its_rows_and_moves_to_questions(old_state):
    apps = old_state
    user = User.objects.create_user(email="trainer@umzug.example", password="x", full_name="Tina Trainer")
    ids = _old_bank(apps, user.pk)
    old_permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="assessment", content_type__model="question", codename="add_question"
    )
    group = Group.objects.create(name="Fragenpflege")
    group.permissions.add(old_permission.pk)
    user.groups.add(group)
    type_ids = dict(
        apps.get_model("contenttypes", "ContentType")
        .objects.filter(app_label="assessment", model__in=BANK_MODELS)
        .values_list("model", "pk")
    )
    assert set(type_ids) == BANK_MODELS
    before = _counts()
    assert before == {
        "categories": 2,
        "questions": 3,
        "versions": 6,
        "imports": 1,
        "events": 2,
        "tags": 3,
        "rules": 2,
        "releases": 1,
        "slots": 1,
    }

    migrate_to(AFTER)
    ContentType.objects.clear_cache()

    assert _counts() == before
    assert not ContentType.objects.filter(app_label="assessment", model__in=BANK_MODELS).exists()
    moved = dict(ContentType.objects.filter(app_label="questions").values_list("model", "pk"))
    assert {model: moved[model] for model in BANK_MODELS} == type_ids  # the same rows, renamed
    assert ContentType.objects.get_for_model(Question).pk == type_ids["question"]
    # The group still holds the permission, now named after the new app.
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [("questions", "add_question")]
    assert User.objects.get(pk=user.pk).has_perm("questions.add_question")
    # Today's models read the rows the old ones wrote, relations and tags included.
    question = Question.objects.get(pk=ids["question"])
    assert question.current_version.number == 2
    assert question.current_version.pk == ids["version"]
    assert question.category.get_children().get().name == "UVgO"
    assert list(question.tags.names()) == ["Schwellenwert"]
    assert question.events.count() == 2
    quiz = QuizPage.objects.get(pk=ids["quiz"])
    rules = list(quiz.question_rules.order_by("sort_order"))
    assert rules[0].question == question
    assert rules[1].category == QuestionCategory.objects.get(pk=ids["pool"])
    assert QuizQuestionRelease.objects.get(quiz=quiz).version == question.current_version
    assert AttemptSlot.objects.get().question_version.question == question


def test_migrating_back_gives_the_content_types_back_to_assessment(old_state):
    ids = _old_bank(old_state, User.objects.create_user(email="t2@umzug.example", password="x", full_name="T").pk)
    migrate_to(AFTER)
    before = _counts()

    executor = migrate_to(BEFORE)
    apps = executor.loader.project_state([BEFORE]).apps
    ContentType.objects.clear_cache()

    assert not ContentType.objects.filter(app_label="questions", model__in=BANK_MODELS).exists()
    assert (
        set(ContentType.objects.filter(app_label="assessment", model__in=BANK_MODELS).values_list("model", flat=True))
        == BANK_MODELS
    )
    old_question = apps.get_model("assessment", "Question").objects.get(pk=ids["question"])
    assert old_question.current_version.number == 2
    assert apps.get_model("assessment", "QuestionVersion").objects.count() == before["versions"]
    assert apps.get_model("assessment", "TaggedQuestion").objects.count() == before["tags"]
