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


@shared_task(name="progress.due_reminders_send")
def due_reminders_send_task() -> dict[str, int]:
    """Nightly: one reminder before each due date and one when it has passed; sends nothing twice."""
    from .reminder_services import due_reminders_send

    result = due_reminders_send()
    return {"due_soon": result.due_soon, "overdue": result.overdue}


@shared_task(name="progress.enrolment_rule_apply")
def enrolment_rule_apply_task(rule_id: int) -> int:
    from .rule_services import enrolment_rule_apply

    return enrolment_rule_apply(rule_id=rule_id)


@shared_task(name="progress.enrolment_rules_apply_all")
def enrolment_rules_apply_all_task() -> int:
    """Nightly: every active rule for everyone it covers (idempotent)."""
    from .rule_services import enrolment_rules_apply_all

    return enrolment_rules_apply_all()


@shared_task(name="progress.enrolments_for_user_apply")
def enrolments_for_user_apply_task(user_id: int) -> int:
    """A person's memberships changed: the rules that cover them now enrol them."""
    from .rule_services import enrolments_for_user_apply

    return enrolments_for_user_apply(user_id=user_id)
