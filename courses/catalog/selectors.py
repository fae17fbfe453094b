"""Reads of the catalogue: course search with facets, course outlines and lesson navigation.

Every function issues a bounded number of queries whatever the number of courses or lessons;
tests/courses/catalog/test_query_counts.py holds them to it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps
from django.core.cache import cache
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import search
from .models import ActivityPage, CoursePage, Topic

# Words of published titles and summaries that a typo is corrected to; forgotten on every publish.
SEARCH_VOCABULARY_CACHE_KEY = "catalog:search-vocabulary"


@dataclass(frozen=True)
class DurationBand:
    slug: str
    label: str | Promise
    above: Decimal | None  # exclusive lower bound in hours
    up_to: Decimal | None  # inclusive upper bound in hours

    def q(self) -> Q:
        condition = Q()
        if self.above is not None:
            condition &= Q(estimated_hours__gt=self.above)
        if self.up_to is not None:
            condition &= Q(estimated_hours__lte=self.up_to)
        return condition


DURATION_BANDS = [
    DurationBand("bis-2-stunden", _("bis 2 Stunden"), None, Decimal("2")),
    DurationBand("2-bis-5-stunden", _("2 bis 5 Stunden"), Decimal("2"), Decimal("5")),
    DurationBand("ueber-5-stunden", _("mehr als 5 Stunden"), Decimal("5"), None),
]
DURATIONS_BY_SLUG = {band.slug: band for band in DURATION_BANDS}


@dataclass
class FacetOption:
    value: str
    label: str | Promise
    count: int
    selected: bool


@dataclass
class CatalogResult:
    courses: list[CoursePage]
    total: int
    lesson_hits: dict[int, list[Page]] = field(default_factory=dict)
    """For a search: per course, the lessons whose text matched (the course itself may not have)."""
    topics: list[FacetOption] = field(default_factory=list)
    levels: list[FacetOption] = field(default_factory=list)
    durations: list[FacetOption] = field(default_factory=list)
    corrected_query: str = ""
    """When nothing matched the query as typed: the query with one typo per word corrected, that did match."""


def _published_courses() -> QuerySet[CoursePage]:
    return CoursePage.objects.live().public()


# Lessons looked at per search; enough to find the courses, bounded whatever the catalogue size.
LESSON_SEARCH_LIMIT = 200
# Lessons sit above the catalogue (courses.lessons); the search reaches their model through the
# app registry by its label, as the subpage rules do, instead of importing upward.
LESSON_MODEL = "lessons.LessonPage"


def _lesson_model() -> type[ActivityPage]:
    return apps.get_model(LESSON_MODEL)


def search_vocabulary() -> frozenset[str]:
    """Words of published course and lesson titles, course summaries and topics (two queries, cached)."""
    known = cache.get(SEARCH_VOCABULARY_CACHE_KEY)
    if known is None:
        texts: list[str] = []
        for row in CoursePage.objects.live().values_list("title", "summary", "topic__name"):
            texts.extend(str(value) for value in row if value)
        texts.extend(_lesson_model().objects.live().values_list("title", flat=True))
        known = search.vocabulary_words(texts)
        cache.set(SEARCH_VOCABULARY_CACHE_KEY, known, None)
    return known


def _matching_course_ids(courses: QuerySet[CoursePage], *, query: str) -> tuple[list[int], dict[int, list[Page]]]:
    ranked_ids = [page.pk for page in courses.search(search.build_query(query))]  # type: ignore[attr-defined]
    lesson_hits = _courses_with_matching_lessons(query=query)
    ranked_ids += [pk for pk in lesson_hits if pk not in ranked_ids]
    return ranked_ids, lesson_hits


def _courses_with_matching_lessons(*, query: str) -> dict[int, list[Page]]:
    """Course id → lessons whose text matches, in relevance order (two queries)."""
    lessons = list(
        _lesson_model().objects.live().public().defer("body").search(search.build_query(query))[:LESSON_SEARCH_LIMIT]
    )
    if not lessons:
        return {}
    parent_path = {lesson.pk: lesson.path[: -Page.steplen] for lesson in lessons}
    course_by_path = dict(CoursePage.objects.filter(path__in=set(parent_path.values())).values_list("path", "pk"))
    hits: dict[int, list[Page]] = {}
    for lesson in lessons:
        course_id = course_by_path.get(parent_path[lesson.pk])
        if course_id is not None:
            hits.setdefault(course_id, []).append(lesson)
    return hits


def catalog_search(
    *,
    query: str = "",
    topic: Topic | None = None,
    level: str = "",
    duration: str = "",
    limit: int = 50,
    offset: int = 0,
) -> CatalogResult:
    """Published courses matching a full-text query and filters, with a count per filter option.

    Each facet counts the courses that match the query and the *other* filters, so the numbers
    say what choosing that option would give. Unknown level or duration values are ignored.
    """
    courses = _published_courses()
    ranked_ids: list[int] | None = None
    lesson_hits: dict[int, list[Page]] = {}
    corrected_query = ""
    if query.strip():
        ranked_ids, lesson_hits = _matching_course_ids(courses, query=query.strip())
        if not ranked_ids:
            # Nothing as typed: try once with each word one typo away from a word the catalogue knows.
            corrected_query = search.corrected(query, known=search_vocabulary())
            if corrected_query:
                ranked_ids, lesson_hits = _matching_course_ids(courses, query=corrected_query)
                if not ranked_ids:
                    corrected_query = ""
        courses = courses.filter(pk__in=ranked_ids)

    level = level if level in CoursePage.Level.values else ""
    band = DURATIONS_BY_SLUG.get(duration)
    topic_q = Q(topic=topic) if topic else Q()
    level_q = Q(level=level) if level else Q()
    duration_q = band.q() if band else Q()

    # Every facet count and the total from one GROUP BY over (topic, level, duration band): the
    # groups are few (topics × levels × bands), the sums per option are taken here.
    groups = list(
        courses.annotate(band=Case(*(When(b.q(), then=Value(b.slug)) for b in DURATION_BANDS), default=Value("")))
        .values_list("topic_id", "level", "band")
        .annotate(n=Count("pk"))
        .order_by()
    )
    topic_counts: dict[int, int] = {}
    level_counts: dict[str, int] = {}
    duration_counts = {b.slug: 0 for b in DURATION_BANDS}
    matching_total = 0
    for topic_id, group_level, group_band, n in groups:
        topic_ok = topic is None or topic_id == topic.pk
        level_ok = not level or group_level == level
        band_ok = band is None or group_band == band.slug
        if level_ok and band_ok:
            topic_counts[topic_id] = topic_counts.get(topic_id, 0) + n
        if topic_ok and band_ok:
            level_counts[group_level] = level_counts.get(group_level, 0) + n
        if topic_ok and level_ok and group_band:
            duration_counts[group_band] += n
        if topic_ok and level_ok and band_ok:
            matching_total += n

    matching = courses.filter(topic_q, level_q, duration_q).select_related("topic")
    if ranked_ids is None:
        total = matching_total
        page_of_courses = list(matching.order_by("title")[offset : offset + limit])
    else:
        # Keep the search engine's relevance order; the matches of one query are few.
        rank = {pk: i for i, pk in enumerate(ranked_ids)}
        found = sorted(matching, key=lambda c: rank[c.pk])
        total = len(found)
        page_of_courses = found[offset : offset + limit]

    for course in page_of_courses:
        course.matching_lessons = lesson_hits.get(course.pk, [])
    return CatalogResult(
        courses=page_of_courses,
        total=total,
        corrected_query=corrected_query,
        lesson_hits={c.pk: lesson_hits[c.pk] for c in page_of_courses if c.pk in lesson_hits},
        topics=[
            FacetOption(t.slug, t.name, topic_counts.get(t.pk, 0), topic is not None and t.pk == topic.pk)
            for t in topics_cached()
        ],
        levels=[
            FacetOption(value, label, level_counts.get(value, 0), value == level)
            for value, label in CoursePage.Level.choices
        ],
        durations=[
            FacetOption(b.slug, b.label, duration_counts[b.slug], band is not None and b.slug == band.slug)
            for b in DURATION_BANDS
        ],
    )


# The topics every catalogue page lists as facets: a handful, edited rarely; forgotten whenever
# one is saved or deleted (templatetags/catalog_nav.py), never on a timeout.
TOPICS_CACHE_KEY = "catalog:topics"


@dataclass(frozen=True)
class TopicRef:
    pk: int
    slug: str
    name: str


def topics_cached() -> list[TopicRef]:
    """Every topic by name (for the facets), from the cache."""
    topics = cache.get(TOPICS_CACHE_KEY)
    if topics is None:
        topics = [
            TopicRef(pk, slug, name)
            for pk, slug, name in Topic.objects.order_by("name").values_list("pk", "slug", "name")
        ]
        cache.set(TOPICS_CACHE_KEY, topics, None)
    return topics


@dataclass
class OutlineItem:
    page: Page
    """The activity as a plain page (title, URL, publication dates); cached, so never its content."""
    position: int
    kind: str
    minutes: int | None
    is_required: bool
    is_current: bool = False
    model_name: str = ""


@dataclass(frozen=True)
class CourseOutline:
    """A course's live activities in order, computed once per course revision and cached."""

    course: Page
    items: tuple[OutlineItem, ...]
    parent: Page | None = None
    """The course's parent (the catalogue) as a plain page, for the breadcrumb. A page above the
    courses changing bumps every outline, so its title and URL are as fresh as the outline's.
    None in outlines cached before it was added: then the page asks the database."""


# Outlines are cached under the course's path and a generation: the id of the latest revision
# published in the course (the course page or one of its activities), or a fresh token after an
# unpublish, move or delete there. Publishing thus invalidates at once, never after a timeout;
# a page higher up (home, catalogue) changing bumps every outline, since URLs below it change.
# v2: outlines carry the course's parent (cached before, they lack it and cost the breadcrumb a query).
OUTLINE_KEY = "catalog:outline:v2:{path}:{generation}:{site_generation}"
OUTLINE_GENERATION_KEY = "catalog:outline-generation:{path}"
OUTLINE_SITE_GENERATION_KEY = "catalog:outline-generation"


def _generation(key: str) -> str:
    generation = cache.get(key)
    if generation is None:
        cache.add(key, f"t{uuid.uuid4().hex}", None)
        generation = cache.get(key, "")
    return str(generation)


def outline_generation_bump(*, path: str, revision_id: int | None = None) -> None:
    """Forget the cached outline of the course at `path` (after something in it changed)."""
    generation = f"r{revision_id}" if revision_id is not None else f"t{uuid.uuid4().hex}"
    cache.set(OUTLINE_GENERATION_KEY.format(path=path), generation, None)


def outline_site_generation_bump() -> None:
    """Forget every cached outline (a page above the courses changed: their URLs may have too)."""
    cache.set(OUTLINE_SITE_GENERATION_KEY, f"t{uuid.uuid4().hex}", None)


def _plain(page: Page) -> Page:
    """The page's Page fields only (what titles, links and dates need), without its content."""
    plain = Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
    plain._state.adding = False
    return plain


def _outline_of(course: Page, activities: list[Page], parent: Page | None) -> CourseOutline:
    items = []
    for position, page in enumerate(activities, start=1):
        minutes = page.reading_minutes if isinstance(page, ActivityPage) else None
        items.append(
            OutlineItem(
                page=_plain(page),
                position=position,
                kind=str(page._meta.verbose_name),
                minutes=minutes,
                is_required=getattr(page, "is_required", True),
                model_name=page._meta.model_name or "",
            )
        )
    return CourseOutline(course=_plain(course), items=tuple(items), parent=_plain(parent) if parent else None)


def _outline_build(course_path: str) -> CourseOutline | None:
    parent_path = course_path[: -Page.steplen]
    pages = {page.path: page for page in Page.objects.filter(path__in=[course_path, parent_path])}  # one query
    course = pages.get(course_path)
    if course is None:
        return None
    return _outline_of(course, course_activities(course=course), pages.get(parent_path))


def _outlines_build(course_paths: list[str]) -> dict[str, CourseOutline]:
    """The outlines of several courses at once: the courses, their live children (one query plus
    one per activity type), whatever the number of courses."""
    parent_paths = {path[: -Page.steplen] for path in course_paths}
    pages = {p.path: p for p in Page.objects.filter(path__in=[*course_paths, *parent_paths])}  # one query
    courses = {path: pages[path] for path in course_paths if path in pages}
    if not courses:
        return {}
    children: dict[str, list[Page]] = {path: [] for path in courses}
    depth = {c.depth for c in courses.values()}
    candidates = Page.objects.live().filter(depth__in=[d + 1 for d in depth])
    # A child's path is its parent's plus one step: filter by those prefixes in the database.
    prefix_q = Q()
    for path in courses:
        prefix_q |= Q(path__startswith=path)
    for page in candidates.filter(prefix_q).specific().order_by("path"):
        parent = children.get(page.path[: -Page.steplen])
        if parent is not None:
            parent.append(page)
    return {
        path: _outline_of(course, children[path], pages.get(path[: -Page.steplen])) for path, course in courses.items()
    }


_REQUEST_OUTLINES = "_course_outlines"


def course_outline_cached(*, course_path: str, request: HttpRequest | None = None) -> CourseOutline | None:
    """The outline of the course at `course_path`: from the cache, else built (two queries plus one
    per activity type) and cached for this generation of the course. With `request`, kept on it
    too, so the page's parts that show the outline (navigation, "erledigt" marks) ask the cache once."""
    if request is not None:
        outlines: dict[str, CourseOutline | None] = request.__dict__.setdefault(_REQUEST_OUTLINES, {})
        if course_path not in outlines:
            outlines[course_path] = course_outline_cached(course_path=course_path)
        return outlines[course_path]
    generation_key = OUTLINE_GENERATION_KEY.format(path=course_path)
    # Both generations in one round trip; a missing one is created as `_generation` does.
    generations = cache.get_many([generation_key, OUTLINE_SITE_GENERATION_KEY])
    key = OUTLINE_KEY.format(
        path=course_path,
        generation=str(generations[generation_key]) if generation_key in generations else _generation(generation_key),
        site_generation=(
            str(generations[OUTLINE_SITE_GENERATION_KEY])
            if OUTLINE_SITE_GENERATION_KEY in generations
            else _generation(OUTLINE_SITE_GENERATION_KEY)
        ),
    )
    outline = cache.get(key)
    if outline is None:
        outline = _outline_build(course_path)
        if outline is None:
            return None
        cache.set(key, outline, None)
    return outline


def course_outlines_cached(*, course_paths: list[str]) -> dict[str, CourseOutline]:
    """The outlines of several courses by path (a learner's courses): two cache round trips, and
    the missing ones built together (bounded queries) and cached, as `course_outline_cached` does."""
    if not course_paths:
        return {}
    site_generation = _generation(OUTLINE_SITE_GENERATION_KEY)
    generation_keys = {path: OUTLINE_GENERATION_KEY.format(path=path) for path in course_paths}
    generations = cache.get_many(list(generation_keys.values()))
    keys = {
        path: OUTLINE_KEY.format(
            path=path,
            generation=str(generations[key]) if key in generations else _generation(key),
            site_generation=site_generation,
        )
        for path, key in generation_keys.items()
    }
    found = cache.get_many(list(keys.values()))
    outlines = {path: found[key] for path, key in keys.items() if key in found}
    missing = [path for path in course_paths if path not in outlines]
    if missing:
        built = _outlines_build(missing)
        cache.set_many({keys[path]: outline for path, outline in built.items()}, None)
        outlines.update(built)
    return outlines


def course_activities(*, course: Page) -> list[Page]:
    """The published activities of a course in their order, as their specific page types.

    One query for the pages plus one per activity type, however many activities there are.
    """
    return list(course.get_children().live().specific().order_by("path"))


def course_parent(*, course: Page, request: HttpRequest | None = None) -> Page | None:
    """The course's parent page (the catalogue, for the breadcrumb): from the cached outline."""
    outline = course_outline_cached(course_path=course.path, request=request)
    if outline is not None and outline.parent is not None:
        return outline.parent
    return course.get_parent()


def course_outline(
    *, course: Page, current: Page | None = None, request: HttpRequest | None = None
) -> list[OutlineItem]:
    """The course's activities in order, the current one marked.

    Which ones the learner has done is progress's to say: the outline template asks its
    `completed_activity_ids` tag (catalog does not import progress).
    """
    outline = course_outline_cached(course_path=course.path, request=request)
    items = outline.items if outline else ()
    return [replace(item, is_current=current is not None and item.page.pk == current.pk) for item in items]


@dataclass
class LessonNavigation:
    course: Page
    outline: list[OutlineItem]
    position: int
    total: int
    previous: Page | None
    next: Page | None


def lesson_navigation(*, lesson: Page, request: HttpRequest | None = None) -> LessonNavigation:
    """Where a lesson sits in its course: the outline, its position, the previous and next activity."""
    outline_ = course_outline_cached(course_path=lesson.path[: -Page.steplen], request=request)
    course = outline_.course if outline_ else lesson.get_parent()
    items = outline_.items if outline_ else ()
    outline = [replace(item, is_current=item.page.pk == lesson.pk) for item in items]
    index = next((i for i, item in enumerate(outline) if item.is_current), None)
    if index is None:  # a draft being previewed is not among the live activities
        return LessonNavigation(course, outline, 0, len(outline), None, None)
    return LessonNavigation(
        course=course,
        outline=outline,
        position=index + 1,
        total=len(outline),
        previous=outline[index - 1].page if index > 0 else None,
        next=outline[index + 1].page if index + 1 < len(outline) else None,
    )
