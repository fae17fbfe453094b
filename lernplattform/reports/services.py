"""Writes for reports: targets, the summary table, monthly snapshots, the access log."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage, Topic
from lernplattform.accounts.models import Organisation, User
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed

from . import figures
from .models import AccessLogEntry, MonthlySnapshot, OrganisationFigures, QualificationTarget
from .permissions import TARGET_BELOW_KINDS, may_set_targets, report_scope_for


def target_create(
    *,
    actor: User,
    organisation: Organisation,
    topic: Topic,
    level: str,
    kind: str,
    value: int,
    due_date: datetime.date,
    applies_to: str = QualificationTarget.AppliesTo.SELF,
    note: str = "",
) -> QualificationTarget:
    """Set a qualification target for one's own organisation (or, from a Land/Kreis, for each Gemeinde below)."""
    scope = report_scope_for(viewer=actor)
    if not may_set_targets(scope=scope, organisation=organisation):
        raise NotPermitted(
            "reports.target_not_permitted",
            _("Ziele setzt die Verwaltung der Organisation selbst oder eine Verwaltung darüber für alle darunter."),
        )
    if applies_to == QualificationTarget.AppliesTo.EACH_BELOW and organisation.kind not in TARGET_BELOW_KINDS:
        raise ValidationFailed(
            "reports.target_below_needs_parent",
            _("Ziele für alle Gemeinden darunter können nur Länder, Bezirke, Kreise und Gemeindeverbände setzen."),
        )
    if kind == QualificationTarget.Kind.PERCENT and not 1 <= value <= 100:
        raise ValidationFailed("reports.target_percent_range", _("Ein Anteil liegt zwischen 1 und 100 Prozent."))
    if value < 1:
        raise ValidationFailed("reports.target_value_positive", _("Der Zielwert muss mindestens 1 sein."))
    if level not in CoursePage.Level.values:
        raise ValidationFailed("reports.target_level", _("Bitte ein Niveau wählen."))
    if due_date < timezone.localdate():
        raise ValidationFailed("reports.target_due_in_past", _("Das Zieldatum darf nicht in der Vergangenheit liegen."))
    try:
        with transaction.atomic():
            return QualificationTarget.objects.create(
                organisation=organisation,
                applies_to=applies_to,
                topic=topic,
                level=level,
                kind=kind,
                value=value,
                due_date=due_date,
                note=note.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        raise Conflict(
            "reports.target_exists", _("Dieses Ziel ist für diese Organisation bereits eingetragen.")
        ) from error


def target_delete(*, actor: User, target: QualificationTarget) -> None:
    scope = report_scope_for(viewer=actor)
    if not may_set_targets(scope=scope, organisation=target.organisation):
        raise NotPermitted("reports.target_not_permitted", _("Dieses Ziel darf nur die Organisation selbst löschen."))
    target.delete()


def access_log_record(
    *, user: User, action: str, organisation: Organisation | None, filters: dict | None = None, row_count: int = 0
) -> AccessLogEntry:
    """Log that a person looked at or exported a list of people (who, which scope, when)."""
    label = _("Deutschland") if organisation is None else f"{organisation.name} ({organisation.ars or '–'})"
    return AccessLogEntry.objects.create(
        user=user,
        action=action,
        organisation=organisation,
        scope_label=label,
        filters={k: v for k, v in (filters or {}).items() if v},
        row_count=row_count,
    )


def summary_rebuild() -> int:
    """Rebuild the summary table behind the national tiles; readers see the old or the new one."""
    with transaction.atomic():
        return figures.organisation_figures_rebuild()


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def snapshot_take(*, month: datetime.date | None = None) -> int:
    """Record the figures of `month` (default: this month) once; a second run changes nothing.

    Copies the freshly rebuilt summary table. The per-month lock (the unique constraint plus the
    existence check under a transaction) makes two beat runs write one snapshot.
    """
    month = first_of_month(month or timezone.localdate())
    with transaction.atomic():
        if MonthlySnapshot.objects.filter(month=month).exists():
            return 0
        figures.organisation_figures_rebuild()
        rows = [
            MonthlySnapshot(
                month=month,
                organisation_id=row.organisation_id,
                ars=row.ars,
                topic_id=row.topic_id,
                **{name: getattr(row, name) for name in figures.FIGURES},
            )
            for row in OrganisationFigures.objects.all().iterator(chunk_size=5000)
        ]
        try:
            with transaction.atomic():
                MonthlySnapshot.objects.bulk_create(rows, batch_size=2000)
        except IntegrityError:  # another run got there first
            return 0
        return len(rows)
