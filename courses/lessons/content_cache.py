"""A lesson's published content rendered once per revision and reused by every learner (issue 18).

What is cached: the rendered intro, the reading time, the meta description and the HTML of the
body's content blocks (text, images, video, downloads, callouts, glossary terms). What never is:
blocks that depend on the person or the request (practice questions carry a signed token, H5P
items the player's state; they are rendered per request in their place), the position in the
course, the outline's "erledigt" marks, the completion box and the page chrome.

The key carries the page, its live revision and the interface language, so publishing a lesson
shows at once without a timeout; and a content generation, renewed when something the fragments
show from elsewhere changes: any page published, unpublished, moved or deleted (rich-text links
show the linked page's URL), a site, an image or a document saved or deleted, a rendition deleted
(rendition and file URLs). The generation is set afresh at once and again after the commit, so a request that read the
old rows while the change was being written stores under a generation nobody reads any more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.templatetags.wagtailcore_tags import richtext

# Bump when a block template or this module's output changes, so a deploy does not serve old HTML.
CONTENT_FORMAT = 1
GENERATION_KEY = "lessons:content-generation"
CONTENT_KEY = "lessons:content:{format}:{page}:{revision}:{language}:{generation}"

# Block types whose HTML is the same for everyone; anything else is rendered per request.
SHARED_BLOCK_TYPES = frozenset({"rich_text", "image", "video", "document", "callout", "glossary_term"})


@dataclass(frozen=True)
class LessonContent:
    """What the lesson template shows of the published content."""

    intro: SafeString
    minutes: int
    description: str
    # Each part: rendered HTML (shared blocks, joined) or the index of a block to render per request.
    parts: tuple[str | int, ...]


def lesson_content(*, lesson: Any, request: HttpRequest | None) -> LessonContent:
    """The lesson's content fragments: from the cache for a live revision, rendered on a miss."""
    if not _cacheable(lesson, request):
        return _render(lesson)
    key = CONTENT_KEY.format(
        format=CONTENT_FORMAT,
        page=lesson.pk,
        revision=lesson.live_revision_id,
        language=get_language() or "",
        generation=_generation(),
    )
    content = cache.get(key)
    if content is None:
        content = _render(lesson)
        cache.set(key, content, None)
    return content


def lesson_body_parts(*, lesson: Any, content: LessonContent) -> list[SafeString | Any]:
    """The body in order: cached HTML as it is, per-request blocks as bound blocks to include."""
    return [mark_safe(part) if isinstance(part, str) else lesson.body[part] for part in content.parts]  # noqa: S308 - HTML rendered here from the lesson's own blocks


def content_generation_bump() -> None:
    """Forget every cached lesson content (something it shows from elsewhere changed)."""
    cache.set(GENERATION_KEY, f"t{uuid.uuid4().hex}", None)


def _cacheable(lesson: Any, request: HttpRequest | None) -> bool:
    if request is None or getattr(request, "is_preview", False):
        return False  # a preview shows a draft: never under the live revision's key
    return bool(lesson.pk and lesson.live and lesson.live_revision_id)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, f"t{uuid.uuid4().hex}", None)
        generation = cache.get(GENERATION_KEY, "")
    return str(generation)


def _render(lesson: Any) -> LessonContent:
    lesson.prefetch_image_renditions()
    parts: list[str | int] = []
    shared: list[str] = []
    for index, block in enumerate(lesson.body):
        if block.block_type in SHARED_BLOCK_TYPES:
            shared.append(str(block.render(context={"page": lesson})))
            continue
        if shared:
            parts.append("".join(shared))
            shared = []
        parts.append(index)
    if shared:
        parts.append("".join(shared))
    intro = lesson.intro or ""
    return LessonContent(
        intro=SafeString(richtext(intro)) if intro else SafeString(""),
        minutes=lesson.reading_minutes,
        description=Truncator(strip_tags(lesson.search_description or intro)).words(30, truncate=" …"),
        parts=tuple(parts),
    )


def _bump_now_and_after_commit(**_kwargs: Any) -> None:
    content_generation_bump()
    transaction.on_commit(content_generation_bump)


def connect_receivers() -> None:
    """Called from LessonsConfig.ready(): what renews the content generation."""
    page_published.connect(_bump_now_and_after_commit, dispatch_uid="lessons.content.published")
    page_unpublished.connect(_bump_now_and_after_commit, dispatch_uid="lessons.content.unpublished")
    post_page_move.connect(_bump_now_and_after_commit, dispatch_uid="lessons.content.moved")
    post_delete.connect(_bump_now_and_after_commit, sender=Page, dispatch_uid="lessons.content.page_deleted")
    image_model = get_image_model()
    for model in (Site, image_model, get_document_model()):
        uid = f"lessons.content.{model._meta.label_lower}"
        post_save.connect(_bump_now_and_after_commit, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_bump_now_and_after_commit, sender=model, dispatch_uid=f"{uid}.deleted")
    # A deleted rendition's file is gone: the cached <img> pointing at it would show nothing.
    rendition_model = image_model.get_rendition_model()
    post_delete.connect(
        _bump_now_and_after_commit, sender=rendition_model, dispatch_uid="lessons.content.rendition_deleted"
    )
