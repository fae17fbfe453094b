"""Reads about people, organisations and what a viewer may see of them."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, Organisation, User
from .roles_cache import roles_in_force_cached


def user_active_memberships(*, user: User, on: datetime.date | None = None) -> QuerySet[Membership]:
    """The memberships in force for a person, with their organisations."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active(on).filter(user=user, approved=True).select_related("organisation")


def request_roles(*, request: HttpRequest) -> frozenset[str]:
    """The roles in force of the requesting person, read once per request (from the cache).

    The navigation and the page it frames ask the same question; the answer is kept on the
    request, which lives only as long as the response it builds, never across people. Across
    requests it comes from the per-person cache of `roles_cache`, refreshed by every membership write.
    """
    roles = getattr(request, "_roles_in_force", None)
    if roles is None:
        user = getattr(request, "user", None)
        roles = (
            roles_in_force_cached(user_id=user.pk)
            if user is not None and user.is_authenticated and user.is_active
            else frozenset()
        )
        request._roles_in_force = roles  # type: ignore[attr-defined]
    return roles


def roles_oversee(*, roles: frozenset[str]) -> bool:
    """Whether these roles oversee organisations (the twin of `organisations_in_scope` being non-empty:
    an organisation admin's scope holds at least their own organisation)."""
    return Membership.Role.PLATFORM_ADMIN in roles or Membership.Role.ORG_ADMIN in roles


def user_has_role(*, user: User, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user_active_memberships(user=user).filter(role=role).exists()


def user_is_pending(*, user: User) -> bool:
    """A self-registration not yet confirmed: an unapproved membership in force and no approved one.

    Pending people may read the catalogue but neither enrol nor take quizzes (issue 10).
    """
    if not user.is_authenticated:
        return False
    current = Membership.objects.active().filter(user=user)
    return current.filter(approved=False).exists() and not current.filter(approved=True).exists()


PENDING_MESSAGE = _(
    "Ihre Registrierung wartet noch auf die Bestätigung durch Ihre Organisation. Bis dahin können Sie den "
    "Katalog lesen, sich aber nicht einschreiben und keine Tests ablegen."
)


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


def organisation_within(*, organisation: Organisation, scope: Organisation) -> bool:
    """Whether an organisation lies in the scope of another (itself included); the Python twin of _scope_q."""
    if organisation.pk == scope.pk:
        return True
    prefix = scope.scope_prefix
    if not prefix:
        return False
    if organisation.ars:
        return organisation.ars.startswith(prefix)
    parent = organisation.parent
    return bool(parent is not None and parent.ars and parent.ars.startswith(prefix))


def _not_ended(on: datetime.date | None = None) -> Q:
    """Memberships in force or still to come: what a person holds now or has been promised."""
    day = on or timezone.localdate()
    return Q(valid_to__isnull=True) | Q(valid_to__gt=day)


def users_manageable_by(*, viewer: User) -> QuerySet[User]:
    """The people whose memberships a viewer may change (grant, move, end, approve, enrol).

    Seeing is not acting (issue 10, finding 1). An organisation admin acts only on people
    whose current memberships lie *wholly* in her scope, who are not platform admins and who
    administer nothing at or above her own level; nobody acts on themselves. Someone from
    outside joins only by accepting an invitation. Platform admins act on everyone but
    themselves. The per-person check :func:`user_may_manage` derives from this one query.
    """
    if not viewer.is_authenticated:
        return User.objects.none()
    if user_is_platform_admin(user=viewer):
        return User.objects.exclude(pk=viewer.pk)
    administered = organisations_administered(user=viewer)
    if not administered:
        return User.objects.none()
    scope = _scope_q(administered, field="organisation")
    current = Membership.objects.filter(_not_ended())
    # An admin of an organisation she administers herself is her peer, unless she also
    # administers something above it (a Kreis admin who also runs one of its Gemeinden).
    peers = [
        org
        for org in administered
        if not any(other.pk != org.pk and organisation_within(organisation=org, scope=other) for other in administered)
    ]
    protected = current.filter(
        Q(role=Membership.Role.PLATFORM_ADMIN)
        | Q(role=Membership.Role.ORG_ADMIN, organisation__in=[org.pk for org in peers])
    )
    outside = current.exclude(scope)
    return (
        User.objects.filter(pk__in=current.filter(scope).values("user_id"))
        .exclude(pk__in=outside.values("user_id"))
        .exclude(pk__in=protected.values("user_id"))
        .exclude(pk=viewer.pk)
    )


def user_may_manage(*, viewer: User, user: User) -> bool:
    """Whether a viewer may change this person's memberships or enrolments (see users_manageable_by)."""
    return users_manageable_by(viewer=viewer).filter(pk=user.pk).exists()


def role_grantable_by(*, viewer: User, organisation: Organisation) -> list[str]:
    """The roles a viewer may hand out in an organisation (issue 10, finding 2).

    Platform admins give every role. Trainer and reviewer unlock course editing, publishing
    and learners' results, so only platform admins give them. An organisation admin gives the
    learner role in her scope, and the admin role only below her own level (a co-admin of her
    own organisation is appointed from above, since she could not end that role again).
    """
    if user_is_platform_admin(user=viewer):
        return list(Membership.Role.values)
    administered = organisations_administered(user=viewer)
    if not any(organisation_within(organisation=organisation, scope=org) for org in administered):
        return []
    roles = [Membership.Role.LEARNER.value]
    if any(
        org.pk != organisation.pk and organisation_within(organisation=organisation, scope=org) for org in administered
    ):
        roles.append(Membership.Role.ORG_ADMIN.value)
    return roles


def invitations_open_in_scope(*, viewer: User) -> QuerySet[Invitation]:
    """Invitations not yet accepted or withdrawn for organisations in the viewer's scope, newest first."""
    return (
        Invitation.objects.open()
        .filter(organisation__in=organisations_in_scope(viewer=viewer))
        .select_related("organisation", "invited_by")
        .order_by("-sent_at", "-pk")
    )


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to (any state), or None."""
    from .services import invitation_token_hash

    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("organisation").filter(token_hash=invitation_token_hash(token)).first()


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
