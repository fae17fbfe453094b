"""Migration assessment 0005 gives every existing question category an owner (issue 10, finding 5).

The database is taken back to 0004, filled the way the bank looked before ownership existed
(categories, questions by their authors, quizzes drawing from them), and migrated to 0005; the
owners and the releases it writes are then read back. Rules of the migration, per top-level
category and its whole subtree: the quizzes of exactly one course draw from it -> that course;
no quiz draws from it and one person wrote all its questions -> that person; otherwise -> the
platform (no owner). Live quizzes get their current versions released.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrations import migrate_to

BEFORE = ("assessment", "0004_quiz_completion_mode")
AFTER = ("assessment", "0005_bank_ownership_practice_release_audit")

# serialized_rollback: the flush afterwards must not run post_migrate handlers on an empty database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def old_bank():
    """Historical models at 0004; afterwards the schema goes back to the newest migration."""
    executor = migrate_to(BEFORE)
    leaves = list(executor.loader.graph.leaf_nodes())
    try:
        yield executor.loader.project_state([BEFORE]).apps
    finally:
        MigrationExecutor(connection).migrate(leaves)


def _pages():
    """A root page and two courses; pages live in tables the migration does not touch."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    from courses.assessment.quiz_models import QuizPage
    from courses.catalog.models import CoursePage

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Wurzel", slug="wurzel"))

    def course(title):
        return root.add_child(instance=CoursePage(title=title, slug=f"kurs-{uuid.uuid4().hex[:8]}"))

    def quiz(parent, *, live=True):
        page = QuizPage(title="Test", slug=f"test-{uuid.uuid4().hex[:8]}", live=live)
        return parent.add_child(instance=page)

    return course, quiz


def test_categories_get_the_course_the_person_or_the_platform(old_bank, django_user_model):
    apps = old_bank
    Category = apps.get_model("assessment", "QuestionCategory")
    Question = apps.get_model("assessment", "Question")
    Version = apps.get_model("assessment", "QuestionVersion")
    Rule = apps.get_model("assessment", "QuizQuestionRule")

    anna = django_user_model.objects.create_user(email="anna@bank.example", password="x", full_name="Anna")
    bert = django_user_model.objects.create_user(email="bert@bank.example", password="x", full_name="Bert")
    course, quiz = _pages()
    datenschutz, vergabe = course("Datenschutz"), course("Vergaberecht")
    ds_quiz, ds_draft = quiz(datenschutz), quiz(datenschutz, live=False)
    vg_quiz = quiz(vergabe)

    roots = iter(range(1, 100))

    def category(name, parent=None):
        if parent is None:
            path, depth = f"{next(roots):04d}", 1
        else:
            parent.numchild += 1
            parent.save(update_fields=["numchild"])
            path, depth = f"{parent.path}{parent.numchild:04d}", parent.depth + 1
        return Category.objects.create(path=path, depth=depth, name=name)

    def question(cat, author):
        q = Question.objects.create(category=cat, created_by_id=author.pk)
        version = Version.objects.create(
            question=q, number=1, qtype="truefalse", name="F", text="<p>?</p>", data={}, created_by_id=author.pk
        )
        q.current_version = version
        q.save(update_fields=["current_version"])
        return q

    # 1. One course draws from it (through its subcategory): the course owns the whole tree.
    one_course = category("Datenschutz-Pool")
    one_course_sub = category("DSGVO", parent=one_course)
    drawn = question(one_course_sub, anna)
    question(one_course_sub, bert)
    Rule.objects.create(page_id=ds_quiz.pk, category=one_course_sub, count=1, sort_order=0)
    # A fixed question counts as a draw from its category.
    fixed_pool = category("Einzelfragen")
    fixed = question(fixed_pool, anna)
    Rule.objects.create(page_id=ds_draft.pk, question=fixed, sort_order=0)
    # 2. No quiz, one author: the person owns it.
    personal = category("Annas Sammlung")
    personal_sub = category("Entwürfe", parent=personal)
    question(personal, anna)
    question(personal_sub, anna)
    # 3a. Two courses draw from it: the platform.
    shared = category("Gemeinsam")
    question(shared, anna)
    Rule.objects.create(page_id=ds_quiz.pk, category=shared, count=1, sort_order=1)
    Rule.objects.create(page_id=vg_quiz.pk, category=shared, count=1, sort_order=0)
    # 3b. No quiz, two authors: the platform.
    mixed = category("Gemischt")
    question(mixed, anna)
    question(mixed, bert)
    # 3c. Nothing known at all (no questions): the platform.
    empty = category("Leer")

    migrate_to(AFTER)

    from courses.assessment.quiz_models import QuizQuestionRelease
    from courses.questions.models import QuestionCategory

    owners = {
        c.pk: (c.course_id, c.owner_id) for c in QuestionCategory.objects.all().only("pk", "course_id", "owner_id")
    }
    assert owners[one_course.pk] == owners[one_course_sub.pk] == (datenschutz.pk, None)
    assert owners[fixed_pool.pk] == (datenschutz.pk, None)
    assert owners[personal.pk] == owners[personal_sub.pk] == (None, anna.pk)
    assert owners[shared.pk] == (None, None)
    assert owners[mixed.pk] == (None, None)
    assert owners[empty.pk] == (None, None)

    # Live quizzes keep drawing exactly what they drew: their current versions are released.
    released = set(QuizQuestionRelease.objects.values_list("quiz_id", "question_id", "version__number"))
    assert (ds_quiz.pk, drawn.pk, 1) in released
    assert {quiz_id for quiz_id, _question, _number in released} == {ds_quiz.pk, vg_quiz.pk}
    assert not QuizQuestionRelease.objects.filter(quiz_id=ds_draft.pk).exists()  # not live: nothing to keep
