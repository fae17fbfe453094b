"""Demo H5P activities: every ``content/demo/<course>/*.h5p.md``, uploaded as a trainer would.

Each source is built into a real ``.h5p`` package (`courses.h5p.demo_files`) and goes through
the upload's own validation and service (:func:`courses.h5p.services.h5p_content_import`); the
activity page below its course points at the item. Every source is read, built and validated
before anything is written, so a broken file stops the seed with a German message naming file
and field, and nothing is loaded half.

Idempotent: a second run changes nothing. An edited package (title, content, metadata) is
uploaded again as a new item and the page gets a new published revision pointing at it, as a
trainer's re-upload does; results of the old item stay with it. Edited page settings give a new
revision. Without the catalogue's demo courses the items are only uploaded.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from courses.catalog.models import CoursePage

from . import storage
from .demo_files import DemoPackage, load_activities
from .models import H5PActivityPage, H5PContent
from .services import h5p_content_import


def _stored_content(content: H5PContent) -> Any:
    source = storage.content_dir(content.pk) / "content" / "content.json"
    try:
        return json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _same_package(content: H5PContent | None, item: DemoPackage) -> bool:
    """Whether the item on the platform is what the source builds (metadata and parameters)."""
    if content is None:
        return False
    return (
        content.source_filename == item.filename
        and content.h5p_json == item.h5p_json
        and _stored_content(content) == item.content
    )


def _upload(item: DemoPackage) -> H5PContent:
    return h5p_content_import(file=io.BytesIO(item.data), filename=item.filename)


def _page_fields(item: DemoPackage, content: H5PContent) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": item.title, "intro": item.intro, "content": content}
    # Only what the file states: otherwise the page keeps its setting on the platform.
    if item.passing_threshold is not None:
        fields["passing_threshold"] = item.passing_threshold
    if item.score_policy is not None:
        fields["score_policy"] = item.score_policy
    if item.required is not None:
        fields["is_required"] = item.required
    return fields


def _page_differs(page: H5PActivityPage, fields: dict[str, Any]) -> bool:
    return any(getattr(page, name) != value for name, value in fields.items())


@transaction.atomic
def seed(*, stdout, root: Path | None = None) -> None:
    items = load_activities(root)  # every file read, built and validated before the first write
    uploaded = created = updated = 0
    for item in items:
        course = CoursePage.objects.filter(slug=item.course_slug).select_related("owner").first()
        page = (
            H5PActivityPage.objects.child_of(course).filter(slug=item.slug).select_related("content").first()
            if course is not None
            else None
        )
        current = (
            page.content
            if page is not None
            else H5PContent.objects.filter(source_filename=item.filename).order_by("-pk").first()
        )
        content = current if current is not None and _same_package(current, item) else None
        if content is None:
            content = _upload(item)
            uploaded += 1
            stdout.write(f"  H5P-Inhalt „{content.title}“ aus {item.path.name} hochgeladen.")
        if course is None:
            stdout.write(f"  Kein Demokurs „{item.course_slug}“ gefunden – H5P-Aktivität übersprungen.")
            continue
        fields = _page_fields(item, content)
        if page is None:
            page = H5PActivityPage(slug=item.slug, owner=course.owner, **fields)
            course.add_child(instance=page)
            created += 1
        elif _page_differs(page, fields):
            for name, value in fields.items():
                setattr(page, name, value)
            updated += 1
        else:
            continue
        page.save_revision(user=course.owner).publish()
    stdout.write(f"  H5P: {uploaded} hochgeladene Pakete, {created} neue und {updated} geänderte Aktivitäten")
