"""LessonPage: text, media and embedded items of a course, read at one's own pace."""

from __future__ import annotations

import math

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.catalog import search
from courses.catalog.blocks import stream_plain_text
from courses.catalog.completion import Completes, CompletionCondition
from courses.catalog.models import READING_WORDS_PER_MINUTE, ActivityPage
from courses.h5p.models import H5PContent
from courses.questions.practice import lesson_practice_questions

from .blocks import LessonStreamBlock


class LessonPage(ActivityPage):
    """A lesson: text, media, tips and glossary terms for calm self-paced reading."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(LessonStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    class CompletionMode(models.TextChoices):
        ITEMS = (
            "items",
            _(
                "Wenn alle Übungsfragen richtig beantwortet und alle H5P-Inhalte bearbeitet sind "
                "(ohne solche Inhalte: mit dem Aufrufen)"
            ),
        )
        VIEWED = "viewed", _("Mit dem Aufrufen erledigt")
        DONE = "done", _("Lernende markieren sie als erledigt")

    completion_mode = models.CharField(
        _("Abschluss der Lektion"),
        max_length=10,
        choices=CompletionMode.choices,
        default=CompletionMode.ITEMS,
        help_text=_(
            "Wann die Lektion für den Kursfortschritt als erledigt zählt. Übungsfragen zählen, wenn sie "
            "einmal richtig beantwortet sind; H5P-Inhalte mit Punkten, wenn ein Ergebnis gemeldet ist. "
            "H5P-Inhalte ohne Punkte (z. B. Akkordeon) zählen nicht."
        ),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("Bearbeitungszeit (Minuten)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leer: aus der Textlänge berechnet."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("is_required"), FieldPanel("completion_mode")],
            heading=_("Einstellungen"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_terms"),
    ]

    def search_terms(self) -> str:
        """German stems and name parts of the lesson's words, so SQLite finds word forms as PostgreSQL does."""
        return search.index_terms([self.title, self.intro or "", stream_plain_text(self.body)])

    class Meta:
        # The table keeps the name of the days when lessons lived in the catalogue (issue 11).
        db_table = "catalog_lessonpage"
        verbose_name = _("Lektion")
        verbose_name_plural = _("Lektionen")

    def completion_condition(self) -> CompletionCondition:
        if self.completion_mode == self.CompletionMode.DONE:
            return CompletionCondition(completes=Completes.ON_MARK_DONE)
        if self.completion_mode == self.CompletionMode.ITEMS:
            items = self.completion_items()
            if items:
                return CompletionCondition(completes=Completes.ON_ITEMS_DONE, items=items)
        return CompletionCondition(completes=Completes.ON_VIEW)

    def completion_items(self) -> frozenset[str]:
        """The lesson's items a learner must do: each practice question the lesson offers
        (``practice:<question id>``, only those still offered – archived ones drop out) and each
        H5P item whose content type reports scores (``h5p:<content id>``)."""
        content_ids = [
            int(block["value"]["content"])
            for block in (self.body.raw_data if self.body else [])
            if block.get("type") == "h5p" and str((block.get("value") or {}).get("content", "")).isdigit()
        ]
        items = {f"practice:{pk}" for pk in lesson_practice_questions(self)}
        if content_ids:
            contents = H5PContent.objects.filter(pk__in=content_ids).select_related("main_library")
            items |= {f"h5p:{content.pk}" for content in contents if content.reports_scores}
        return frozenset(items)

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the lesson: the editor's estimate, else computed from its length."""
        if self.estimated_minutes:
            return self.estimated_minutes
        words = len(stream_plain_text(self.body).split()) + len((self.intro or "").split())
        return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        from courses.catalog.selectors import lesson_navigation

        from .content_cache import lesson_body_parts, lesson_content

        context = super().get_context(request, *args, **kwargs)
        context["nav"] = lesson_navigation(lesson=self, request=request)
        content = lesson_content(lesson=self, request=request)
        context["lesson_content"] = content
        context["lesson_body"] = lesson_body_parts(lesson=self, content=content)
        return context

    def prefetch_image_renditions(self) -> None:
        # One query for the renditions of all images instead of one per image; the body keeps the
        # block values it has converted, so the template renders these very image instances.
        images = [block.value["image"] for block in self.body if block.block_type == "image" and block.value["image"]]
        if images:
            prefetch_related_objects(images, "renditions")
