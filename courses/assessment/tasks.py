"""Celery discovers an app's tasks here; each concern keeps its tasks in its own module."""

from .attempt_tasks import (  # noqa: F401
    attempt_results_reconcile_task,
    attempts_close_overdue_task,
    quiz_result_report_task,
)
