"""The figures of docs/reports.md as database aggregates, grouped by any ARS prefix.

Every person counts for exactly one organisation: the one of their current *placement*, i.e. their
newest approved membership in force today (platform-admin memberships aside). That makes the
figures of organisations add up along the ARS path without double counting, so a roll-up is a sum.

Two sources give the same columns:
- live: aggregates over memberships, enrolments and certificates (validity at query time);
- summary: the table `OrganisationFigures`, rebuilt from the live aggregates by Celery beat, for
  roll-ups above the Kreis (Germany, Länder, Regierungsbezirke) where a live aggregate would touch
  hundreds of thousands of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from courses.catalog.models import CoursePage, Topic
from courses.progress.models import Enrolment
from lernplattform.accounts.models import Membership, Organisation

from .models import FigureColumns, OrganisationFigures, SummaryRun
from .permissions import members_in_subtree_q, subtree_q

FIGURES = FigureColumns.FIGURES
LEVELS = (CoursePage.Level.BASIC, CoursePage.Level.ADVANCED, CoursePage.Level.EXPERT)
LEVEL_FIGURE = {
    CoursePage.Level.BASIC: "qualified_basic",
    CoursePage.Level.ADVANCED: "qualified_advanced",
    CoursePage.Level.EXPERT: "qualified_expert",
}
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS, start=1)}
EXPIRY_WARNING_DAYS = 90


@dataclass(frozen=True)
class ReportFilters:
    """What a report is about: a topic, a course, a (minimum) level, a period start."""

    topic: Topic | None = None
    course: CoursePage | None = None
    level: str = ""
    since: datetime.date | None = None
    period: str = ""

    @property
    def summary_compatible(self) -> bool:
        """The summary table holds figures per topic; course and period need a live aggregate."""
        return self.course is None and self.since is None

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.topic:
            params["thema"] = str(self.topic.pk)
        if self.course:
            params["kurs"] = str(self.course.pk)
        if self.level:
            params["niveau"] = self.level
        if self.period:
            params["zeitraum"] = self.period
        return params


def empty_figures() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


def qualified_at_least(figures: dict[str, int], level: str) -> int:
    """People whose highest valid level in the topic is `level` or above."""
    rank = LEVEL_RANK[CoursePage.Level(level)]
    return sum(figures[LEVEL_FIGURE[lvl]] for lvl in LEVELS if LEVEL_RANK[lvl] >= rank)


def placements() -> QuerySet[Membership]:
    """Each person's current placement: their newest approved membership in force today (by start
    date, then id), platform-admin memberships aside. Written as "no newer one exists": an anti-join
    through the user index, cheaper than picking the newest per row with a sorted subquery."""
    in_force = Membership.objects.active().filter(approved=True).exclude(role=Membership.Role.PLATFORM_ADMIN)
    newer = in_force.filter(user_id=OuterRef("user_id")).filter(
        Q(valid_from__gt=OuterRef("valid_from")) | Q(valid_from=OuterRef("valid_from"), pk__gt=OuterRef("pk"))
    )
    return in_force.filter(~Exists(newer))


def _course_ids(filters: ReportFilters) -> list[int] | None:
    if filters.course is not None:
        return [filters.course.pk]
    if filters.topic is None and not filters.level:
        return None
    courses = CoursePage.objects.all()
    if filters.topic is not None:
        courses = courses.filter(topic=filters.topic)
    if filters.level:
        courses = courses.filter(level=filters.level)
    return list(courses.values_list("pk", flat=True))


def enrolment_per_user_sql(*, users_sql: str, filters: ReportFilters) -> tuple[str, list]:
    """A grouped subquery with one row per person in `users_sql` (parameter-free SQL selecting user
    ids) who has a current or completed enrolment in the filtered courses, with counts:
    `enrolled` (enrolled in the period), `in_progress` (of those: active, already learning),
    `completed` (completed in the period), `overdue` (active, due date before today).

    Portable SQL (PostgreSQL and SQLite); values travel as parameters.
    """
    ops = connection.ops
    table = ops.quote_name(Enrolment._meta.db_table)
    today = ops.adapt_datefield_value(timezone.localdate())
    active, completed = str(Enrolment.Status.ACTIVE), str(Enrolment.Status.COMPLETED)
    enrolled_condition, enrolled_params = "1 = 1", []
    completed_condition, completed_params = "e.status = %s", [completed]
    if filters.since:
        since = datetime.datetime.combine(filters.since, datetime.time.min, tzinfo=timezone.get_current_timezone())
        enrolled_condition, enrolled_params = "e.enrolled_at >= %s", [ops.adapt_datetimefield_value(since)]
        completed_condition += " AND e.completed_at >= %s"
        completed_params.append(ops.adapt_datetimefield_value(since))
    where, where_params = "e.status IN (%s, %s)", [active, completed]
    course_ids = _course_ids(filters)
    if course_ids is not None:
        if course_ids:
            where += f" AND e.course_id IN ({', '.join(['%s'] * len(course_ids))})"
            where_params += course_ids
        else:
            where += " AND 1 = 0"
    sql = (
        "SELECT e.user_id AS user_id, "  # noqa: S608 - fixed text and table names; values are parameters
        f"SUM(CASE WHEN {enrolled_condition} THEN 1 ELSE 0 END) AS enrolled, "
        f"SUM(CASE WHEN {enrolled_condition} AND e.status = %s AND e.last_activity_at IS NOT NULL "
        "THEN 1 ELSE 0 END) AS in_progress, "
        f"SUM(CASE WHEN {completed_condition} THEN 1 ELSE 0 END) AS completed, "
        f"SUM(CASE WHEN {enrolled_condition} AND e.status = %s AND e.due_date < %s THEN 1 ELSE 0 END) AS overdue "
        f"FROM {table} e WHERE e.user_id IN ({users_sql}) AND {where} GROUP BY e.user_id"
    )
    params = [
        *enrolled_params,
        *enrolled_params,
        active,
        *completed_params,
        *enrolled_params,
        active,
        today,
        *where_params,
    ]
    return sql, params


def _certificate_per_user_sql(*, users_sql: str, filters: ReportFilters) -> tuple[str, list]:
    from . import certificate_source

    return certificate_source.per_user_sql(
        users_sql=users_sql, filters=filters, level_rank=LEVEL_RANK, warn_days=EXPIRY_WARNING_DAYS
    )


def _certificate_annotations(filters: ReportFilters) -> dict:
    """Per placement, as correlated subqueries (for people-list filters only): highest valid level."""
    from . import certificate_source

    return certificate_source.placement_annotations(
        filters=filters, level_rank=LEVEL_RANK, warn_days=EXPIRY_WARNING_DAYS
    )


# One row per key: people (placements), then per person their enrolment and certificate aggregates
# (grouped joins, each person's rows read once through the user index), counted per key.
LIVE_COUNTS = (
    "COUNT(*)",
    "SUM(CASE WHEN e.enrolled > 0 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN e.in_progress > 0 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN e.completed > 0 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN e.overdue > 0 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN c.level_rank = 1 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN c.level_rank = 2 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN c.level_rank = 3 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN c.expiring = 1 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN c.expired = 1 AND c.level_rank = 0 THEN 1 ELSE 0 END)",
)
# The live query returns the summary table's figures, in its order.
LIVE_NAMES = OrganisationFigures.FIGURES


def _key_expression(length: int | None):
    if length is None:
        return F("organisation_id")
    return Substr(Coalesce(F("organisation__ars"), F("organisation__parent__ars")), 1, length)


def live_figures(
    *, scope: Q, filters: ReportFilters, prefix_length: int | None = None, grouped: bool = True
) -> dict[object, dict[str, int]]:
    """Live figures for the placements in `scope` (a filter on Membership), grouped by ARS prefix.

    `prefix_length=None` groups by organisation id; `grouped=False` gives one total under key None.
    One query: the placements (Django's SQL, as a CTE) joined to one grouped enrolment row and one
    grouped certificate row per person.
    """
    people = placements().filter(scope)
    if grouped:
        people = people.annotate(key=_key_expression(prefix_length))
    else:
        people = people.annotate(key=Value(None, output_field=IntegerField()))
    people_sql, people_params = people.values("user_id", "key").order_by().query.sql_with_params()
    enrolment_sql, enrolment_params = enrolment_per_user_sql(users_sql="SELECT p.user_id FROM p", filters=filters)
    certificate_sql, certificate_params = _certificate_per_user_sql(
        users_sql="SELECT p.user_id FROM p", filters=filters
    )
    # The inner SQL is Django's own and the subqueries' fixed text; every value is a parameter.
    sql = (
        f'WITH p (user_id, "key") AS ({people_sql}) '  # noqa: S608 - fixed text and table names; values are parameters
        f'SELECT p."key", {", ".join(LIVE_COUNTS)} FROM p '
        f"LEFT JOIN ({enrolment_sql}) e ON e.user_id = p.user_id "
        f"LEFT JOIN ({certificate_sql}) c ON c.user_id = p.user_id "
        'GROUP BY p."key"'
    )
    result: dict[object, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*people_params, *enrolment_params, *certificate_params])
        for row in cursor.fetchall():
            result[row[0]] = {name: int(value or 0) for name, value in zip(LIVE_NAMES, row[1:], strict=True)}
    return result


def summary_figures(
    *, ars_prefix: str | None, filters: ReportFilters, prefix_length: int | None = None, grouped: bool = True
) -> dict[object, dict[str, int]]:
    """The same figures from the summary table (one query)."""
    rows = (
        OrganisationFigures.objects.filter(topic=filters.topic)
        if filters.topic
        else OrganisationFigures.objects.filter(topic__isnull=True)
    )
    if ars_prefix:
        rows = rows.filter(ars__startswith=ars_prefix)
    if grouped:
        key = F("organisation_id") if prefix_length is None else Substr(F("ars"), 1, prefix_length)
    else:
        key = Value(None, output_field=IntegerField())
    result = {}
    for row in rows.annotate(key=key).values("key").annotate(**{name: Sum(name) for name in FIGURES}).order_by():
        result[row["key"]] = {name: row[name] or 0 for name in FIGURES}
    return result


def summary_stand(*, topic: Topic | None = None) -> datetime.datetime | None:
    """When the summary rows of a topic (or across topics) were computed (None: never)."""
    rows = (
        OrganisationFigures.objects.filter(topic=topic)
        if topic
        else OrganisationFigures.objects.filter(topic__isnull=True)
    )
    stand = rows.aggregate(stand=Max("computed_at"))["stand"]
    if stand is None:
        stand = SummaryRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    return stand


@dataclass
class Headcount:
    total: int = 0
    missing: int = 0
    organisations: int = 0

    @property
    def complete(self) -> bool:
        return self.organisations > 0 and self.missing == 0


def headcounts(*, organisations: QuerySet[Organisation], prefix_length: int | None, grouped: bool = True) -> dict:
    """Staff headcount summed per ARS prefix, with how many organisations have none entered."""
    if grouped:
        key = F("pk") if prefix_length is None else Substr(Coalesce(F("ars"), F("parent__ars")), 1, prefix_length)
    else:
        key = Value(None, output_field=IntegerField())
    result: dict[object, Headcount] = {}
    for row in (
        organisations.annotate(key=key)
        .values("key")
        .annotate(total=Sum("headcount"), missing=Count("pk", filter=Q(headcount__isnull=True)), n=Count("pk"))
        .order_by()
    ):
        result[row["key"]] = Headcount(total=row["total"] or 0, missing=row["missing"], organisations=row["n"])
    return result


@dataclass
class NodeFigures:
    """The figures of one node (Germany or an organisation's subtree) and of each of its children."""

    total: dict[str, int]
    total_headcount: Headcount
    children: list[tuple[Organisation, dict[str, int], Headcount]] = field(default_factory=list)
    own: dict[str, int] | None = None  # the node's own staff (not in any child)
    own_headcount: Headcount | None = None
    source: str = "live"
    stand: datetime.datetime | None = None


def _add(into: dict[str, int], figures: dict[str, int]) -> None:
    for name in FIGURES:
        into[name] += figures.get(name, 0)


def _child_key_length(child: Organisation) -> int | None:
    if not child.ars:
        return None
    return Organisation.SCOPE_DIGITS[Organisation.Kind(child.kind)]


def _with_has_children(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.annotate(has_children=Exists(Organisation.objects.filter(parent_id=OuterRef("pk"))))


def node_children(*, organisation: Organisation | None) -> list[Organisation]:
    """The next level down: the Länder for Germany, else the organisations whose parent this is."""
    children = _with_has_children(Organisation.objects.all()).order_by("ars", "name")
    if organisation is None:
        return list(children.filter(parent__isnull=True))
    return list(children.filter(parent=organisation))


def live_subtree(organisation: Organisation) -> list[Organisation] | None:
    """The organisations of a live node's subtree (itself included), each with `has_children`, in one
    query: what `node_figures_and_children` needs for keys, headcounts and the rows of the children.
    None for a body without ARS (its children lie outside `subtree_q`).

    A body without ARS is in the subtree through its parent's ARS, so that parent is in the list
    too: no join to the parents is needed."""
    if not organisation.scope_prefix:
        return None
    return list(_with_has_children(Organisation.objects.filter(subtree_q(organisation))))


def node_figures_and_children(
    *, organisation: Organisation | None, filters: ReportFilters
) -> tuple[NodeFigures, list[Organisation]]:
    """The node's figures and its children. A live node (Kreis and below) reads its subtree once and
    takes the children from it (one query fewer than `node_children` + `node_figures`)."""
    if organisation is not None and not use_summary(organisation=organisation, filters=filters):
        subtree = live_subtree(organisation)
        if subtree is not None:
            children = sorted(
                (org for org in subtree if org.parent_id == organisation.pk), key=lambda org: (org.ars or "~", org.name)
            )
            node = _node_figures_live(organisation=organisation, filters=filters, children=children, subtree=subtree)
            return node, children
    children = node_children(organisation=organisation)
    return node_figures(organisation=organisation, filters=filters, children=children), children


def use_summary(*, organisation: Organisation | None, filters: ReportFilters) -> bool:
    """Germany, Länder and Regierungsbezirke come from the summary table when the filters allow."""
    if not filters.summary_compatible:
        return False
    if organisation is None:
        return True
    return organisation.kind in (Organisation.Kind.LAND, Organisation.Kind.REGIERUNGSBEZIRK)


def node_figures(
    *, organisation: Organisation | None, filters: ReportFilters, children: Iterable[Organisation]
) -> NodeFigures:
    """Figures of a node and its children: a bounded number of grouped aggregates, never a row loop.

    One grouped query per distinct prefix length among the children (usually one), one for children
    without an ARS, one total; the node's own staff are the total minus the children.
    """
    children = list(children)
    # A body without an ARS is never read from the summary (its rows there carry the parent's ARS).
    summary = use_summary(organisation=organisation, filters=filters) and (
        organisation is None or bool(organisation.scope_prefix)
    )
    if not summary and organisation is not None:
        return _node_figures_live(organisation=organisation, filters=filters, children=children)
    if organisation is None:
        org_scope = Organisation.objects.all()
        member_scope = Q()
        ars_prefix = None
    else:
        org_scope = Organisation.objects.filter(subtree_q(organisation))
        member_scope = members_in_subtree_q(organisation) if not summary else Q()
        ars_prefix = organisation.scope_prefix

    def fetch(length: int | None, grouped: bool, extra: Q | None = None) -> dict:
        if summary:
            return summary_figures(ars_prefix=ars_prefix, filters=filters, prefix_length=length, grouped=grouped)
        scope = member_scope & extra if extra is not None else member_scope
        return live_figures(scope=scope, filters=filters, prefix_length=length, grouped=grouped)

    by_length: dict[int | None, list[Organisation]] = {}
    for child in children:
        by_length.setdefault(_child_key_length(child), []).append(child)
    rows: list[tuple[Organisation, dict[str, int], Headcount]] = []
    total: dict[str, int] | None = None
    total_headcount: Headcount | None = None
    for length, group in by_length.items():
        if length is None:
            ids = [child.pk for child in group]
            if summary:
                figures = {
                    k: v
                    for k, v in summary_figures(ars_prefix=ars_prefix, filters=filters, prefix_length=None).items()
                    if k in ids
                }
            else:
                figures = live_figures(
                    scope=member_scope & Q(organisation_id__in=ids), filters=filters, prefix_length=None
                )
            heads = headcounts(organisations=org_scope.filter(pk__in=ids), prefix_length=None)
            for child in group:
                rows.append((child, figures.get(child.pk, empty_figures()), heads.get(child.pk, Headcount())))
        else:
            figures = fetch(length, grouped=True)
            heads = headcounts(organisations=org_scope, prefix_length=length)
            if len(by_length) == 1:
                # The groups partition the node's rows: their sums are the node's total (no extra query).
                total = empty_figures()
                for values in figures.values():
                    _add(total, values)
                total_headcount = Headcount(
                    total=sum(h.total for h in heads.values()),
                    missing=sum(h.missing for h in heads.values()),
                    organisations=sum(h.organisations for h in heads.values()),
                )
            for child in group:
                key = child.ars[:length]
                rows.append((child, figures.get(key, empty_figures()), heads.get(key, Headcount())))
    rows.sort(key=lambda row: (row[0].ars or "~", row[0].name))
    if total is None or total_headcount is None:
        total = fetch(None, grouped=False).get(None, empty_figures())
        total_headcount = headcounts(organisations=org_scope, prefix_length=None, grouped=False).get(None, Headcount())

    own = dict(total)
    for _child, figures, _heads in rows:
        for name in FIGURES:
            own[name] -= figures[name]
    own_headcount = None
    if organisation is not None:
        own_headcount = Headcount(
            total=organisation.headcount or 0, missing=0 if organisation.headcount is not None else 1, organisations=1
        )
    return NodeFigures(
        total=total,
        total_headcount=total_headcount,
        children=rows,
        own=own if organisation is not None else None,
        own_headcount=own_headcount,
        source="summary" if summary else "live",
        stand=summary_stand(topic=filters.topic) if summary else None,
    )


def _node_figures_live(
    *,
    organisation: Organisation,
    filters: ReportFilters,
    children: list[Organisation],
    subtree: list[Organisation] | None = None,
) -> NodeFigures:
    """Kreis and below, live: one query for the subtree's organisations (keys and headcounts; none if
    the caller has `subtree` already), one for the figures per organisation; the roll-up to the
    children sums those per-organisation rows by ARS prefix (a few hundred rows at most)."""
    if subtree is not None:
        ars_by_pk = {org.pk: org.ars for org in subtree}
        orgs = [(org.pk, org.ars, ars_by_pk.get(org.parent_id), org.headcount) for org in subtree]
    else:
        orgs = list(
            Organisation.objects.filter(subtree_q(organisation)).values_list("pk", "ars", "parent__ars", "headcount")
        )
    per_org = live_figures(
        scope=Q(organisation_id__in=[pk for pk, *_rest in orgs]), filters=filters, prefix_length=None
    )
    by_pk = {child.pk: child for child in children}
    by_prefix: dict[int, dict[str, Organisation]] = {}
    for child in children:
        length = _child_key_length(child)
        if length is not None:
            by_prefix.setdefault(length, {})[child.ars[:length]] = child
    lengths = sorted(by_prefix, reverse=True)
    sums = {child.pk: empty_figures() for child in children}
    heads = {child.pk: Headcount() for child in children}
    total, total_heads = empty_figures(), Headcount()
    for pk, ars, parent_ars, headcount in orgs:
        figures = per_org.get(pk, empty_figures())
        target = by_pk.get(pk)
        key = ars or parent_ars or ""
        if target is None and pk != organisation.pk:
            target = next((by_prefix[n][key[:n]] for n in lengths if key[:n] in by_prefix[n]), None)
        _add(total, figures)
        for bucket in [total_heads] + ([heads[target.pk]] if target is not None else []):
            bucket.organisations += 1
            bucket.total += headcount or 0
            bucket.missing += headcount is None
        if target is not None:
            _add(sums[target.pk], figures)
    rows = [(child, sums[child.pk], heads[child.pk]) for child in children]
    rows.sort(key=lambda row: (row[0].ars or "~", row[0].name))
    own = dict(total)
    for _child, figures, _heads in rows:
        for name in FIGURES:
            own[name] -= figures[name]
    return NodeFigures(
        total=total,
        total_headcount=total_heads,
        children=rows,
        own=own,
        own_headcount=Headcount(
            total=organisation.headcount or 0, missing=0 if organisation.headcount is not None else 1, organisations=1
        ),
        source="live",
    )


def organisation_figures_rebuild(*, topics: list[Topic | None] | None = None) -> int:
    """Rebuild summary rows from live aggregates: for the given topics (None in the list: across all
    topics), by default for all of them.

    Runs inside the caller's transaction, so readers see a topic's old or new rows, never half of
    each. The beat task rebuilds one topic per task (each well inside the Celery time limit).
    Returns the number of rows written.
    """
    now = timezone.now()
    keys = dict(Organisation.objects.annotate(key=Coalesce(F("ars"), F("parent__ars"))).values_list("pk", "key"))
    if topics is None:
        topics = [None, *Topic.objects.all()]
    written = 0
    for topic in topics:
        rows: list[OrganisationFigures] = []
        figures = live_figures(scope=Q(), filters=ReportFilters(topic=topic), prefix_length=None)
        for organisation_id, values in figures.items():
            if not any(values.values()):
                continue
            rows.append(
                OrganisationFigures(
                    organisation_id=organisation_id,
                    ars=keys.get(organisation_id) or "",
                    topic=topic,
                    computed_at=now,
                    **values,
                )
            )
        old = (
            OrganisationFigures.objects.filter(topic=topic)
            if topic
            else OrganisationFigures.objects.filter(topic__isnull=True)
        )
        old.delete()
        OrganisationFigures.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    SummaryRun.objects.create(finished_at=timezone.now(), started_at=now, rows=written)
    return written
