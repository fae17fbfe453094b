"""Celery tasks of the question bank: load by id, call a service, harmless when run twice."""

from __future__ import annotations

from celery import shared_task

from .services import question_import_run


@shared_task(name="assessment.question_import")
def question_import_task(job_id: int) -> str | None:
    job = question_import_run(job_id=job_id)
    return job.status if job else None
