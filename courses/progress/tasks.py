"""Celery tasks of progress: load by id, call a service, harmless when run twice."""

from __future__ import annotations

from celery import shared_task

from . import bulk_services


@shared_task(name="progress.bulk_enrolment_validate")
def bulk_enrolment_validate_task(bulk_id: int) -> str | None:
    bulk = bulk_services.bulk_enrolment_validate(bulk_id=bulk_id)
    return bulk.status if bulk else None


@shared_task(name="progress.bulk_enrolment_import")
def bulk_enrolment_import_task(bulk_id: int) -> str | None:
    bulk = bulk_services.bulk_enrolment_import(bulk_id=bulk_id)
    return bulk.status if bulk else None


@shared_task(name="progress.bulk_enrolments_resume")
def bulk_enrolments_resume_task() -> int:
    """Beat: uploads whose task was lost are validated or imported after all."""
    return bulk_services.bulk_enrolments_resume()
