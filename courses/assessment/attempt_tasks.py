"""Celery tasks for attempts: each loads by id, calls a service, and may run twice harmlessly."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .attempt_services import attempts_close_overdue, quiz_result_report
from .quiz_models import QuizPage


@shared_task(name="assessment.attempts_close_overdue")
def attempts_close_overdue_task() -> int:
    """Scheduled every minute: close attempts past their deadline, graded as of the deadline."""
    return attempts_close_overdue()


@shared_task(name="assessment.quiz_result_report")
def quiz_result_report_task(quiz_id: int, user_id: int) -> None:
    """Report a learner's quiz result to progress (recomputed from the attempts, so repeatable)."""
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if quiz is None or user is None:
        return
    quiz_result_report(quiz=quiz, user=user)
