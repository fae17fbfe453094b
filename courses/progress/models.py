"""Enrolments, activity and course completions, learning paths and path completions.

These records change only through `courses.progress.services` (STYLE.md rule 1): quiz, H5P,
lesson views, imports and tasks all call the one completion service, which decides when an
activity, a course and a path are complete.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page, Revision

from courses.catalog.models import CoursePage


class Enrolment(models.Model):
    """A person taking a course; cancelling keeps the record as history."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Eingeschrieben")
        COMPLETED = "completed", _("Abgeschlossen")
        CANCELLED = "cancelled", _("Abgemeldet")

    class Method(models.TextChoices):
        SELF = "self", _("Selbst eingeschrieben")
        ADMIN = "admin", _("Durch die Organisationsverwaltung")
        AUTO = "auto", _("Automatisch beim ersten Lernschritt")
        BULK = "bulk", _("Sammeleinschreibung")
        RENEWAL = "renewal", _("Rezertifizierung")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("Person")
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("Kurs"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Eingeschrieben von"),
    )
    method = models.CharField(_("Art der Einschreibung"), max_length=16, choices=Method.choices, default=Method.SELF)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    due_date = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("Eingeschrieben am"), default=timezone.now)
    # Certification cycles (courses.certificates): a renewal enrols the person again in the course
    # they completed; the cycle counts up and only what they do from `cycle_started_at` on counts.
    cycle = models.PositiveSmallIntegerField(_("Durchgang"), default=1)
    cycle_started_at = models.DateTimeField(_("Durchgang begonnen am"), null=True, blank=True)
    completed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)
    unenrolled_at = models.DateTimeField(_("Abgemeldet am"), null=True, blank=True)
    unenrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Abgemeldet von"),
    )
    # Where the learner stopped: the dashboard's "continue" link starts here.
    last_activity = models.ForeignKey(
        Page, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Zuletzt geöffnet")
    )
    last_activity_at = models.DateTimeField(_("Zuletzt gelernt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einschreibung")
        verbose_name_plural = _("Einschreibungen")
        ordering = ["-enrolled_at"]
        indexes = [models.Index(fields=["course", "status"]), models.Index(fields=["user", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=~Q(status="cancelled"),
                name="progress_one_current_enrolment_per_course",
                violation_error_message=_("Diese Person ist in diesen Kurs bereits eingeschrieben."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(unenrolled_at__isnull=False),
                name="progress_cancelled_enrolment_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course.title} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status == self.Status.ACTIVE and self.due_date < timezone.localdate())


class ActivityCompletion(models.Model):
    """What a person achieved in one activity page: one record per person and activity."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Begonnen")
        FAILED = "failed", _("Nicht bestanden")
        COMPLETED = "completed", _("Erledigt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_completions",
        verbose_name=_("Person"),
    )
    activity = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+", verbose_name=_("Aktivität"))
    activity_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Art der Aktivität")
    )
    # The course the activity belonged to when the result came in; saves a tree walk on every read.
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("Kurs"))
    state = models.CharField(_("Stand"), max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    score = models.DecimalField(_("Punkte"), max_digits=9, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("Höchstpunktzahl"), max_digits=9, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("Bestanden"), null=True, blank=True)
    trusted = models.BooleanField(
        _("Auf dem Server bewertet"),
        default=False,
        help_text=_("Ergebnisse aus dem Browser (H5P) zählen für den Fortschritt, nie allein für ein Zertifikat."),
    )
    source = models.CharField(_("Quelle"), max_length=50)
    result_count = models.PositiveIntegerField(_("Anzahl Ergebnisse"), default=0)
    first_seen_at = models.DateTimeField(_("Begonnen am"), default=timezone.now)
    completed_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Aktivitätsabschluss")
        verbose_name_plural = _("Aktivitätsabschlüsse")
        indexes = [models.Index(fields=["user", "course"]), models.Index(fields=["course", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="progress_one_completion_per_activity"),
            models.CheckConstraint(
                condition=~Q(state="completed") | Q(completed_at__isnull=False),
                name="progress_completed_activity_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.activity_id} ({self.get_state_display()})"

    @property
    def is_completed(self) -> bool:
        return self.state == self.State.COMPLETED


class CourseCompletion(models.Model):
    """A completed course; it stays completed when trainers change the course afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions", verbose_name=_("Person")
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="completions", verbose_name=_("Kurs"))
    completed_at = models.DateTimeField(_("Abgeschlossen am"), default=timezone.now)
    # What was completed: the published revision and the activities the course had then, so the
    # course page can say what changed since, and certificates can snapshot the version.
    course_revision = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Kursfassung")
    )
    course_title = models.CharField(_("Kurstitel beim Abschluss"), max_length=255)
    course_published_at = models.DateTimeField(_("Kursfassung vom"), null=True, blank=True)
    activity_ids = models.JSONField(_("Aktivitäten beim Abschluss"), default=list, blank=True)
    grade = models.DecimalField(_("Gesamtergebnis (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    trusted = models.BooleanField(
        _("Enthält serverseitig bewertete Leistung"),
        default=False,
        help_text=_("Nur dann kann ein Zertifikat ausgestellt werden (Vertrauensregel)."),
    )
    certifiable = models.BooleanField(_("Zertifikatsfähig"), default=False)
    # One completion per person, course and cycle: a renewal (recertification) completes the course
    # again in the next cycle, and the earlier completion stays as history.
    cycle = models.PositiveSmallIntegerField(_("Durchgang"), default=1)

    class Meta:
        verbose_name = _("Kursabschluss")
        verbose_name_plural = _("Kursabschlüsse")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course", "cycle"], name="progress_one_completion_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_title}"


class LearningPath(ClusterableModel):
    """A learning path: courses in order, some required, unlocking one after another."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    summary = models.TextField(_("Beschreibung"), blank=True)
    audience = models.CharField(_("Zielgruppe"), max_length=200, blank=True)
    recommended = models.BooleanField(
        _("Empfohlen"), default=True, help_text=_("Wird Lernenden im Dashboard „Meine Kurse“ empfohlen.")
    )
    sequential = models.BooleanField(
        _("Schritte nacheinander freischalten"),
        default=True,
        help_text=_("Ein Schritt wird erst frei, wenn alle vorherigen Pflichtschritte abgeschlossen sind."),
    )
    live = models.BooleanField(_("Veröffentlicht"), default=True)
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        verbose_name=_("Zertifikatsvorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paths",
        help_text=_("Leer: Der Lernpfad stellt kein eigenes Zertifikat aus."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("recommended"),
        FieldPanel("sequential"),
        FieldPanel("live"),
        FieldPanel("certificate_template"),
        InlinePanel("steps", label=_("Schritte"), min_num=1),
    ]

    class Meta:
        verbose_name = _("Lernpfad")
        verbose_name_plural = _("Lernpfade")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class LearningPathStep(Orderable, ClusterableModel):
    """One course in a learning path."""

    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="+", verbose_name=_("Kurs"))
    is_required = models.BooleanField(_("Pflichtschritt"), default=True)
    prerequisites = ParentalManyToManyField(
        CoursePage,
        blank=True,
        related_name="+",
        verbose_name=_("Voraussetzungen"),
        help_text=_("Kurse, die abgeschlossen sein müssen, bevor dieser Schritt frei wird."),
    )

    panels = [FieldPanel("course"), FieldPanel("is_required"), FieldPanel("prerequisites")]

    class Meta(Orderable.Meta):
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        constraints = [models.UniqueConstraint(fields=["path", "course"], name="progress_course_once_per_path")]

    def __str__(self) -> str:
        return f"{self.path} – {self.course_id}"


class PathCompletion(models.Model):
    """A completed learning path."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_completions", verbose_name=_("Person")
    )
    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, related_name="completions", verbose_name=_("Lernpfad")
    )
    completed_at = models.DateTimeField(_("Abgeschlossen am"), default=timezone.now)
    course_ids = models.JSONField(_("Kurse beim Abschluss"), default=list, blank=True)
    trusted = models.BooleanField(_("Enthält serverseitig bewertete Leistung"), default=False)

    class Meta:
        verbose_name = _("Lernpfadabschluss")
        verbose_name_plural = _("Lernpfadabschlüsse")
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="progress_one_completion_per_path")]

    def __str__(self) -> str:
        return f"{self.user} – {self.path}"
