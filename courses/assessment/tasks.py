"""Celery discovers an app's tasks here; each concern keeps its tasks in its own module."""

from .attempt_tasks import attempts_close_overdue_task, quiz_result_report_task  # noqa: F401
from .bank_tasks import question_import_task  # noqa: F401
