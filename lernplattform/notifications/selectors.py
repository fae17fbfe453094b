"""Reads of the notifications app: a person's choices and the outbox figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from .models import Notification, NotificationOptOut
from .registry import NotificationKind, kinds_all


@dataclass(frozen=True)
class NotificationChoice:
    kind: NotificationKind
    receives: bool


def user_notification_choices(*, user) -> list[NotificationChoice]:
    """Every kind with whether the person receives it (mandatory kinds always)."""
    opted_out = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [
        NotificationChoice(kind=kind, receives=kind.mandatory or kind.code not in opted_out)
        for kind in kinds_all()
        if kind.code != "notifications.message"
    ]


def outbox_counts() -> dict[str, int]:
    """How many messages are in each state (for the outbox header)."""
    counts = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Notification.Status.values}
