"""Topics, courses and lessons: what trainers author and learners find in the catalogue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Topic(models.Model):
    """A field of the competence centre, e.g. Datenmanagement."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoursePage(Page):
    """A course: its child pages are its activities."""

    class Level(models.TextChoices):
        BASIC = "grundlagen", _("Grundlagen")
        ADVANCED = "fortgeschritten", _("Fortgeschritten")
        EXPERT = "expertise", _("Expertise")

    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("Themenfeld"), null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    level = models.CharField(_("Niveau"), max_length=20, choices=Level.choices, default=Level.BASIC)
    estimated_hours = models.DecimalField(_("Geschätzter Aufwand (Stunden)"), max_digits=5, decimal_places=1, default=1)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("topic"),
        FieldPanel("level"),
        FieldPanel("estimated_hours"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    subpage_types = ["catalog.LessonPage"]

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")


class ActivityPage(Page):
    """Common ground of every activity page: a child page of a course that counts toward completion."""

    is_required = models.BooleanField(
        _("Pflichtaktivität"),
        default=True,
        help_text=_("Pflichtaktivitäten müssen für den Kursabschluss erledigt sein."),
    )

    parent_page_types = ["catalog.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    @property
    def course(self) -> CoursePage | None:
        parent = self.get_parent()
        return parent.specific if parent else None


class LessonPage(ActivityPage):
    """A lesson: text, media and practice items for self-paced reading."""

    intro = RichTextField(_("Einleitung"), blank=True)
    body = StreamField([("text", blocks.RichTextBlock(label=_("Text")))], verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body"), FieldPanel("is_required")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("Lektion")
        verbose_name_plural = _("Lektionen")
