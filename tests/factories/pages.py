"""The one place tests build pages: topics, the catalogue, courses, lessons, quizzes, H5P activities, paths.

Every page goes where its type allows it (``parent_page_types`` / ``subpage_types``): the catalogue
under the home page, courses under the catalogue, activities under a course. No course is put
under the home page, so a test sees the same tree and URLs an editor would build.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import factory
from django.conf import settings
from wagtail.models import Locale, Page, Site

from courses.assessment.quiz_models import QuizPage
from courses.catalog.models import CatalogPage, CoursePage, Topic
from courses.h5p.models import H5PActivityPage, H5PContent
from courses.lessons.models import LessonPage
from courses.progress.models import LearningPath, LearningPathStep
from lernplattform.portal.models import HomePage
from tests.factories.h5p import h5p_content

_seq = itertools.count(1)


def home_page() -> HomePage:
    """The site's home page; rebuilt when a transactional test has flushed the migrated pages."""
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Lernplattform für Kommunen", slug="home"))
        Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Themenfeld {n}")
    slug = factory.Sequence(lambda n: f"themenfeld-{n}")


class _PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as the last child of `parent` (default: see `_default_parent`).

    ``publish=False`` adds the page without a revision, as an import or a migration would.
    """

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        page = model_class(*args, **kwargs)
        parent = parent or cls._default_parent()
        type(parent.specific).objects.get(pk=parent.pk).add_child(instance=page)  # fresh tree counters
        # The caller's parent object now has a stale child count; a later save_revision().publish() of it
        # would write that count back and hide the new child from get_children() (treebeard's is_leaf).
        parent.refresh_from_db(fields=["numchild"])
        if publish and page.live:
            page.save_revision().publish()
        return page


class CatalogPageFactory(_PageFactory):
    class Meta:
        model = CatalogPage

    title = "Kurskatalog"
    slug = "kurse"

    @classmethod
    def _default_parent(cls) -> Page:
        return home_page()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = CatalogPage.objects.first()
        return existing or super()._create(model_class, *args, **kwargs)


class CoursePageFactory(_PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kurs {n}")
    slug = factory.Sequence(lambda n: f"kurs-{n}")
    summary = "Ein Kurs für kommunale Beschäftigte."
    topic = factory.SubFactory(TopicFactory)
    level = CoursePage.Level.BASIC
    estimated_hours = Decimal("3")

    @classmethod
    def _default_parent(cls) -> Page:
        return CatalogPageFactory()


class LessonPageFactory(_PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lektion {n}")
    slug = factory.Sequence(lambda n: f"lektion-{n}")
    body = factory.LazyFunction(
        lambda: [
            {"type": "rich_text", "value": "<h2>Worum es geht</h2><p>Ein kurzer Absatz für die Lektion.</p>"},
            {"type": "callout", "value": {"kind": "tip", "title": "Tipp", "text": "<p>Früh beginnen.</p>"}},
            {"type": "glossary_term", "value": {"term": "Metadaten", "definition": "Daten über Daten."}},
        ]
    )

    @classmethod
    def _default_parent(cls) -> Page:
        return CoursePageFactory()


class QuizPageFactory(_PageFactory):
    class Meta:
        model = QuizPage

    title = "Abschlusstest"
    slug = factory.LazyFunction(lambda: f"test-{next(_seq)}")

    @classmethod
    def _default_parent(cls) -> Page:
        return CoursePageFactory()


class H5PActivityPageFactory(_PageFactory):
    class Meta:
        model = H5PActivityPage

    title = "Quiz: Sicher im Netz"
    slug = factory.LazyAttribute(lambda page: f"h5p-{page.content.pk}")

    @classmethod
    def _default_parent(cls) -> Page:
        return CoursePageFactory()


def course(title: str = "Datenschutz kompakt", **fields) -> CoursePage:
    """A published course in the catalogue."""
    page = CoursePageFactory(title=title, **fields)
    return CoursePage.objects.get(pk=page.pk)


def course_create(*, title: str = "Kurs", lessons: int = 2, quizzes: int = 0, **fields) -> CoursePage:
    """A published course in the catalogue: `lessons` required lessons (viewing completes them),
    then `quizzes` required quizzes (passing completes them)."""
    page = CoursePageFactory(title=title, **fields)
    for number in range(1, lessons + 1):
        lesson_add(page, title=f"{title} – Lektion {number}")
    for number in range(1, quizzes + 1):
        quiz_add(page, title=f"{title} – Test {number}")
    return CoursePage.objects.get(pk=page.pk)


def lesson_add(course: CoursePage, *, title: str = "Lektion", is_required: bool = True, **fields) -> LessonPage:
    lesson = LessonPageFactory(parent=course, title=title, is_required=is_required, **fields)
    return LessonPage.objects.get(pk=lesson.pk)


def quiz_add(course: CoursePage, *, title: str = "Test", is_required: bool = True, **fields) -> QuizPage:
    """A published quiz in the course. Progress tests report its results through the service, so
    it needs no questions; `completion_mode` and `passing_grade` are its real settings."""
    quiz = QuizPageFactory(parent=course, title=title, is_required=is_required, **fields)
    return QuizPage.objects.get(pk=quiz.pk)


def h5p_activity_page(
    *, course: CoursePage | None = None, content: H5PContent | None = None, **fields
) -> H5PActivityPage:
    """An H5P activity in `course` (default: a new course in the catalogue), not yet published."""
    return H5PActivityPageFactory(
        parent=course or CoursePageFactory(), content=content or h5p_content(), publish=False, **fields
    )


def path_create(
    *, title: str = "Lernpfad", courses: list[CoursePage], sequential: bool = True, optional: tuple[int, ...] = ()
) -> LearningPath:
    path = LearningPath.objects.create(
        title=title, slug=f"pfad-{LearningPath.objects.count() + 1}", sequential=sequential
    )
    for position, step_course in enumerate(courses):
        LearningPathStep.objects.create(
            path=path, course=step_course, sort_order=position, is_required=position not in optional
        )
    return path
