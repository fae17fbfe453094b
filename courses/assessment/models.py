"""Question bank: nested categories, questions with immutable versions, tags.

A ``Question`` is the stable identity trainers see in the bank; what it asks
lives in ``QuestionVersion`` rows that are never changed once written.
Editing creates the next version, and anything that used a version (a quiz
attempt) keeps pointing at exactly that version.

Why answers live in ``QuestionVersion.data`` (JSON) and not in child rows:
a version is an immutable snapshot that is always read whole (rendering,
scoring, export) and never queried by single answers; the shape differs per
type (answers, pairs, units, gaps, ordering items ...); and one row per
version means an attempt of 20 questions loads its questions in one query.
The JSON is the format-neutral representation of ``formats.ir`` (the same
dataclasses GIFT and Moodle XML are read into), so nothing Moodle XML carries
is lost on the way through the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node

from .formats import ir


class QuestionCategory(MP_Node):
    """A folder of the question bank; categories nest (materialised path)."""

    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # No node_order_by: sorted insertion would shift the paths of existing
    # categories, and objects held elsewhere would point at the wrong subtree.

    class Meta:
        verbose_name = _("Fragenkategorie")
        verbose_name_plural = _("Fragenkategorien")

    def __str__(self) -> str:
        return self.name

    @property
    def path_names(self) -> list[str]:
        return [node.name for node in self.get_ancestors()] + [self.name]

    @property
    def full_name(self) -> str:
        return " / ".join(self.path_names)


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey("assessment.Question", on_delete=models.CASCADE, related_name="tagged_items")


class QuestionType(models.TextChoices):
    MULTICHOICE = ir.QuestionType.MULTICHOICE.value, _("Multiple Choice")
    TRUEFALSE = ir.QuestionType.TRUEFALSE.value, _("Wahr/Falsch")
    SHORTANSWER = ir.QuestionType.SHORTANSWER.value, _("Kurzantwort")
    NUMERICAL = ir.QuestionType.NUMERICAL.value, _("Numerisch")
    MATCHING = ir.QuestionType.MATCHING.value, _("Zuordnung")
    ORDERING = ir.QuestionType.ORDERING.value, _("Anordnung")
    CLOZE = ir.QuestionType.CLOZE.value, _("Lückentext (Cloze)")
    ESSAY = ir.QuestionType.ESSAY.value, _("Freitext")
    DESCRIPTION = ir.QuestionType.DESCRIPTION.value, _("Beschreibung")


class Question(models.Model):
    """The stable identity of a bank question; its content is in its versions."""

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("Kategorie"), on_delete=models.PROTECT, related_name="questions"
    )
    current_version = models.OneToOneField(
        "QuestionVersion",
        verbose_name=_("Aktuelle Version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = TaggableManager(through=TaggedQuestion, blank=True, verbose_name=_("Schlagwörter"))
    is_archived = models.BooleanField(_("Archiviert"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.current_version.name if self.current_version else f"Frage {self.pk}"


class QuestionVersion(models.Model):
    """One immutable state of a question. Never updated; editing adds a version."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    qtype = models.CharField(_("Fragetyp"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("Name"), max_length=255)
    # Sanitised question text (with its format in ``data``), kept as a column for search.
    text = models.TextField(_("Fragetext"), blank=True)
    default_mark = models.DecimalField(_("Punkte"), max_digits=9, decimal_places=4, default=Decimal(1))
    data = models.JSONField(_("Inhalt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Fragenversion")
        verbose_name_plural = _("Fragenversionen")
        ordering = ["question_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="assessment_version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="assessment_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def save(self, *args, **kwargs) -> None:
        # Integrity guard, not business logic: attempts pin versions, so a
        # version that exists must never change (DESIGN: nothing lost).
        if not self._state.adding:
            raise ValueError("QuestionVersion is immutable; create a new version instead.")
        super().save(*args, **kwargs)

    @property
    def content(self) -> ir.Question:
        """The version as the format-neutral dataclass (for rendering and scoring)."""
        return ir.question_from_dict(self.data)


class QuestionImport(models.Model):
    """A confirmed import waiting for, or done by, its Celery task.

    The file is kept until the task ran so the task can run (again) from the
    database alone; the status makes a second run a no-op.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        DONE = "done", _("Importiert")
        FAILED = "failed", _("Abgelehnt")

    category = models.ForeignKey(QuestionCategory, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("Datei"), max_length=255)
    file_format = models.CharField(_("Format"), max_length=20)
    content = models.BinaryField(_("Inhalt"))
    skip_unsupported = models.BooleanField(default=False)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(_("Bericht"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Fragen-Import")
        verbose_name_plural = _("Fragen-Importe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


from .quiz_models import *  # noqa: E402, F401, F403 - quizzes and attempts live in their own module
