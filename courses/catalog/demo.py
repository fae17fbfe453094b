"""Demo catalogue: the three topics, the catalogue page and one real course per topic.

The content comes from the files under ``content/demo/`` (`courses.catalog.demo_files`); the
lessons of the courses are seeded by `courses.lessons.demo` (after the question bank, whose
practice questions they show). Idempotent: existing course pages are left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from wagtail.models import Page, Site

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

    created_courses = 0
    for data in courses:
        course = CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).first()
        if course is None:
            course = CoursePage(owner=owner, **_course_fields(data, topics))
            catalog.add_child(instance=course)
            _publish(course, user=owner)
            created_courses += 1
        course_permissions_sync(course=course)
    stdout.write(f"  Kurskatalog: {len(topics)} Themenfelder, {len(courses)} Kurse ({created_courses} neu)")
