"""Celery tasks for attempts: each loads by id, calls a service, and may run twice harmlessly."""

from __future__ import annotations

from celery import shared_task

from .attempt_services import attempt_results_reconcile, attempt_results_report, attempts_close_overdue


@shared_task(name="assessment.attempts_close_overdue")
def attempts_close_overdue_task() -> int:
    """Scheduled every minute: close attempts past their deadline, graded as of the deadline."""
    return attempts_close_overdue()


@shared_task(name="assessment.quiz_result_report")
def quiz_result_report_task(quiz_id: int, user_id: int) -> int:
    """Report a learner's quiz result to progress (recomputed from the attempts, so repeatable)."""
    return attempt_results_report(quiz_id=quiz_id, user_id=user_id)


@shared_task(name="assessment.attempt_results_reconcile")
def attempt_results_reconcile_task() -> int:
    """Scheduled: report finished attempts whose report a broker outage or a killed worker lost."""
    return attempt_results_reconcile()
