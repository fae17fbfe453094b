"""Celery tasks of the accounts app."""

from celery import shared_task

from .services import user_groups_sync_due


@shared_task(name="accounts.memberships_sync_groups")
def memberships_sync_groups() -> int:
    """Nightly: memberships begin and end on dates, so the derived Wagtail groups follow them."""
    return user_groups_sync_due()


# The name before the naming rule, still registered for beat rows and queued messages.
shared_task(name="lernplattform.accounts.tasks.memberships_sync_groups")(memberships_sync_groups.run)
