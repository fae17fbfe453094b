"""Who may see which reports: one definition gives the object check and the queryset filter.

A platform admin reports on all of Germany. An organisation admin reports on the organisations
they administer and everything below them (by ARS prefix; bodies without an ARS through their
parent), never on anything beside or above. The organisations an admin administers are their
"own" organisations: their figures are shown exactly, everything below them with "< 5" for small
cells (docs/reports.md, Datenschutz).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.selectors import user_active_memberships

# An organisation's chain of parents up to its Land (Gemeinde → Gemeindeverband → Kreis → Bezirk →
# Land, one more for a body without ARS below a Gemeinde): what breadcrumbs and inherited targets read.
ANCESTRY = "parent__parent__parent__parent__parent"


def subtree_q(organisation: Organisation, *, field: str = "") -> Q:
    """Every organisation at or below `organisation` (by ARS prefix, bodies without ARS by parent)."""
    prefix = f"{field}__" if field else ""
    condition = Q(**{f"{prefix}pk": organisation.pk})
    if organisation.scope_prefix:
        condition |= Q(**{f"{prefix}ars__startswith": organisation.scope_prefix})
        # The parents as a subquery over the ARS index, not a join: a join to the parent inside the OR
        # made PostgreSQL hash all ~11,000 organisations for every subtree (7-8 ms per call).
        parents = Organisation.objects.filter(ars__startswith=organisation.scope_prefix).values("pk")
        condition |= Q(**{f"{prefix}ars__isnull": True, f"{prefix}parent__in": parents})
    return condition


def members_in_subtree_q(organisation: Organisation) -> Q:
    """A filter on memberships in the subtree, by organisation id.

    The ids come first (one query over organisations): a list lets PostgreSQL use the membership
    index by organisation, where an OR over the joined organisation and its parent would scan every
    membership in the country.
    """
    ids = list(Organisation.objects.filter(subtree_q(organisation)).values_list("pk", flat=True))
    return Q(organisation_id__in=ids)


def organisation_is_below(*, organisation: Organisation, ancestor: Organisation) -> bool:
    """True when `organisation` lies in the subtree of `ancestor` (itself included)."""
    if organisation.pk == ancestor.pk:
        return True
    if not ancestor.scope_prefix:
        return False
    key = organisation.ars or (organisation.parent.ars if organisation.parent_id else None)
    return bool(key and key.startswith(ancestor.scope_prefix))


@dataclass(frozen=True)
class ReportScope:
    """What one viewer may report on: everything (platform admin) or the subtrees of `roots`."""

    national: bool
    roots: tuple[Organisation, ...]

    @property
    def is_empty(self) -> bool:
        return not self.national and not self.roots

    def allows(self, organisation: Organisation | None) -> bool:
        """The object check: may the viewer see reports about `organisation` (None: Germany)?"""
        if self.national:
            return True
        if organisation is None:
            return False
        return any(organisation_is_below(organisation=organisation, ancestor=root) for root in self.roots)

    def organisations(self) -> QuerySet[Organisation]:
        """The queryset filter: the same rule as `allows`, for lists and forms."""
        if self.national:
            return Organisation.objects.all()
        if not self.roots:
            return Organisation.objects.none()
        condition = Q(pk__in=[])
        for root in self.roots:
            condition |= subtree_q(root)
        return Organisation.objects.filter(condition)

    def is_own(self, organisation: Organisation | None) -> bool:
        """The viewer's own level: figures there are shown exactly (Germany for platform admins)."""
        if organisation is None:
            return self.national
        return any(root.pk == organisation.pk for root in self.roots) and not self.national

    def node(self, pk: int) -> Organisation | None:
        """The organisation `pk` with its ancestors loaded if the viewer may see it, else None.

        The viewer's own organisations come with the scope (loaded with their ancestors in the same
        query), so an admin's own dashboard needs no further look-up; others cost one query.
        """
        for root in self.roots:
            if root.pk == pk:
                return root
        organisation = Organisation.objects.select_related(ANCESTRY).filter(pk=pk).first()
        if organisation is None or not self.allows(organisation):
            return None
        return organisation

    def home(self) -> Organisation | None:
        """Where the dashboard starts: Germany, or the viewer's (first) own organisation."""
        if self.national:
            return None
        return self.roots[0] if self.roots else None


def report_scope_for(*, viewer: User) -> ReportScope:
    """The viewer's scope from their admin memberships in force (one query; the administered
    organisations come with their ancestors, see `ReportScope.node`)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return ReportScope(national=False, roots=())
    memberships = list(
        user_active_memberships(user=viewer)
        .filter(role__in=[Membership.Role.PLATFORM_ADMIN, Membership.Role.ORG_ADMIN])
        .select_related(f"organisation__{ANCESTRY}")
    )
    if any(m.role == Membership.Role.PLATFORM_ADMIN for m in memberships):
        return ReportScope(national=True, roots=())
    administered = {m.organisation.pk: m.organisation for m in memberships}
    return ReportScope(
        national=False, roots=tuple(sorted(administered.values(), key=lambda org: (org.ars or "", org.pk)))
    )


# Kinds whose admins may set a target for every Gemeinde below them.
TARGET_BELOW_KINDS = (
    Organisation.Kind.LAND,
    Organisation.Kind.REGIERUNGSBEZIRK,
    Organisation.Kind.KREIS,
    Organisation.Kind.GEMEINDEVERBAND,
)


def may_set_targets(*, scope: ReportScope, organisation: Organisation) -> bool:
    """Targets are set by the organisation itself (its admins), or by platform admins.

    A Land or Kreis admin sets targets for the organisations below through an "each below" target on
    their own organisation; they never overwrite a Gemeinde's own targets.
    """
    if scope.national:
        return True
    return any(root.pk == organisation.pk for root in scope.roots)
