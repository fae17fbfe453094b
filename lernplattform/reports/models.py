"""Qualification targets, the summary table behind the national tiles, monthly snapshots, the access
log of people lists and exports, and stored exports.

Definitions of every figure are in docs/reports.md. The figures themselves are computed in
`selectors.py` from accounts, courses.progress and courses.certificates; the tables here hold only
what reports add: targets, precomputed roll-ups (with the time they were computed), history and audit.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from courses.catalog.models import CoursePage, Topic
from lernplattform.accounts.models import Organisation


class QualificationTarget(models.Model):
    """A target an organisation sets itself, or a Land/Kreis sets for every organisation below it."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Anteil der Beschäftigten (%)")
        COUNT = "count", _("Anzahl qualifizierter Personen")

    class AppliesTo(models.TextChoices):
        SELF = "self", _("Diese Organisation")
        EACH_BELOW = "each_below", _("Jede Gemeinde / Stadt darunter")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="qualification_targets", verbose_name=_("Organisation")
    )
    applies_to = models.CharField(_("Gilt für"), max_length=16, choices=AppliesTo.choices, default=AppliesTo.SELF)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+", verbose_name=_("Themenfeld"))
    level = models.CharField(
        _("Mindestens auf Niveau"), max_length=20, choices=CoursePage.Level.choices, default=CoursePage.Level.BASIC
    )
    kind = models.CharField(_("Art des Ziels"), max_length=16, choices=Kind.choices, default=Kind.PERCENT)
    value = models.PositiveIntegerField(
        _("Zielwert"),
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Prozent oder Personen."),
    )
    due_date = models.DateField(_("Zu erreichen bis"))
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Angelegt von")
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Qualifizierungsziel")
        verbose_name_plural = _("Qualifizierungsziele")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__gte=1, value__lte=100), name="reports_target_percent_range"
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="reports_target_value_positive"),
            models.UniqueConstraint(
                fields=["organisation", "applies_to", "topic", "level", "kind", "due_date"],
                name="reports_one_target_per_goal",
                violation_error_message=_("Dieses Ziel ist für diese Organisation bereits eingetragen."),
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        level = CoursePage.Level(self.level).label
        if self.kind == self.Kind.PERCENT:
            text = _("%(value)s %% der Beschäftigten mit %(level)s %(topic)s bis %(date)s")
        else:
            text = _("%(value)s qualifizierte Personen (%(level)s %(topic)s) bis %(date)s")
        text = text % {
            "value": self.value,
            "level": level,
            "topic": self.topic.name,
            "date": self.due_date.strftime("%d.%m.%Y"),
        }
        if self.applies_to == self.AppliesTo.EACH_BELOW:
            text = _("%(goal)s – je Gemeinde / Stadt") % {"goal": text}
        return text


class FigureColumns(models.Model):
    """The figures of one organisation (and one topic, or all topics) at one moment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The organisation's ARS, or its parent's for bodies without one: a materialised path for prefix sums.
    ars = models.CharField(max_length=12, db_index=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    registered = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    qualified_basic = models.PositiveIntegerField(default=0)
    qualified_advanced = models.PositiveIntegerField(default=0)
    qualified_expert = models.PositiveIntegerField(default=0)
    expiring = models.PositiveIntegerField(default=0)
    recert_overdue = models.PositiveIntegerField(default=0)

    FIGURES = (
        "registered",
        "enrolled",
        "in_progress",
        "completed",
        "overdue",
        "qualified_basic",
        "qualified_advanced",
        "qualified_expert",
        "expiring",
        "recert_overdue",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ars} – {self.topic_id or '*'}"


class OrganisationFigures(FigureColumns):
    """The summary table behind national, Land and Regierungsbezirk roll-ups; rebuilt by Celery beat.

    One row per organisation and topic (plus one with topic NULL for figures across all topics).
    """

    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Kennzahlen (Übersicht)")
        verbose_name_plural = _("Kennzahlen (Übersicht)")
        indexes = [models.Index(fields=["ars", "topic"], name="reports_figures_ars_topic")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "topic"], condition=Q(topic__isnull=False), name="reports_figures_one_per_topic"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(topic__isnull=True), name="reports_figures_one_overall"
            ),
        ]


class MonthlySnapshot(FigureColumns):
    """The figures as they stood on the first day of a month: the source of every trend."""

    month = models.DateField(_("Monat"), help_text=_("Immer der Monatserste."))
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Monatsstand")
        verbose_name_plural = _("Monatsstände")
        indexes = [models.Index(fields=["month", "ars"], name="reports_snapshot_month_ars")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organisation", "topic"],
                condition=Q(topic__isnull=False),
                name="reports_snapshot_one_per_topic",
            ),
            models.UniqueConstraint(
                fields=["month", "organisation"], condition=Q(topic__isnull=True), name="reports_snapshot_one_overall"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="reports_snapshot_first_of_month"),
        ]


class AccessLogEntry(models.Model):
    """Who looked at or exported a list of people, for which scope, when (viewable by platform admins)."""

    class Action(models.TextChoices):
        PEOPLE_LIST = "people_list", _("Personenliste angesehen")
        PEOPLE_EXPORT = "people_export", _("Personenliste exportiert")
        PEOPLE_API = "people_api", _("Personenliste über die API abgerufen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Wer")
    )
    action = models.CharField(_("Was"), max_length=32, choices=Action.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bereich"),
        help_text=_("Leer: ganz Deutschland."),
    )
    scope_label = models.CharField(_("Bereich (Text)"), max_length=300)
    filters = models.JSONField(_("Filter"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("Zeilen"), default=0)
    created_at = models.DateTimeField(_("Wann"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Zugriff auf Personendaten")
        verbose_name_plural = _("Zugriffe auf Personendaten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_action_display()} – {self.scope_label}"


class _ExportStorage(LazyObject):
    """Exports live outside MEDIA_ROOT: they are handed out only by a view that checks the requester."""

    def _setup(self) -> None:
        root = getattr(settings, "REPORTS_EXPORT_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "exports"
        self._wrapped = FileSystemStorage(location=root, base_url=None)


export_storage = _ExportStorage()


def _export_storage() -> FileSystemStorage:
    return export_storage  # type: ignore[return-value]


class ReportExport(models.Model):
    """A large export built by a Celery task; only its requester may download it, until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wird erstellt")
        READY = "ready", _("Bereit")
        FAILED = "failed", _("Fehlgeschlagen")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Angefordert von")
    )
    view = models.CharField(_("Ansicht"), max_length=32)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(_("Filter"), default=dict, blank=True)
    format = models.CharField(_("Format"), max_length=8, choices=Format.choices)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("Datei"), storage=_export_storage, upload_to="reports/", blank=True)
    row_count = models.PositiveIntegerField(_("Zeilen"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angefordert am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Fertig am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Abrufbar bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Export")
        verbose_name_plural = _("Exporte")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "status"]), models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(finished_at__isnull=False, expires_at__isnull=False),
                name="reports_ready_export_has_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.view}.{self.format} ({self.get_status_display()})"


class SummaryRun(models.Model):
    """One rebuild of the summary table: its start is the "Stand" shown beside summary figures."""

    started_at = models.DateTimeField(_("Stand"), db_index=True)
    finished_at = models.DateTimeField(_("Fertig am"))
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)

    class Meta:
        verbose_name = _("Neuberechnung der Übersicht")
        verbose_name_plural = _("Neuberechnungen der Übersicht")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d.%m.%Y %H:%M}"
