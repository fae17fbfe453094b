"""Enqueue Celery tasks after commit without ever failing the user's request.

What a user did is committed in their request. The follow-up is either a row written in the same
transaction (an outbox: notifications, pending reports) or recomputable from committed rows; the task
that delivers it is only a nudge. If the broker is down when the transaction commits, the nudge is
lost and logged, the request still succeeds, and the app's reconcile beat task picks the work up.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# Publishing must give up quickly when the broker is unreachable: the reconcile task is the safety net,
# a request blocked for a minute of retries is not.
PUBLISH_OPTIONS: dict[str, Any] = {
    "retry": True,
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
}


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Send a task now; False (logged) when the broker cannot be reached.

    In eager mode (embedded default, tests) the task runs here and its errors propagate as usual.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply_async(args=args, kwargs=kwargs)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, **PUBLISH_OPTIONS)
    except Exception:  # kombu raises OperationalError and friends; nothing may reach the user
        logger.warning("Broker unreachable, %s left for the reconcile task", getattr(task, "name", task), exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send a task once the surrounding transaction has committed (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
