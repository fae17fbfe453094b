"""Writes on people and memberships. Memberships change only here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .gv100ad import DirectoryEntry
from .hooks import membership_changed
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
    membership_changed(user=user)
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
    membership_changed(user=membership.user)
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


@dataclass(frozen=True)
class OrganisationImportResult:
    created: int
    updated: int
    unchanged: int


# Rank of each kind in the tree; a record never lowers the kind an ARS already has (the
# Gemeinde record of a kreisfreie Stadt carries the same ARS as its Kreis record).
_KIND_RANK = {
    Organisation.Kind.LAND: 0,
    Organisation.Kind.REGIERUNGSBEZIRK: 1,
    Organisation.Kind.KREIS: 2,
    Organisation.Kind.KREISFREIE_STADT: 2,
    Organisation.Kind.GEMEINDEVERBAND: 3,
    Organisation.Kind.GEMEINDE: 4,
}


@transaction.atomic
def organisations_import_directory(*, entries: list[DirectoryEntry]) -> OrganisationImportResult:
    """Create or update organisations from the official directory; all or nothing, idempotent.

    Names, kinds and parents follow the directory; what admins keep (headcount, approval
    setting, memberships) is left alone, and organisations missing from the file stay.
    Entries must come parents first (``gv100ad.read_directory`` sorts them so).
    """
    # One read of every keyed organisation: a national directory holds ~12,500 of them, and a
    # list of keys that long would exceed SQLite's limit of query parameters.
    existing = {org.ars: org for org in Organisation.objects.filter(ars__isnull=False)}
    created = updated = unchanged = 0
    to_update: list[Organisation] = []
    # Parents first: each level is created in one query before its children need the keys.
    for _rank, level in groupby(entries, key=lambda e: _KIND_RANK.get(e.kind, 5)):
        new: list[Organisation] = []
        for entry in level:
            parent = existing[entry.parent_ars] if entry.parent_ars else None
            org = existing.get(entry.ars)
            if org is None:
                org = Organisation(
                    ars=entry.ars, name=entry.name, kind=entry.kind, kind_label=entry.kind_label, parent=parent
                )
                org.full_clean(validate_unique=False, validate_constraints=False)
                new.append(org)
                existing[entry.ars] = org
                continue
            kind, label = entry.kind, entry.kind_label
            if _KIND_RANK.get(org.kind, 5) < _KIND_RANK.get(kind, 5):
                kind, label = org.kind, org.kind_label
            wanted = {"name": entry.name, "kind": kind, "kind_label": label, "parent_id": parent.pk if parent else None}
            if all(getattr(org, field) == value for field, value in wanted.items()):
                unchanged += 1
                continue
            for field, value in wanted.items():
                setattr(org, field, value)
            to_update.append(org)
        Organisation.objects.bulk_create(new, batch_size=500)
        created += len(new)
    Organisation.objects.bulk_update(to_update, ["name", "kind", "kind_label", "parent"], batch_size=500)
    updated = len(to_update)
    return OrganisationImportResult(created=created, updated=updated, unchanged=unchanged)


class ScopeError(PermissionDenied):
    """An admin tried to act outside their scope; the message is German and shown to them."""


@transaction.atomic
def user_register(*, email: str, full_name: str, password: str, organisation: Organisation) -> User:
    """Self-registration: a learner membership, waiting for approval where the organisation wants that."""
    if organisation.kind == Organisation.Kind.OTHER and organisation.parent is None:
        raise ValidationError(_("Diese Organisation nimmt keine Registrierungen an."))
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    needs_approval = organisation.requires_approval
    membership_start(user=user, organisation=organisation, role=Membership.Role.LEARNER, approved=not needs_approval)
    if needs_approval:
        from lernplattform.notifications.services import notification_send

        from .selectors import organisation_admin_emails

        notification_send(
            recipients=organisation_admin_emails(organisation=organisation),
            subject=_("Neue Registrierung wartet auf Bestätigung: %(name)s") % {"name": user.full_name},
            body=_(
                "%(name)s (%(email)s) hat sich für %(org)s registriert und wartet auf Ihre Bestätigung.\n\n"
                "Bestätigen oder ablehnen: %(url)s"
            )
            % {
                "name": user.full_name,
                "email": user.email,
                "org": organisation.name,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("accounts:people"),
            },
            topic="registration_pending",
        )
    return user


def _require_scope(*, by: User, organisation: Organisation) -> None:
    from .selectors import organisations_in_scope

    if not organisations_in_scope(viewer=by).filter(pk=organisation.pk).exists():
        raise ScopeError(_("„%(org)s“ liegt außerhalb Ihres Zuständigkeitsbereichs.") % {"org": organisation.name})


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    """An admin confirms a self-registration in their scope."""
    _require_scope(by=by, organisation=membership.organisation)
    if not membership.approved:
        membership.approved = True
        membership.save(update_fields=["approved"])
        user_groups_sync(user=membership.user)
        membership_changed(user=membership.user)
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, by: User) -> None:
    """An admin turns down a self-registration: the membership never comes into force."""
    _require_scope(by=by, organisation=membership.organisation)
    if membership.approved:
        raise ValidationError(_("Diese Mitgliedschaft ist bereits bestätigt; beenden Sie sie stattdessen."))
    membership.valid_to = membership.valid_from
    membership.save(update_fields=["valid_to"])


# Roles an organisation admin may hand out; platform admins are made by platform admins only.
ORG_ADMIN_GRANTABLE = [
    Membership.Role.LEARNER,
    Membership.Role.TRAINER,
    Membership.Role.REVIEWER,
    Membership.Role.ORG_ADMIN,
]


@transaction.atomic
def membership_grant(*, by: User, user: User, organisation: Organisation, role: str) -> Membership:
    """An admin gives a person a role in an organisation of their scope."""
    from .selectors import user_is_platform_admin

    _require_scope(by=by, organisation=organisation)
    if role not in ORG_ADMIN_GRANTABLE and not user_is_platform_admin(user=by):
        raise ScopeError(_("Diese Rolle kann nur die Plattformverwaltung vergeben."))
    return membership_start(user=user, organisation=organisation, role=role)


@transaction.atomic
def membership_revoke(*, by: User, membership: Membership) -> Membership:
    """An admin ends a membership in their scope; the record stays as history."""
    from .selectors import user_is_platform_admin

    _require_scope(by=by, organisation=membership.organisation)
    if membership.role == Membership.Role.PLATFORM_ADMIN and not user_is_platform_admin(user=by):
        raise ScopeError(_("Diese Rolle kann nur die Plattformverwaltung entziehen."))
    return membership_end(membership=membership)


@transaction.atomic
def user_move_within_scope(*, by: User, user: User, organisation: Organisation) -> list[Membership]:
    """An admin moves a person between organisations of their scope (history stays)."""
    from .selectors import users_visible_to

    _require_scope(by=by, organisation=organisation)
    if not users_visible_to(viewer=by).filter(pk=user.pk).exists():
        raise ScopeError(_("Diese Person liegt außerhalb Ihres Zuständigkeitsbereichs."))
    return user_move_organisation(user=user, organisation=organisation)


@transaction.atomic
def organisation_headcount_set(*, by: User, organisation: Organisation, headcount: int | None) -> Organisation:
    """An admin keeps the staff headcount of an organisation in their scope (denominator of quotas)."""
    _require_scope(by=by, organisation=organisation)
    if headcount is not None and headcount < 0:
        raise ValidationError(_("Die Zahl der Beschäftigten kann nicht negativ sein."))
    organisation.headcount = headcount
    organisation.save(update_fields=["headcount"])
    return organisation


@transaction.atomic
def organisation_settings_set(*, by: User, organisation: Organisation, requires_approval: bool) -> Organisation:
    _require_scope(by=by, organisation=organisation)
    organisation.requires_approval = requires_approval
    organisation.save(update_fields=["requires_approval"])
    return organisation


def user_profile_update(*, user: User, full_name: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError(_("Bitte geben Sie Ihren vollständigen Namen an."))
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


def user_groups_sync_due(*, on: datetime.date | None = None) -> int:
    """Re-derive the groups of everyone whose memberships start or end on a day (nightly task)."""
    day = on or timezone.localdate()
    user_ids = (
        Membership.objects.filter(models.Q(valid_from=day) | models.Q(valid_to=day))
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user in User.objects.filter(pk__in=list(user_ids)):
        user_groups_sync(user=user)
        count += 1
    return count
