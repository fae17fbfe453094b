"""Factories for topics, the catalogue, courses and lessons (pages are added under a parent)."""

from decimal import Decimal

import factory
from wagtail.models import Page

from courses.catalog.models import CatalogPage, CoursePage, Topic
from courses.lessons.models import LessonPage
from lernplattform.portal.models import HomePage


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Themenfeld {n}")
    slug = factory.Sequence(lambda n: f"themenfeld-{n}")


class _PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as the last child of `parent` (default: see `_default_parent`)."""

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or cls._default_parent()).add_child(instance=page)
        if page.live:
            page.save_revision().publish()
        return page


class CatalogPageFactory(_PageFactory):
    class Meta:
        model = CatalogPage

    title = "Kurskatalog"
    slug = "kurse"

    @classmethod
    def _default_parent(cls) -> Page:
        return HomePage.objects.get()

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
