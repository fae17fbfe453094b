"""Demo catalogue: the three topics, the catalogue page and one real course per topic.

The content comes from the files under ``content/demo/`` (`courses.catalog.demo_files`).
Idempotent: a second `seed_demo` changes nothing; after a lesson file was edited, the next run
publishes a new revision of that lesson (the files are the source of the demo, not the admin).
Existing course pages are left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from wagtail.models import Page, Site

from courses.lessons.models import LessonPage
from lernplattform.accounts.models import User

from .demo_files import load_courses, load_topics
from .models import CatalogPage, CoursePage, Topic

CATALOG_INTRO = (
    "<p>Kurse des Kompetenzzentrums für Beschäftigte in Kommunen: Datenmanagement, "
    "Organisationsentwicklung und Standards – zum Selbstlernen, in Ihrem Tempo.</p>"
)
DEMO_TRAINER_EMAIL = "trainerin@demo.lernplattform.de"


def _publish(page, *, user=None) -> None:
    # The demo publishes as the system: the trainer is the author, not the one who approves.
    page.save_revision(user=user).publish()


def catalog_page_ensure(*, home: Page) -> CatalogPage:
    catalog = CatalogPage.objects.first()
    if catalog is None:
        catalog = CatalogPage(title="Kurskatalog", slug="kurse", intro=CATALOG_INTRO)
        home.add_child(instance=catalog)
        _publish(catalog)
    return catalog


def _course_fields(data: dict, topics: dict[str, Topic]) -> dict:
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"],
        "easy_summary": data["easy_summary"],
        "topic": topics[data["topic"]],
        "level": data["level"],
        "estimated_hours": data["hours"],
        "outcomes": [("item", text) for text in data["outcomes"]],
        "target_groups": [("item", text) for text in data["target_groups"]],
        "prerequisites": [("item", text) for text in data["prerequisites"]],
    }


def _lesson_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "intro": f"<p>{data['intro']}</p>",
        "estimated_minutes": data["minutes"],
        "body": data["body"],
    }


def _blocks(raw: list[dict]) -> list[tuple[str, object]]:
    return [(block["type"], block["value"]) for block in raw]


def _lesson_differs(lesson: LessonPage, fields: dict) -> bool:
    return (
        lesson.title != fields["title"]
        or lesson.intro != fields["intro"]
        or lesson.estimated_minutes != fields["estimated_minutes"]
        or _blocks(list(lesson.body.raw_data)) != _blocks(fields["body"])
    )


@transaction.atomic
def seed(*, stdout, root: Path | None = None) -> None:
    from .services import catalog_permissions_setup, course_permissions_sync

    courses = load_courses(root)
    topics = {}
    for topic in load_topics(root):
        topics[topic["slug"]], _ = Topic.objects.update_or_create(
            slug=topic["slug"], defaults={"name": topic["name"], "description": topic["description"]}
        )
    # The portal's demo made the home page the default site's root; catalog does not import portal.
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site is not None and site.root_page.depth > 1 else None
    if home is None:
        stdout.write("  Keine Startseite gefunden – Kurskatalog übersprungen.")
        return
    catalog = catalog_page_ensure(home=home)
    catalog_permissions_setup(catalog=catalog)
    owner = User.objects.filter(email=DEMO_TRAINER_EMAIL).first()

    created_courses = created_lessons = updated_lessons = 0
    for data in courses:
        course = CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).first()
        if course is None:
            course = CoursePage(owner=owner, **_course_fields(data, topics))
            catalog.add_child(instance=course)
            _publish(course, user=owner)
            created_courses += 1
        existing = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course).specific()}
        for lesson_data in data["lessons"]:
            fields = _lesson_fields(lesson_data)
            lesson = existing.get(lesson_data["slug"])
            if lesson is None:
                lesson = LessonPage(owner=owner, slug=lesson_data["slug"], **fields)
                course.add_child(instance=lesson)
                _publish(lesson, user=owner)
                created_lessons += 1
            elif _lesson_differs(lesson, fields):
                for name, value in fields.items():
                    setattr(lesson, name, value)
                _publish(lesson, user=owner)
                updated_lessons += 1
        course_permissions_sync(course=course)
    stdout.write(
        f"  Kurskatalog: {len(topics)} Themenfelder, {len(courses)} Kurse "
        f"({created_courses} neu), {created_lessons} neue und {updated_lessons} geänderte Lektionen"
    )
