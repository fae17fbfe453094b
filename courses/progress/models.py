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
        RULE = "rule", _("Durch eine Einschreiberegel")
        PATH = "path", _("Über einen Lernpfad")
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
    rule = models.ForeignKey(
        "progress.EnrolmentRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("Einschreiberegel"),
    )
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
    renewal_course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("Auffrischungskurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Für die Rezertifizierung: ein kürzerer Kurs statt aller Kurse des Pfads. Sein Abschluss im neuen "
            "Durchgang verlängert das Zertifikat des Lernpfads. Leer: die Kurse des Pfads noch einmal."
        ),
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
        FieldPanel("renewal_course"),
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
    """A completed learning path, one per person, path and cycle."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_completions", verbose_name=_("Person")
    )
    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, related_name="completions", verbose_name=_("Lernpfad")
    )
    completed_at = models.DateTimeField(_("Abgeschlossen am"), default=timezone.now)
    course_ids = models.JSONField(_("Kurse beim Abschluss"), default=list, blank=True)
    trusted = models.BooleanField(_("Enthält serverseitig bewertete Leistung"), default=False)
    # Certification cycles, as for courses: a renewal (recertification) completes the path again in
    # the next cycle of the person's PathEnrolment, and the earlier completion stays as history.
    cycle = models.PositiveSmallIntegerField(_("Durchgang"), default=1)

    class Meta:
        verbose_name = _("Lernpfadabschluss")
        verbose_name_plural = _("Lernpfadabschlüsse")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "cycle"], name="progress_one_path_completion_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.path}"


class PathEnrolment(models.Model):
    """A person taking a learning path, with the path's due date; its courses get enrolments as they unlock."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Eingeschrieben")
        COMPLETED = "completed", _("Abgeschlossen")
        CANCELLED = "cancelled", _("Abgemeldet")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_enrolments", verbose_name=_("Person")
    )
    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("Lernpfad")
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Eingeschrieben von"),
    )
    method = models.CharField(
        _("Art der Einschreibung"), max_length=16, choices=Enrolment.Method.choices, default=Enrolment.Method.SELF
    )
    rule = models.ForeignKey(
        "progress.EnrolmentRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="path_enrolments",
        verbose_name=_("Einschreiberegel"),
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    due_date = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("Eingeschrieben am"), default=timezone.now)
    # Certification cycles (courses.certificates): a renewal enrols the person in the path again;
    # the cycle counts up and only courses completed from `cycle_started_at` on count for the path.
    cycle = models.PositiveSmallIntegerField(_("Durchgang"), default=1)
    cycle_started_at = models.DateTimeField(_("Durchgang begonnen am"), null=True, blank=True)
    completed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lernpfad-Einschreibung")
        verbose_name_plural = _("Lernpfad-Einschreibungen")
        ordering = ["-enrolled_at"]
        indexes = [models.Index(fields=["path", "status"]), models.Index(fields=["user", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path"],
                condition=~Q(status="cancelled"),
                name="progress_one_current_enrolment_per_path",
                violation_error_message=_("Diese Person ist in diesen Lernpfad bereits eingeschrieben."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.path} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status == self.Status.ACTIVE and self.due_date < timezone.localdate())


class BulkEnrolment(models.Model):
    """A CSV file an admin uploaded to enrol many people: validated first, imported once confirmed.

    The file is kept so that the validation and import tasks work from the database alone and can
    run again; the status moves forward only (conditional updates), so a second run is a no-op.
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Wird geprüft")
        VALIDATED = "validated", _("Geprüft – wartet auf Bestätigung")
        REJECTED = "rejected", _("Datei abgelehnt")
        IMPORTING = "importing", _("Wird eingeschrieben")
        DONE = "done", _("Abgeschlossen")
        DISCARDED = "discarded", _("Verworfen")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Hochgeladen von")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Kurs")
    )
    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Lernpfad")
    )
    due_date = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    default_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Organisation für Zeilen ohne Regionalschlüssel"),
    )
    file_name = models.CharField(_("Datei"), max_length=255)
    content = models.BinaryField(_("Inhalt"))
    encoding = models.CharField(_("Zeichenkodierung"), max_length=20, blank=True)
    delimiter = models.CharField(_("Trennzeichen"), max_length=1, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.VALIDATING)
    file_error = models.TextField(_("Fehler in der Datei"), blank=True)
    total_lines = models.PositiveIntegerField(_("Zeilen"), default=0)
    processed_lines = models.PositiveIntegerField(_("Bearbeitete Zeilen"), default=0)
    valid_lines = models.PositiveIntegerField(_("Gültige Zeilen"), default=0)
    invalid_lines = models.PositiveIntegerField(_("Zeilen mit Fehlern"), default=0)
    created_at = models.DateTimeField(_("Hochgeladen am"), default=timezone.now)
    validated_at = models.DateTimeField(_("Geprüft am"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sammeleinschreibung")
        verbose_name_plural = _("Sammeleinschreibungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, path__isnull=True) | Q(course__isnull=True, path__isnull=False),
                name="progress_bulk_enrolment_course_xor_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def target(self) -> CoursePage | LearningPath:
        return self.course if self.course_id else self.path  # type: ignore[return-value]

    @property
    def percent(self) -> int:
        if self.status in (self.Status.VALIDATED, self.Status.DONE, self.Status.REJECTED):
            return 100
        total = self.valid_lines if self.status == self.Status.IMPORTING else self.total_lines
        if not total:
            return 0
        return min(100, int(self.processed_lines * 100 / total))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)


class BulkEnrolmentLine(models.Model):
    """One line of an uploaded file: what it said, what validation found, what the import did."""

    class Status(models.TextChoices):
        VALID = "valid", _("Gültig")
        INVALID = "invalid", _("Fehler")
        SKIPPED = "skipped", _("Übersprungen")
        IMPORTED = "imported", _("Eingeschrieben")

    class Outcome(models.TextChoices):
        ENROLLED = "enrolled", _("Eingeschrieben")
        INVITED = "invited", _("Eingeladen – wird bei Annahme eingeschrieben")

    bulk = models.ForeignKey(BulkEnrolment, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField(_("Zeile"))
    email = models.CharField(_("E-Mail-Adresse"), max_length=254, blank=True)
    full_name = models.CharField(_("Name"), max_length=200, blank=True)
    ars = models.CharField(_("Regionalschlüssel"), max_length=40, blank=True)
    role = models.CharField(_("Rolle"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A person without an account is invited; the enrolment follows when the invitation is accepted.
    invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("Ergebnis"), max_length=16, choices=Status.choices)
    code = models.CharField(_("Fehlercode"), max_length=64, blank=True)
    message = models.TextField(_("Begründung"), blank=True)
    outcome = models.CharField(_("Ausgeführt"), max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("Zeile einer Sammeleinschreibung")
        verbose_name_plural = _("Zeilen einer Sammeleinschreibung")
        ordering = ["bulk", "line_number"]
        constraints = [models.UniqueConstraint(fields=["bulk", "line_number"], name="progress_bulk_line_once")]
        indexes = [models.Index(fields=["bulk", "status"])]

    def __str__(self) -> str:
        return f"{self.bulk_id}:{self.line_number} {self.email}"


class EnrolmentRule(models.Model):
    """Everyone with a current membership in an organisation (optionally below it) and a role is
    enrolled in a course or a path – now and whenever people join or move in.

    Ending a rule stops new enrolments; enrolments it made stay, and so does the history of people
    who move out.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ACTIVE = "active", _("Eingeschaltet")
        ENDED = "ended", _("Beendet")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Organisation")
    )
    include_descendants = models.BooleanField(
        _("Untergeordnete Organisationen einschließen"),
        default=False,
        help_text=_("Auch Personen in Organisationen unterhalb dieser (nach Regionalschlüssel)."),
    )
    role = models.CharField(_("Rolle"), max_length=32, default="learner")
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Kurs")
    )
    path = models.ForeignKey(
        LearningPath, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("Lernpfad")
    )
    due_in_days = models.PositiveIntegerField(
        _("Zu erledigen innerhalb von (Tagen)"),
        null=True,
        blank=True,
        help_text=_("Leer: ohne Fälligkeitsdatum. Sonst zählt die Frist ab der Einschreibung."),
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Angelegt von")
    )
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)
    activated_at = models.DateTimeField(_("Eingeschaltet am"), null=True, blank=True)
    ended_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Beendet von"),
    )

    class Meta:
        verbose_name = _("Einschreiberegel")
        verbose_name_plural = _("Einschreiberegeln")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, path__isnull=True) | Q(course__isnull=True, path__isnull=False),
                name="progress_enrolment_rule_course_xor_path",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(activated_at__isnull=False),
                name="progress_active_rule_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_at__isnull=False),
                name="progress_ended_rule_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.role} → {self.target}"

    def get_role_label(self) -> str:
        from lernplattform.accounts.models import Membership

        return str(Membership.Role(self.role).label) if self.role in Membership.Role.values else self.role

    @property
    def target(self) -> CoursePage | LearningPath:
        return self.course if self.course_id else self.path  # type: ignore[return-value]
