"""Celery tasks of the accounts app."""

from celery import shared_task

from .services import user_groups_sync_due


@shared_task
def memberships_sync_groups() -> int:
    """Nightly: memberships begin and end on dates, so the derived Wagtail groups follow them."""
    return user_groups_sync_due()
