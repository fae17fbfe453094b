"""Celery tasks of the notifications app: load by id, call the service."""

from celery import shared_task

from .services import notification_deliver_now


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_deliver(self, notification_id: int) -> bool:
    return notification_deliver_now(notification_id=notification_id)
