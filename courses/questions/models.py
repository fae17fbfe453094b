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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node

from courses.questions.formats import ir


class QuestionCategory(MP_Node):
    """A folder of the question bank; categories nest (materialised path).

    A category belongs to a course (its trainers edit it), to one trainer, or – with neither
    set – to the platform (shared: every trainer reads it, platform admins edit it). Who may do
    what is defined once, in ``permissions.py``. Subcategories are created with their parent's
    owner. ``is_practice`` marks the pools lessons' practice blocks may use; a quiz never draws
    from such a category (the services check both directions).
    """

    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True)
    # What Moodle XML carries for a category (<info format="…">, <idnumber>), kept for the way back.
    description_format = models.CharField(
        _("Format der Beschreibung"),
        max_length=20,
        choices=[(f.value, f.value) for f in ir.TextFormat],
        default=ir.TextFormat.HTML.value,
    )
    idnumber = models.CharField(_("ID-Nummer"), max_length=100, blank=True)
    course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("Kurs"),
        null=True,
        blank=True,
        # A deleted course leaves its questions to the platform (platform admins only), never to nobody.
        on_delete=models.SET_NULL,
        related_name="question_categories",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Eigentümer/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_categories",
    )
    is_practice = models.BooleanField(
        _("Für Übungsfragen"),
        default=False,
        help_text=_(
            "Fragen dieser Kategorie dürfen in Lektionen zum Üben erscheinen (mit Lösung). "
            "Tests dürfen daraus keine Fragen ziehen."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # No node_order_by: sorted insertion would shift the paths of existing
    # categories, and objects held elsewhere would point at the wrong subtree.

    class Meta:
        db_table = "assessment_questioncategory"
        verbose_name = _("Fragenkategorie")
        verbose_name_plural = _("Fragenkategorien")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=True) | models.Q(owner__isnull=True),
                name="assessment_category_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def path_names(self) -> list[str]:
        return [node.name for node in self.get_ancestors()] + [self.name]

    @property
    def full_name(self) -> str:
        return " / ".join(self.path_names)


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        db_table = "assessment_taggedquestion"


class QuestionType(models.TextChoices):
    MULTICHOICE = ir.QuestionType.MULTICHOICE.value, _("Multiple Choice")
    MULTICHOICESET = ir.QuestionType.MULTICHOICESET.value, _("Multiple Choice (alles oder nichts)")
    TRUEFALSE = ir.QuestionType.TRUEFALSE.value, _("Wahr/Falsch")
    SHORTANSWER = ir.QuestionType.SHORTANSWER.value, _("Kurzantwort")
    NUMERICAL = ir.QuestionType.NUMERICAL.value, _("Numerisch")
    CALCULATEDSIMPLE = ir.QuestionType.CALCULATEDSIMPLE.value, _("Einfach berechnet")
    CALCULATED = ir.QuestionType.CALCULATED.value, _("Berechnet")
    MATCHING = ir.QuestionType.MATCHING.value, _("Zuordnung")
    ORDERING = ir.QuestionType.ORDERING.value, _("Anordnung")
    CLOZE = ir.QuestionType.CLOZE.value, _("Lückentext (Cloze)")
    GAPSELECT = ir.QuestionType.GAPSELECT.value, _("Lückentext-Auswahl")
    DDWTOS = ir.QuestionType.DDWTOS.value, _("Drag-and-Drop auf Text (per Auswahlliste)")
    RANDOMSAMATCH = ir.QuestionType.RANDOMSAMATCH.value, _("Zufällige Kurzantwortzuordnung")
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
        db_table = "assessment_question"
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
        db_table = "assessment_questionversion"
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
    # Set (and committed) when a task begins the work: a job pending with a start older than the
    # task's hard time limit was killed, and the reconcile task ends it as failed.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "assessment_questionimport"
        verbose_name = _("Fragen-Import")
        verbose_name_plural = _("Fragen-Importe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class QuestionEvent(models.Model):
    """The audit trail of the bank: who changed what, when, which version, through which path.

    One row per business action (Saleor's order events); written by the services in the same
    transaction as the change, never edited. Rows outlive the question, the person and the
    category they name (SET_NULL) – the ``details`` keep names and numbers for that case.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Angelegt")
        EDITED = "edited", _("Neue Version")
        MOVED = "moved", _("Verschoben")
        ARCHIVED = "archived", _("Archiviert")
        RESTORED = "restored", _("Wiederhergestellt")
        COPIED = "copied", _("Kopiert")
        TAGGED = "tagged", _("Schlagwörter geändert")
        RELEASED = "released", _("Freigegeben")
        CATEGORY_CREATED = "category_created", _("Kategorie angelegt")
        CATEGORY_CHANGED = "category_changed", _("Kategorie geändert")
        CATEGORY_DELETED = "category_deleted", _("Kategorie gelöscht")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Verwaltungsoberfläche")
        API = "api", _("REST-API")
        IMPORT = "import", _("Import")
        COMMAND = "command", _("Kommandozeile")
        RELEASE = "release", _("Kursfreigabe")
        SEED = "seed", _("Demodaten")
        SYSTEM = "system", _("System")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("Weg"), max_length=10, choices=Source.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("Frage")
    )
    version = models.ForeignKey(
        QuestionVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Version")
    )
    category = models.ForeignKey(
        QuestionCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("Kategorie"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Person"),
    )
    details = models.JSONField(_("Einzelheiten"), default=dict, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "assessment_questionevent"
        verbose_name = _("Änderung in der Fragensammlung")
        verbose_name_plural = _("Änderungen in der Fragensammlung")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["question", "created_at"], name="assessment_event_question")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_source_display()}, {self.created_at:%d.%m.%Y %H:%M})"
