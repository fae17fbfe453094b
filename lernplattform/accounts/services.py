"""Writes on people and memberships. Memberships change only here."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from .models import Membership, Organisation, User

# Wagtail groups derived from roles; never edited by hand (DESIGN.md, Roles).
ROLE_GROUPS: dict[str, str] = {
    Membership.Role.TRAINER: "Trainer/innen",
    Membership.Role.REVIEWER: "Redaktion",
    Membership.Role.ORG_ADMIN: "Organisationsverwaltung",
}
ADMIN_ACCESS_ROLES = {Membership.Role.TRAINER, Membership.Role.REVIEWER, Membership.Role.PLATFORM_ADMIN}


def role_group_get(*, role: str) -> Group:
    """The Wagtail group of a role, created with admin access on first use."""
    group, created = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if created and role in ADMIN_ACCESS_ROLES:
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


@transaction.atomic
def user_groups_sync(*, user: User) -> None:
    """Derive a person's Wagtail groups, staff and superuser flags from their active memberships."""
    roles = set(Membership.objects.active().filter(user=user, approved=True).values_list("role", flat=True).distinct())
    wanted = {role_group_get(role=role) for role in roles if role in ROLE_GROUPS}
    managed = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*[g for g in managed if g not in wanted])
    user.groups.add(*wanted)
    is_platform_admin = Membership.Role.PLATFORM_ADMIN in roles
    is_staff = is_platform_admin
    if user.is_superuser != is_platform_admin or user.is_staff != is_staff:
        user.is_superuser = is_platform_admin
        user.is_staff = is_staff
        user.save(update_fields=["is_superuser", "is_staff"])


@transaction.atomic
def membership_start(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    approved: bool = True,
) -> Membership:
    """Give a person a role in an organisation; an identical active membership is reused."""
    start = valid_from or timezone.localdate()
    existing = Membership.objects.active(start).filter(user=user, organisation=organisation, role=role).first()
    if existing:
        return existing
    membership = Membership(
        user=user, organisation=organisation, role=role, valid_from=start, valid_to=valid_to, approved=approved
    )
    membership.full_clean()
    membership.save()
    user_groups_sync(user=user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: datetime.date | None = None) -> Membership:
    """End a membership; the record stays as history."""
    end = on or timezone.localdate()
    if membership.valid_to is None or membership.valid_to > end:
        # The end day is exclusive; a membership ended before it began was never in force.
        membership.valid_to = max(end, membership.valid_from)
        membership.save(update_fields=["valid_to"])
    user_groups_sync(user=membership.user)
    return membership


@transaction.atomic
def user_move_organisation(
    *, user: User, organisation: Organisation, on: datetime.date | None = None
) -> list[Membership]:
    """Move a person to another employer: their memberships end, the same roles start there."""
    day = on or timezone.localdate()
    current = list(Membership.objects.active(day).filter(user=user).exclude(role=Membership.Role.PLATFORM_ADMIN))
    started = []
    for membership in current:
        if membership.organisation_id == organisation.pk:
            started.append(membership)
            continue
        membership_end(membership=membership, on=day)
        started.append(membership_start(user=user, organisation=organisation, role=membership.role, valid_from=day))
    return started
