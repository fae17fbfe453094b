"""Migrations catalog 0006 / lessons 0001 move LessonPage to courses.lessons (issue 11).

The database is taken back to catalog 0005 (lessons in the catalogue), a course with two lessons
and a revision is written with the historical models, and migrated forward; the rows are then read
with today's models: the same counts, and `Page.specific` gives a `lessons.LessonPage` with its body.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Page, Revision

from courses.lessons.models import LessonPage
from tests.migrations import migrate_to

BEFORE = ("catalog", "0005_course_certificate_template")
AFTER = ("lessons", "0001_initial")

# serialized_rollback: the flush afterwards must not run post_migrate handlers on an empty database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = [{"type": "rich_text", "value": "<p>Artikel 5 nennt die Grundsätze.</p>", "id": "b1"}]


@pytest.fixture
def old_state():
    executor = migrate_to(BEFORE)
    leaves = list(executor.loader.graph.leaf_nodes())
    try:
        yield executor.loader.project_state([BEFORE]).apps
    finally:
        ContentType.objects.clear_cache()
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        ContentType.objects.clear_cache()
        # Warm the content type cache again from the database: the next test with serialized_rollback
        # restores its rows after a flush, and a save signal asking an empty cache would otherwise
        # create a content type under a new id first (UNIQUE constraint failed on django_content_type).
        ContentType.objects.get_for_models(*django_apps.get_models(), for_concrete_models=False)


def _course_with_lessons(apps) -> tuple[int, list[int]]:
    old_page = apps.get_model("wagtailcore", "Page")
    old_locale = apps.get_model("wagtailcore", "Locale")
    old_content_type = apps.get_model("contenttypes", "ContentType")
    old_course = apps.get_model("catalog", "CoursePage")
    old_lesson = apps.get_model("catalog", "LessonPage")
    old_revision = apps.get_model("wagtailcore", "Revision")

    locale, _ = old_locale.objects.get_or_create(language_code="de")
    course_type, _ = old_content_type.objects.get_or_create(app_label="catalog", model="coursepage")
    lesson_type, _ = old_content_type.objects.get_or_create(app_label="catalog", model="lessonpage")
    page_type, _ = old_content_type.objects.get_or_create(app_label="wagtailcore", model="page")
    root = old_page.objects.filter(depth=1).first() or old_page.objects.create(
        title="Wurzel",
        slug="wurzel",
        path="0001",
        depth=1,
        numchild=0,
        url_path="/",
        content_type=page_type,
        locale=locale,
    )
    base = root.path + f"{9000 + old_page.objects.filter(depth=2).count():04d}"
    common = {"locale": locale, "live": True}
    course = old_course.objects.create(
        title="Datenschutz",
        draft_title="Datenschutz",
        slug="datenschutz-umzug",
        path=base,
        depth=2,
        numchild=2,
        url_path="/datenschutz-umzug/",
        content_type=course_type,
        **common,
    )
    lessons = []
    for number in (1, 2):
        lesson = old_lesson.objects.create(
            title=f"Lektion {number}",
            draft_title=f"Lektion {number}",
            slug=f"lektion-{number}",
            path=base + f"{number:04d}",
            depth=3,
            numchild=0,
            url_path=f"/datenschutz-umzug/lektion-{number}/",
            content_type=lesson_type,
            body=json.dumps(BODY),
            completion_mode="done",
            **common,
        )
        lessons.append(lesson.pk)
    content = {"pk": lessons[0], "title": "Lektion 1 (Entwurf)", "slug": "lektion-1", "body": json.dumps(BODY)}
    old_revision.objects.create(
        content_type=lesson_type,
        base_content_type=page_type,
        object_id=str(lessons[0]),
        content=content,
        created_at=timezone.now(),
        object_str="Lektion 1",
    )
    return course.pk, lessons


def test_lessons_keep_their_rows_and_become_lessons_pages(old_state):
    course_id, lesson_ids = _course_with_lessons(old_state)
    before = (Page.objects.count(), Revision.objects.count(), len(lesson_ids))

    migrate_to(AFTER)
    ContentType.objects.clear_cache()

    assert not ContentType.objects.filter(app_label="catalog", model="lessonpage").exists()
    assert (Page.objects.count(), Revision.objects.count(), LessonPage.objects.count()) == before
    lesson = Page.objects.get(pk=lesson_ids[0]).specific
    assert type(lesson) is LessonPage
    assert lesson._meta.label == "lessons.LessonPage"
    assert lesson.body[0].block_type == "rich_text"
    assert "Artikel 5" in lesson.body[0].value.source
    assert lesson.completion_mode == LessonPage.CompletionMode.DONE
    assert lesson.get_parent().pk == course_id
    revision = Revision.objects.get(object_id=str(lesson_ids[0]))
    draft = revision.as_object()
    assert type(draft) is LessonPage
    assert draft.title == "Lektion 1 (Entwurf)"
    assert draft.body[0].block_type == "rich_text"
