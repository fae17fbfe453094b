"""Writes for reports: targets, the summary table, monthly snapshots, the access log."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage, Topic
from lernplattform.accounts.models import Organisation, User
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed

from . import figures
from .models import AccessLogEntry, MonthlySnapshot, OrganisationFigures, QualificationTarget, ReportExport
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


def summary_rebuild(*, topic_id: int | None = None, overall: bool = False) -> int:
    """Rebuild the summary table behind the national tiles, all of it or one part.

    `overall=True`: the rows across all topics; `topic_id`: one topic's rows; neither: everything.
    Readers see each part old or new, never half of each.
    """
    if overall:
        topics: list[Topic | None] | None = [None]
    elif topic_id is not None:
        topic = Topic.objects.filter(pk=topic_id).first()
        if topic is None:
            return 0
        topics = [topic]
    else:
        topics = None
    with transaction.atomic():
        return figures.organisation_figures_rebuild(topics=topics)


def summary_rebuild_fan_out() -> int:
    """Beat: one task per part (across topics, then each topic), each well inside the time limit."""
    from lernplattform.core.tasks import enqueue

    from .tasks import summary_rebuild_part

    parts = [None, *Topic.objects.values_list("pk", flat=True)]
    for topic_id in parts:
        enqueue(summary_rebuild_part, topic_id)
    return len(parts)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def snapshot_take(*, month: datetime.date | None = None) -> int:
    """Record the figures of `month` (default: this month) once; a second run changes nothing.

    Copies the summary table (at most one beat interval old; rebuilt first if it was never built).
    The unique constraints per month make two concurrent runs write one snapshot.
    """
    month = first_of_month(month or timezone.localdate())
    with transaction.atomic():
        if MonthlySnapshot.objects.filter(month=month).exists():
            return 0
        if not OrganisationFigures.objects.exists():
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


# Exports ----------------------------------------------------------------------------------------

EXPORT_LIFETIME = datetime.timedelta(hours=48)
# A pending export older than this was lost (broker outage, killed worker): the beat task re-enqueues it.
EXPORT_STALE_AFTER = datetime.timedelta(minutes=10)


def export_request(
    *, user: User, organisation: Organisation | None, params: dict[str, str], fmt: str, row_count: int
) -> ReportExport:
    """Queue a people export for its requester; the task is enqueued after commit (and re-found by beat)."""
    from lernplattform.core.tasks import enqueue_on_commit

    from .tasks import export_build

    if fmt not in ReportExport.Format.values:
        raise ValidationFailed("reports.export_format", _("Bitte CSV oder XLSX wählen."))
    scope = report_scope_for(viewer=user)
    if not scope.allows(organisation):
        raise NotPermitted(
            "reports.export_out_of_scope", _("Dieser Bereich gehört nicht zu Ihrem Zuständigkeitsbereich.")
        )
    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=user, view="people", organisation=organisation, params=params, format=fmt
        )
        access_log_record(
            user=user,
            action=AccessLogEntry.Action.PEOPLE_EXPORT,
            organisation=organisation,
            filters={**params, "format": fmt},
            row_count=row_count,
        )
        enqueue_on_commit(export_build, export.pk)
    return export


def export_build(*, export_id: int) -> bool:
    """Write the file of one export; True when written now. A second run finds it done and stops.

    The requester's scope is taken again now: someone who lost their admin role gets no file.
    """
    from . import exports
    from .forms import ReportFilterForm
    from .selectors import people_query_from_params

    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=export_id, status=ReportExport.Status.PENDING)
            .select_related("requested_by", "organisation")
            .first()
        )
        if export is None:
            return False
        scope = report_scope_for(viewer=export.requested_by)
        if scope.is_empty or not scope.allows(export.organisation):
            export.status = ReportExport.Status.FAILED
            export.error = _("Sie sind für diesen Bereich nicht mehr zuständig.")
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return False
        form = ReportFilterForm(export.params)
        filters = form.filters()
        people = people_query_from_params(export.params)
        rows = exports.people_rows(scope=scope, organisation=export.organisation, filters=filters, people=people)
        name = f"personen-{export.pk}.{export.format}"
        storage = export.file.storage
        storage.delete(f"reports/{name}")
        path = storage.path(storage.generate_filename(f"reports/{name}"))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if export.format == ReportExport.Format.XLSX:
            count = exports.write_xlsx(path, exports.people_headers(), rows, sheet="Personen")
        else:
            with open(path, "w", encoding="utf-8-sig", newline="") as handle:
                count = exports.write_csv(handle, exports.people_headers(), rows)
        now = timezone.now()
        export.file.name = f"reports/{name}"
        export.row_count = count
        export.status = ReportExport.Status.READY
        export.finished_at = now
        export.expires_at = now + EXPORT_LIFETIME
        export.save(update_fields=["file", "row_count", "status", "finished_at", "expires_at"])
        _export_ready_notify(export)
        return True


def _export_ready_notify(export: ReportExport) -> None:
    from django.conf import settings
    from django.urls import reverse

    from lernplattform.notifications.services import notification_schedule

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    notification_schedule(
        kind="reports.export_ready",
        dedupe_key=f"export:{export.pk}",
        user=export.requested_by,
        context={
            "export_url": base + reverse("reports:exports"),
            "row_count": f"{export.row_count:n}",
            "expires_at": timezone.localtime(export.expires_at).strftime("%d.%m.%Y %H:%M"),
        },
    )


def exports_maintain() -> tuple[int, int]:
    """Beat: delete expired files, re-enqueue exports a lost task left pending. (deleted, re-enqueued)."""
    from lernplattform.core.tasks import enqueue

    from .tasks import export_build

    now = timezone.now()
    deleted = 0
    for export in ReportExport.objects.filter(status=ReportExport.Status.READY, expires_at__lte=now):
        if export.file:
            export.file.storage.delete(export.file.name)
        export.delete()
        deleted += 1
    stale = ReportExport.objects.filter(status=ReportExport.Status.PENDING, created_at__lte=now - EXPORT_STALE_AFTER)
    requeued = 0
    for export_id in stale.values_list("pk", flat=True):
        if enqueue(export_build, export_id):
            requeued += 1
    return deleted, requeued


# Monthly report e-mail ----------------------------------------------------------------------------


def monthly_reports_fan_out(*, month: datetime.date | None = None) -> int:
    """Beat (1st of the month): one task per organisation admin; each renders with their own scope."""
    from lernplattform.accounts.models import Membership
    from lernplattform.core.tasks import enqueue

    from .tasks import monthly_report_send

    month = first_of_month(month or timezone.localdate())
    admins = (
        Membership.objects.active()
        .filter(role=Membership.Role.ORG_ADMIN, approved=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in admins:
        enqueue(monthly_report_send, user_id, month.isoformat())
        count += 1
    return count


def monthly_report_send(*, user_id: int, month: datetime.date) -> bool:
    """The monthly report for one admin, computed now with the recipient's own scope (never another's).

    Safe to run twice: the notification's dedupe key is the person and the month.
    """
    from django.conf import settings
    from django.urls import reverse

    from lernplattform.notifications.services import notification_schedule

    from .figures import ReportFilters
    from .selectors import node_report

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    scope = report_scope_for(viewer=user)
    if scope.is_empty or scope.national:
        return False
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    sections = []
    for root in scope.roots:
        report = node_report(scope=scope, organisation=root, filters=ReportFilters())
        total = report.total
        lines = [
            f"{root.name} ({root.ars or '–'})",
            _("Registriert: %s") % total.cells["registered"],
            _("Eingeschrieben: %s") % total.cells["enrolled"],
            _("In Bearbeitung: %s") % total.cells["in_progress"],
            _("Frist überschritten: %s") % total.cells["overdue"],
            _("Qualifiziert (%(level)s): %(value)s") % {"level": report.qualified_label, "value": total.qualified},
            _("Quote: %s") % total.quota,
            _("Zertifikate laufen in 90 Tagen ab: %s") % total.cells["expiring"],
            _("Rezertifizierung überfällig: %s") % total.cells["recert_overdue"],
        ]
        for status in report.targets:
            if status.organisations_total is not None:
                lines.append(
                    _("Ziel „%(goal)s“: %(met)s von %(total)s Gemeinden erreichen es.")
                    % {
                        "goal": status.target.describe(),
                        "met": status.organisations_met,
                        "total": status.organisations_total,
                    }
                )
            elif status.gap is not None:
                lines.append(
                    _("Ziel „%(goal)s“: Lücke %(gap)s.") % {"goal": status.target.describe(), "gap": status.gap}
                )
        lines.append(base + reverse("reports:node", args=[root.pk]))
        sections.append("\n".join(lines))
    notification_schedule(
        kind="reports.monthly_report",
        dedupe_key=f"monthly:{month.isoformat()}:{user.pk}",
        user=user,
        context={"month": month.strftime("%m/%Y"), "summary": "\n\n".join(sections)},
    )
    return True
