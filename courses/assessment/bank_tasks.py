"""Celery tasks of the question bank: load by id, call a service, harmless when run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import question_import_run, question_imports_reconcile

# The import has its own limits, well below the platform default: a file within the size limit
# imports in seconds (bench/question_import.py); one that takes minutes is refused, not waited for.
IMPORT_SOFT_LIMIT = settings.QUESTION_IMPORT_TIME_LIMIT
IMPORT_HARD_LIMIT = settings.QUESTION_IMPORT_TIME_LIMIT + 30


@shared_task(name="assessment.question_import", soft_time_limit=IMPORT_SOFT_LIMIT, time_limit=IMPORT_HARD_LIMIT)
def question_import_task(job_id: int) -> str | None:
    job = question_import_run(job_id=job_id)
    return job.status if job else None


@shared_task(name="assessment.question_imports_reconcile")
def question_imports_reconcile_task() -> int:
    return len(question_imports_reconcile())
