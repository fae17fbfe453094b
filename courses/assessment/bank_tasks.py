"""Celery tasks of the question bank: load by id, call a service, harmless when run twice."""

from __future__ import annotations

from celery import shared_task

from .services import question_import_run, question_imports_requeue


@shared_task(name="assessment.question_import")
def question_import_task(job_id: int) -> str | None:
    job = question_import_run(job_id=job_id)
    return job.status if job else None


@shared_task(name="assessment.question_imports_requeue")
def question_imports_requeue_task() -> int:
    """Scheduled: start pending imports whose task a broker outage or a killed worker lost."""
    return question_imports_requeue()
