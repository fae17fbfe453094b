"""Reads of the catalogue: course search with facets, course outlines and lesson navigation.

Every function issues a bounded number of queries whatever the number of courses or lessons;
tests/courses/catalog/test_query_counts.py holds them to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import search
from .models import CoursePage, LessonPage, Topic

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


def search_vocabulary() -> frozenset[str]:
    """Words of published course and lesson titles, course summaries and topics (two queries, cached)."""
    known = cache.get(SEARCH_VOCABULARY_CACHE_KEY)
    if known is None:
        texts: list[str] = []
        for row in CoursePage.objects.live().values_list("title", "summary", "topic__name"):
            texts.extend(str(value) for value in row if value)
        texts.extend(LessonPage.objects.live().values_list("title", flat=True))
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
        LessonPage.objects.live().public().defer("body").search(search.build_query(query))[:LESSON_SEARCH_LIMIT]
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

    topic_counts = dict(courses.filter(level_q, duration_q).values_list("topic_id").annotate(n=Count("pk")).order_by())
    level_counts = dict(courses.filter(topic_q, duration_q).values_list("level").annotate(n=Count("pk")).order_by())
    duration_counts = courses.filter(topic_q, level_q).aggregate(
        **{b.slug: Count("pk", filter=b.q()) for b in DURATION_BANDS}
    )

    matching = courses.filter(topic_q, level_q, duration_q).select_related("topic")
    if ranked_ids is None:
        total = matching.count()
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
            for t in Topic.objects.order_by("name")
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


@dataclass
class OutlineItem:
    page: Page
    position: int
    kind: str
    minutes: int | None
    is_required: bool
    is_current: bool = False


def course_activities(*, course: Page) -> list[Page]:
    """The published activities of a course in their order, as their specific page types.

    One query for the pages plus one per activity type, however many activities there are.
    """
    return list(course.get_children().live().specific().order_by("path"))


def course_outline(*, course: Page, current: Page | None = None) -> list[OutlineItem]:
    """The course's activities in order, the current one marked.

    Which ones the learner has done is progress's to say: the outline template asks its
    `completed_activity_ids` tag (catalog does not import progress).
    """
    items = []
    for position, page in enumerate(course_activities(course=course), start=1):
        minutes = page.reading_minutes if isinstance(page, LessonPage) else getattr(page, "estimated_minutes", None)
        items.append(
            OutlineItem(
                page=page,
                position=position,
                kind=str(page._meta.verbose_name),
                minutes=minutes,
                is_required=getattr(page, "is_required", True),
                is_current=current is not None and page.pk == current.pk,
            )
        )
    return items


@dataclass
class LessonNavigation:
    course: Page
    outline: list[OutlineItem]
    position: int
    total: int
    previous: Page | None
    next: Page | None


def lesson_navigation(*, lesson: LessonPage) -> LessonNavigation:
    """Where a lesson sits in its course: the outline, its position, the previous and next activity."""
    course = lesson.get_parent()
    outline = course_outline(course=course, current=lesson)
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
