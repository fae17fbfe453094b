"""Celery tasks of reports: thin wrappers that call a service and can run twice."""

from celery import shared_task

from . import services


@shared_task(name="reports.summary_rebuild")
def summary_rebuild() -> int:
    """Every 15 minutes: the summary table behind Germany, Länder and Regierungsbezirke, one task per part."""
    return services.summary_rebuild_fan_out()


@shared_task(name="reports.summary_rebuild_part")
def summary_rebuild_part(topic_id: int | None) -> int:
    """One part of the summary table: across topics (None) or one topic."""
    if topic_id is None:
        return services.summary_rebuild(overall=True)
    return services.summary_rebuild(topic_id=topic_id)


@shared_task(name="reports.snapshot_take")
def snapshot_take() -> int:
    """Daily: the month's snapshot, written once per month (later runs of the month do nothing)."""
    return services.snapshot_take()


@shared_task(name="reports.export_build")
def export_build(export_id: int) -> bool:
    """Write one stored export (skips one that is done or being written)."""
    return services.export_build(export_id=export_id)


@shared_task(name="reports.exports_maintain")
def exports_maintain() -> tuple[int, int]:
    """Every 10 minutes: delete expired exports, re-enqueue those a broker outage left pending."""
    return services.exports_maintain()


@shared_task(name="reports.monthly_reports_fan_out")
def monthly_reports_fan_out() -> int:
    """On the 1st of each month: one report task per organisation admin."""
    return services.monthly_reports_fan_out()


@shared_task(name="reports.monthly_report_send")
def monthly_report_send(user_id: int, month: str) -> bool:
    import datetime

    return services.monthly_report_send(user_id=user_id, month=datetime.date.fromisoformat(month))
