"""Courses with activities for progress tests, and progress records made through the service."""

from __future__ import annotations

from wagtail.models import Page

from courses.catalog.models import CoursePage, LessonPage
from courses.progress.models import LearningPath, LearningPathStep
from tests.factories.catalog import CoursePageFactory, LessonPageFactory


def home_page() -> Page:
    return Page.objects.get(depth=2)


def course_create(*, title: str = "Kurs", lessons: int = 2, **fields) -> CoursePage:
    """A published course in the catalogue with `lessons` required lessons (viewing completes them)."""
    course = CoursePageFactory(title=title, **fields)
    for number in range(1, lessons + 1):
        lesson_add(course, title=f"{title} – Lektion {number}")
    return CoursePage.objects.get(pk=course.pk)


def lesson_add(course: CoursePage, *, title: str = "Lektion", is_required: bool = True, **fields) -> LessonPage:
    course = CoursePage.objects.get(pk=course.pk)  # fresh tree counters
    lesson = LessonPageFactory(parent=course, title=title, is_required=is_required, **fields)
    return LessonPage.objects.get(pk=lesson.pk)


def path_create(
    *, title: str = "Lernpfad", courses: list[CoursePage], sequential: bool = True, optional: tuple[int, ...] = ()
) -> LearningPath:
    path = LearningPath.objects.create(
        title=title, slug=f"pfad-{LearningPath.objects.count() + 1}", sequential=sequential
    )
    for position, course in enumerate(courses):
        LearningPathStep.objects.create(
            path=path, course=course, sort_order=position, is_required=position not in optional
        )
    return path
