"""Celery tasks of the notifications app: load by id, call the service; safe to run twice."""

from celery import shared_task

from .services import notification_deliver_now, notifications_sweep


@shared_task(name="notifications.notification_deliver", soft_time_limit=120, time_limit=150)
def notification_deliver(notification_id: int) -> bool:
    """Deliver one message. No Celery retries: a failure sets a back-off the sweeper honours."""
    return notification_deliver_now(notification_id=notification_id)


@shared_task(name="notifications.notifications_sweep", soft_time_limit=120, time_limit=150)
def notifications_sweep_task() -> int:
    """Every minute: re-enqueue what a lost task, a broker outage or a failure left unsent."""
    return notifications_sweep()
