"""Courses with activities for progress tests, and progress records made through the service."""

from __future__ import annotations

import itertools

from wagtail.models import Page

from courses.assessment.quiz_models import QuizPage
from courses.catalog.models import CoursePage
from courses.lessons.models import LessonPage
from courses.progress.models import LearningPath, LearningPathStep
from tests.factories.catalog import CoursePageFactory, LessonPageFactory


def home_page() -> Page:
    return Page.objects.get(depth=2)


_seq = itertools.count(1)


def course_create(*, title: str = "Kurs", lessons: int = 2, quizzes: int = 0, **fields) -> CoursePage:
    """A published course in the catalogue: `lessons` required lessons (viewing completes them),
    then `quizzes` required quizzes (passing completes them)."""
    course = CoursePageFactory(title=title, **fields)
    for number in range(1, lessons + 1):
        lesson_add(course, title=f"{title} – Lektion {number}")
    for number in range(1, quizzes + 1):
        quiz_add(course, title=f"{title} – Test {number}")
    return CoursePage.objects.get(pk=course.pk)


def lesson_add(course: CoursePage, *, title: str = "Lektion", is_required: bool = True, **fields) -> LessonPage:
    course = CoursePage.objects.get(pk=course.pk)  # fresh tree counters
    lesson = LessonPageFactory(parent=course, title=title, is_required=is_required, **fields)
    return LessonPage.objects.get(pk=lesson.pk)


def quiz_add(course: CoursePage, *, title: str = "Test", is_required: bool = True, **fields) -> QuizPage:
    """A published quiz in the course. Progress tests report its results through the service, so
    it needs no questions; `completion_mode` and `passing_grade` are its real settings."""
    course = CoursePage.objects.get(pk=course.pk)
    quiz = QuizPage(title=title, slug=f"test-{next(_seq)}", is_required=is_required, **fields)
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


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
