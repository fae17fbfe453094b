"""Celery tasks of the question bank: load by id, call a service, harmless when run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import question_import_run, question_imports_reconcile

# The import has its own limits: a file at the size and question limits imports well within them
# (bench/question_import.py, docs/performance.md); one that runs longer is ended as failed, not waited
# for. The hard limit never exceeds the platform's, which the broker's visibility timeout is sized for.
IMPORT_SOFT_LIMIT = min(settings.QUESTION_IMPORT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT - 30)
IMPORT_HARD_LIMIT = min(IMPORT_SOFT_LIMIT + 30, settings.CELERY_TASK_TIME_LIMIT)


@shared_task(name="questions.question_import", soft_time_limit=IMPORT_SOFT_LIMIT, time_limit=IMPORT_HARD_LIMIT)
def question_import_task(job_id: int) -> str | None:
    job = question_import_run(job_id=job_id)
    return job.status if job else None


@shared_task(name="questions.question_imports_reconcile")
def question_imports_reconcile_task() -> int:
    return len(question_imports_reconcile())


# The bank's tasks were named after the app that held it before (docs/adr/0014-bank-in-questions.md):
# messages queued and beat rows written under the old names still reach the same work.
shared_task(name="assessment.question_import", soft_time_limit=IMPORT_SOFT_LIMIT, time_limit=IMPORT_HARD_LIMIT)(
    question_import_task.run
)
shared_task(name="assessment.question_imports_reconcile")(question_imports_reconcile_task.run)
