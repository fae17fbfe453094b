"""The roles in force of a person, cached per person and day for the navigation on every page.

Every page's navigation asks which roles the visitor holds (`selectors.request_roles`): one query
per request for an answer that changes only when a membership does or a day begins. The answer is
kept in the Django cache under the person and the day (a membership ending today or starting
tomorrow counts from that day on: the day is part of the key).

Any saved or deleted membership – through the services, Django's admin, a factory or a data
migration – drops the person's entry for today at once and sets it afresh after the commit. A
request that read the memberships just before the commit only `add`s its answer, which never
overwrites the fresh one (a delete alone would let it put the old roles back). Each entry is one
person's, under that person's id, so nobody sees another's roles.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Membership

CACHE_KEY = "accounts:roles:{user_id}:{day}"
CACHE_SECONDS = 26 * 3600  # the key holds the day; a little over a day covers time zones and clocks


def _key(user_id: int, day: datetime.date) -> str:
    return CACHE_KEY.format(user_id=user_id, day=day.isoformat())


def _roles_load(user_id: int, day: datetime.date) -> frozenset[str]:
    return frozenset(
        Membership.objects.active(day).filter(user_id=user_id, approved=True).order_by().values_list("role", flat=True)
    )


def roles_in_force_cached(*, user_id: int) -> frozenset[str]:
    """The roles of a person's approved memberships in force today (cached; one query when cold)."""
    day = timezone.localdate()
    key = _key(user_id, day)
    roles: frozenset[str] | None = cache.get(key)
    if roles is None:
        roles = _roles_load(user_id, day)
        cache.add(key, roles, CACHE_SECONDS)
    return roles


def roles_refresh(*, user_id: int) -> None:
    """Drop the person's roles of today now and set them afresh after the commit."""
    day = timezone.localdate()
    cache.delete(_key(user_id, day))
    transaction.on_commit(lambda: cache.set(_key(user_id, day), _roles_load(user_id, day), CACHE_SECONDS))


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _refresh_on_membership_change(sender: Any, instance: Membership, **kwargs: Any) -> None:
    roles_refresh(user_id=instance.user_id)
