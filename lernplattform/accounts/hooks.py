"""Who wants to hear when a person's memberships change, without accounts importing them.

Apps above accounts (enrolment rules in courses.progress) subscribe in their AppConfig.ready();
the membership services call `membership_changed` after every start, end or approval. The
layer order stays accounts → catalog → progress: accounts knows only this list of callables.
Receivers are called inside the service's transaction; they should write rows or enqueue tasks
on commit, never fail the membership change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import User

_receivers: list[Callable[..., None]] = []


def membership_changed_subscribe(receiver: Callable[..., None]) -> None:
    """Register ``receiver(*, user)``; registering the same callable twice keeps one."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def membership_changed(*, user: User) -> None:
    for receiver in list(_receivers):
        receiver(user=user)
