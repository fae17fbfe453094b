"""Reads about people, organisations and what a viewer may see of them."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from .models import Membership, Organisation, User


def user_active_memberships(*, user: User, on: datetime.date | None = None) -> QuerySet[Membership]:
    """The memberships in force for a person, with their organisations."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active(on).filter(user=user, approved=True).select_related("organisation")


def user_has_role(*, user: User, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user_active_memberships(user=user).filter(role=role).exists()


def user_is_platform_admin(*, user: User) -> bool:
    return user_has_role(user=user, role=Membership.Role.PLATFORM_ADMIN)


def _scope_q(organisations: list[Organisation], *, field: str = "") -> Q:
    """A filter for every organisation below the given ones (by ARS prefix), themselves included.

    Bodies without an ARS are in scope through their parent, and an admin of such a body
    oversees only the body itself.
    """
    prefix = f"{field}__" if field else ""
    condition = Q(pk__in=[]) if not field else Q(**{f"{prefix}pk__in": []})
    for org in organisations:
        condition |= Q(**{f"{prefix}pk": org.pk})
        if org.scope_prefix:
            condition |= Q(**{f"{prefix}ars__startswith": org.scope_prefix})
            condition |= Q(**{f"{prefix}ars__isnull": True, f"{prefix}parent__ars__startswith": org.scope_prefix})
    return condition


def organisations_administered(*, user: User) -> list[Organisation]:
    """The organisations a person administers as organisation admin (not platform admin)."""
    return [m.organisation for m in user_active_memberships(user=user).filter(role=Membership.Role.ORG_ADMIN)]


def organisations_in_scope(*, viewer: User) -> QuerySet[Organisation]:
    """Every organisation a viewer may oversee: all for platform admins, their subtree for org admins."""
    if user_is_platform_admin(user=viewer):
        return Organisation.objects.all()
    administered = organisations_administered(user=viewer)
    if not administered:
        return Organisation.objects.none()
    return Organisation.objects.filter(_scope_q(administered))


def users_visible_to(*, viewer: User) -> QuerySet[User]:
    """The people a viewer may see: by current membership in an organisation in the viewer's scope.

    An organisation admin never sees people outside their scope (DESIGN.md, Roles).
    """
    if user_is_platform_admin(user=viewer):
        return User.objects.all()
    administered = organisations_administered(user=viewer)
    if not administered:
        return User.objects.none()
    in_scope = Membership.objects.active().filter(_scope_q(administered, field="organisation"))
    return User.objects.filter(pk__in=in_scope.values("user_id"))


def user_primary_organisation(*, user: User) -> Organisation | None:
    """The organisation a person currently works for (their newest active membership)."""
    membership = user_active_memberships(user=user).order_by("-valid_from", "-pk").first()
    return membership.organisation if membership else None


def platform_admin_emails() -> list[str]:
    """The addresses of everyone who is platform admin today."""
    return list(
        Membership.objects.active()
        .filter(role=Membership.Role.PLATFORM_ADMIN, approved=True, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def organisation_admin_emails(*, organisation: Organisation) -> list[str]:
    """The addresses of the admins responsible for an organisation: its own, else the nearest above."""
    current: Organisation | None = organisation
    while current is not None:
        emails = list(
            Membership.objects.active()
            .filter(role=Membership.Role.ORG_ADMIN, approved=True, organisation=current, user__is_active=True)
            .values_list("user__email", flat=True)
        )
        if emails:
            return emails
        current = current.parent
    return []


def memberships_in_scope(
    *, viewer: User, organisation: Organisation | None = None, query: str = "", pending: bool = False
) -> QuerySet[Membership]:
    """Current memberships an admin may see (approved, or only pending ones), with person and organisation.

    One query whatever the size of the scope; the caller paginates.
    """
    if user_is_platform_admin(user=viewer):
        memberships = Membership.objects.active()
    else:
        administered = organisations_administered(user=viewer)
        if not administered:
            return Membership.objects.none()
        memberships = Membership.objects.active().filter(_scope_q(administered, field="organisation"))
    if organisation is not None:
        memberships = memberships.filter(_scope_q([organisation], field="organisation"))
    if query:
        memberships = memberships.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
    return (
        memberships.filter(approved=not pending)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "organisation__name", "role")
    )


def user_membership_history(*, user: User) -> QuerySet[Membership]:
    """Every membership a person ever had, newest first: moves between employers stay visible."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("-valid_from", "-pk")


def organisations_for_registration(*, query: str = "", limit: int = 50) -> QuerySet[Organisation]:
    """Organisations a newcomer can choose, searched by name or key (ARS/AGS prefix)."""
    organisations = Organisation.objects.all()
    query = query.strip()
    if query:
        if query.isdigit():
            organisations = organisations.filter(ars__startswith=query)
            if len(query) == 8:  # an AGS: Land, RB, Kreis + Gemeinde
                organisations = Organisation.objects.filter(ars__startswith=query[:5], ars__endswith=query[5:])
        else:
            organisations = organisations.filter(name__icontains=query)
    return organisations.select_related("parent").order_by("name", "ars")[:limit]
