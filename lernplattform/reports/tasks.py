"""Celery tasks of reports: thin wrappers that call a service and can run twice."""

from celery import shared_task

from . import services


@shared_task(name="reports.summary_rebuild")
def summary_rebuild() -> int:
    """Every 15 minutes: the summary table behind Germany, Länder and Regierungsbezirke."""
    return services.summary_rebuild()


@shared_task(name="reports.snapshot_take")
def snapshot_take() -> int:
    """Daily: the month's snapshot, written once per month (later runs of the month do nothing)."""
    return services.snapshot_take()
