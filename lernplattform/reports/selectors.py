"""Reads for reports: a node's dashboard (figures, children, targets, trend), people lists, logs.

Privacy (docs/reports.md): figures of the viewer's own organisation are exact; figures of anything
below it show "< 5" for 1 to 4 people, and a total that would let the reader work a suppressed cell
out is not shown either. People lists never contain quiz scores or attempts.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage, Topic
from courses.progress.models import CourseCompletion, Enrolment
from lernplattform.accounts.models import Membership, Organisation, User

from . import figures as F_
from .figures import FIGURES, Headcount, ReportFilters, qualified_at_least
from .models import AccessLogEntry, MonthlySnapshot, QualificationTarget, ReportExport
from .permissions import ANCESTRY, ReportScope, members_in_subtree_q, subtree_q

SMALL_CELL_LIMIT = 5
GEMEINDE_KINDS = (Organisation.Kind.GEMEINDE, Organisation.Kind.KREISFREIE_STADT)


@dataclass
class Cell:
    """A count as a report shows it: exact, "< 5", or withheld because it would reveal a small cell."""

    value: int | None
    small: bool = False
    withheld: bool = False

    @property
    def shown(self) -> bool:
        return not self.small and not self.withheld

    def __str__(self) -> str:
        if self.small:
            return "< 5"
        if self.withheld:
            return _("nicht ausgewiesen")
        return f"{self.value:n}" if self.value is not None else "–"

    def export_value(self) -> int | str:
        return self.value if self.shown and self.value is not None else str(self)


def _cells(values: dict[str, int], *, exact: bool) -> dict[str, Cell]:
    return {
        name: Cell(value=value, small=not exact and 0 < value < SMALL_CELL_LIMIT)
        for name, value in values.items()
        if name in FIGURES
    }


def _withhold_revealing_total(total: dict[str, Cell], rows: list[dict[str, Cell]]) -> None:
    """Secondary suppression: a total from which a "< 5" cell could be worked out is withheld.

    With k suppressed cells and S = total − visible cells, a cell is revealed when k == 1, or when
    S == k (all are 1) or S == 4k (all are 4).
    """
    for name, cell in total.items():
        if not cell.shown or cell.value is None:
            continue
        hidden = [row[name] for row in rows if not row[name].shown]
        if not hidden:
            continue
        rest = cell.value - sum(row[name].value or 0 for row in rows if row[name].shown)
        k = len(hidden)
        if k == 1 or rest in (k, 4 * k):
            cell.withheld = True


@dataclass
class Quota:
    """Qualified people as a share of the staff headcount, or why there is none."""

    percent: float | None
    reason: str = ""

    def __str__(self) -> str:
        if self.percent is None:
            return self.reason
        return f"{self.percent:.1f} %".replace(".", ",")


def _quota(qualified: Cell, headcount: Headcount) -> Quota:
    if not headcount.complete:
        if headcount.organisations > 1 and headcount.missing:
            return Quota(
                None,
                _("Beschäftigtenzahl fehlt (bei %(n)s von %(m)s Organisationen)")
                % {"n": headcount.missing, "m": headcount.organisations},
            )
        return Quota(None, _("Beschäftigtenzahl fehlt"))
    if not qualified.shown:
        return Quota(None, str(qualified))
    if headcount.total == 0:
        return Quota(None, _("Beschäftigtenzahl ist 0"))
    return Quota(100.0 * (qualified.value or 0) / headcount.total)


@dataclass
class ReportRow:
    label: str
    organisation: Organisation | None
    cells: dict[str, Cell]
    headcount: Headcount
    quota: Quota | None = None
    qualified: Cell | None = None
    is_own_staff: bool = False
    has_children: bool = False


@dataclass
class TargetStatus:
    """One target as a report shows it: what is needed, what is there, the gap, the trend."""

    target: QualificationTarget
    required: int | None
    actual: Cell
    gap: Cell | None
    met: bool | None
    reason: str = ""
    trend: list[tuple[datetime.date, int | None]] = field(default_factory=list)
    # For "each Gemeinde below" targets seen from above: how many Gemeinden meet it.
    organisations_met: int | None = None
    organisations_total: int | None = None
    inherited: bool = False


@dataclass
class NodeReport:
    organisation: Organisation | None
    label: str
    filters: ReportFilters
    breadcrumb: list[tuple[str, Organisation | None, bool]]
    total: ReportRow
    rows: list[ReportRow]
    source: str
    stand: datetime.datetime | None
    own: bool
    targets: list[TargetStatus]
    trend: list[tuple[datetime.date, dict[str, Cell]]]
    trend_points: list[tuple[datetime.date, int | None]]
    level_columns: list[tuple[str, str]]

    @property
    def qualified_label(self) -> str:
        level = self.filters.level or CoursePage.Level.BASIC
        return _("mind. %(level)s") % {"level": CoursePage.Level(level).label}


def node_label(organisation: Organisation | None) -> str:
    return _("Deutschland") if organisation is None else organisation.name


def with_ancestors(organisation: Organisation) -> Organisation:
    """The organisation with its chain of parents loaded (one query, none if already loaded)."""
    current = organisation
    for _level in range(ANCESTRY.count("parent") + 1):
        if current.parent_id is None:
            return organisation
        if not Organisation._meta.get_field("parent").is_cached(current):
            break
        current = current.parent
    return Organisation.objects.select_related(ANCESTRY).get(pk=organisation.pk)


def _chain(organisation: Organisation) -> list[Organisation]:
    """The ARS path from the top (a Land) down to the organisation."""
    chain: list[Organisation] = []
    current: Organisation | None = with_ancestors(organisation)
    while current is not None:
        chain.append(current)
        current = current.parent
    chain.reverse()
    return chain


def breadcrumb(*, organisation: Organisation | None, scope: ReportScope) -> list[tuple[str, Organisation | None, bool]]:
    """The ARS path from Germany (platform admins) or the viewer's own organisation down to here.

    Each entry: label, organisation (None: Germany), whether the viewer may open it.
    """
    chain = _chain(organisation) if organisation is not None else []
    crumbs: list[tuple[str, Organisation | None, bool]] = []
    if scope.national:
        crumbs.append((_("Deutschland"), None, True))
    for org in chain:
        allowed = scope.allows(org)
        if allowed or scope.national:
            crumbs.append((f"{org.name} ({org.ars or org.get_kind_display()})", org, allowed))
    return crumbs


def _level_columns(filters: ReportFilters) -> list[tuple[str, str]]:
    levels = F_.LEVELS
    if filters.level:
        rank = F_.LEVEL_RANK[CoursePage.Level(filters.level)]
        levels = tuple(level for level in F_.LEVELS if F_.LEVEL_RANK[level] >= rank)
    return [(F_.LEVEL_FIGURE[level], CoursePage.Level(level).label) for level in levels]


def node_report(*, scope: ReportScope, organisation: Organisation | None, filters: ReportFilters) -> NodeReport:
    """Everything a dashboard shows for one node, with privacy rules applied."""
    node, _children = F_.node_figures_and_children(organisation=organisation, filters=filters)
    own_level = scope.is_own(organisation)
    level = filters.level or CoursePage.Level.BASIC

    rows: list[ReportRow] = []
    if node.own is not None and (any(node.own.values()) or organisation.headcount):
        rows.append(
            ReportRow(
                label=_("%(name)s selbst (eigene Beschäftigte)") % {"name": organisation.name},
                organisation=organisation,
                cells=_cells(node.own, exact=own_level),
                headcount=node.own_headcount or Headcount(),
                is_own_staff=True,
            )
        )
    for child, values, heads in node.children:
        rows.append(
            ReportRow(
                label=child.name,
                organisation=child,
                cells=_cells(values, exact=scope.is_own(child)),
                headcount=heads,
                has_children=getattr(child, "has_children", False),
            )
        )
    total = ReportRow(
        label=_("Insgesamt"),
        organisation=organisation,
        cells=_cells(node.total, exact=own_level),
        headcount=node.total_headcount,
    )
    _withhold_revealing_total(total.cells, [row.cells for row in rows])
    for row in [total, *rows]:
        row.qualified = _qualified_cell(row.cells, level)
        row.quota = _quota(row.qualified, row.headcount)

    targets = targets_status(scope=scope, organisation=organisation) if organisation else []
    trend_rows = []
    for month, values in trend(organisation=organisation, topic=filters.topic):
        cells = _cells(values, exact=own_level)
        cells["qualified"] = _qualified_cell(cells, level)
        trend_rows.append((month, cells))
    return NodeReport(
        organisation=organisation,
        label=node_label(organisation),
        filters=filters,
        breadcrumb=breadcrumb(organisation=organisation, scope=scope),
        total=total,
        rows=rows,
        source=node.source,
        stand=node.stand,
        own=own_level,
        targets=targets,
        trend=trend_rows,
        trend_points=[
            (month, cells["qualified"].value if cells["qualified"].shown else None) for month, cells in trend_rows
        ],
        level_columns=_level_columns(filters),
    )


def _qualified_cell(cells: dict[str, Cell], level: str) -> Cell:
    """People at `level` or above: "< 5" / withheld when any part is."""
    parts = [
        cells[F_.LEVEL_FIGURE[lvl]] for lvl in F_.LEVELS if F_.LEVEL_RANK[lvl] >= F_.LEVEL_RANK[CoursePage.Level(level)]
    ]
    value = sum(p.value or 0 for p in parts)
    if all(p.shown for p in parts):
        return Cell(value=value)
    if any(p.withheld for p in parts):
        return Cell(value=value, withheld=True)
    # Some parts are "< 5": the sum is small itself, or withheld, or it would reveal them.
    if value < SMALL_CELL_LIMIT:
        return Cell(value=value, small=True)
    return Cell(value=value, withheld=True)


def _ancestors(organisation: Organisation) -> list[Organisation]:
    """The organisations above, nearest first."""
    return list(reversed(_chain(organisation)[:-1]))


def targets_for(*, organisation: Organisation) -> tuple[list[QualificationTarget], list[QualificationTarget]]:
    """The organisation's own targets, and the "each Gemeinde below" targets set above it that apply
    (one query)."""
    condition = Q(organisation=organisation)
    if organisation.kind in GEMEINDE_KINDS:
        ancestor_ids = [org.pk for org in _ancestors(organisation)]
        condition |= Q(organisation_id__in=ancestor_ids, applies_to=QualificationTarget.AppliesTo.EACH_BELOW)
    own: list[QualificationTarget] = []
    inherited: list[QualificationTarget] = []
    for target in QualificationTarget.objects.filter(condition).select_related("topic", "organisation", "created_by"):
        (own if target.organisation_id == organisation.pk else inherited).append(target)
    return own, inherited


def _required(target: QualificationTarget, headcount: Headcount) -> tuple[int | None, str]:
    if target.kind == QualificationTarget.Kind.COUNT:
        return target.value, ""
    if not headcount.complete:
        return None, _("Beschäftigtenzahl fehlt")
    return math.ceil(target.value * headcount.total / 100), ""


def _target_status(
    target: QualificationTarget, *, organisation: Organisation, exact: bool, inherited: bool
) -> TargetStatus:
    filters = ReportFilters(topic=target.topic)
    if F_.use_summary(organisation=organisation, filters=filters):
        found = F_.summary_figures(ars_prefix=organisation.scope_prefix, filters=filters, grouped=False)
    else:
        found = F_.live_figures(scope=members_in_subtree_q(organisation), filters=filters, grouped=False)
    values = found.get(None, F_.empty_figures())
    actual_value = qualified_at_least(values, target.level)
    actual = Cell(value=actual_value, small=not exact and 0 < actual_value < SMALL_CELL_LIMIT)
    heads = F_.headcounts(
        organisations=Organisation.objects.filter(subtree_q(organisation)), prefix_length=None, grouped=False
    ).get(None, Headcount())
    required, reason = _required(target, heads)
    gap = met = None
    if required is not None:
        met = actual_value >= required
        gap_value = max(0, required - actual_value)
        # The gap reveals the actual figure when that is "< 5".
        gap = Cell(value=gap_value, withheld=not actual.shown)
    series = [
        (month, qualified_at_least(figs, target.level))
        for month, figs in trend(organisation=organisation, topic=target.topic)
    ]
    if not exact:
        series = [
            (month, None if value is not None and 0 < value < SMALL_CELL_LIMIT else value) for month, value in series
        ]
    return TargetStatus(
        target=target,
        required=required,
        actual=actual,
        gap=gap,
        met=met,
        reason=reason,
        trend=series,
        inherited=inherited,
    )


def _below_status(target: QualificationTarget, *, organisation: Organisation) -> TargetStatus:
    """An "each Gemeinde below" target seen from the organisation that set it: how many meet it."""
    filters = ReportFilters(topic=target.topic)
    gemeinden = Organisation.objects.filter(subtree_q(organisation), kind__in=GEMEINDE_KINDS).exclude(
        pk=organisation.pk
    )
    ids = list(gemeinden.values_list("pk", flat=True))
    if F_.use_summary(organisation=organisation, filters=filters):
        per_org = F_.summary_figures(ars_prefix=organisation.scope_prefix, filters=filters, prefix_length=None)
    else:
        per_org = F_.live_figures(
            scope=Q(organisation_id__in=ids),
            filters=filters,
            prefix_length=None,
        )
    heads = F_.headcounts(organisations=gemeinden, prefix_length=None)
    met = 0
    gap_total = 0
    unknown = 0
    for org_id in ids:
        actual = qualified_at_least(per_org.get(org_id, F_.empty_figures()), target.level)
        required, _reason = _required(target, heads.get(org_id, Headcount()))
        if required is None:
            unknown += 1
            continue
        if actual >= required:
            met += 1
        gap_total += max(0, required - actual)
    return TargetStatus(
        target=target,
        required=None,
        actual=Cell(value=met),
        gap=Cell(value=gap_total),
        met=bool(ids) and met == len(ids),
        reason=(_("Beschäftigtenzahl fehlt bei %(n)s Gemeinden") % {"n": unknown}) if unknown else "",
        organisations_met=met,
        organisations_total=len(ids),
    )


def targets_status(*, scope: ReportScope, organisation: Organisation) -> list[TargetStatus]:
    own, inherited = targets_for(organisation=organisation)
    exact = scope.is_own(organisation)
    result = []
    for target in own:
        if target.applies_to == QualificationTarget.AppliesTo.EACH_BELOW:
            result.append(_below_status(target, organisation=organisation))
        else:
            result.append(_target_status(target, organisation=organisation, exact=exact, inherited=False))
    for target in inherited:
        result.append(_target_status(target, organisation=organisation, exact=exact, inherited=True))
    return result


# Summed over a Land or all of Germany, twelve months of snapshots are some 100,000–200,000 rows
# (~100 ms on the generated data); snapshots never change once a month is written, so these sums are
# cached under the newest month present (one index look-up finds it): exact, never stale. The hour
# only bounds what a backfill of older months (scale.snapshot_history) could leave in the cache.
TREND_CACHE_SECONDS = 3600
TREND_CACHED_KINDS = (Organisation.Kind.LAND, Organisation.Kind.REGIERUNGSBEZIRK)


def trend(
    *, organisation: Organisation | None, topic: Topic | None, months: int = 12
) -> list[tuple[datetime.date, dict[str, int]]]:
    """Monthly snapshots of the last `months` months (this one included) summed over the node (one
    query; for Germany, a Land or a Regierungsbezirk from the cache while no newer month exists),
    oldest first."""
    this_month = timezone.localdate().replace(day=1)
    back = this_month.year * 12 + this_month.month - 1 - (months - 1)
    start = datetime.date(back // 12, back % 12 + 1, 1)
    if organisation is not None and (organisation.kind not in TREND_CACHED_KINDS or not organisation.scope_prefix):
        return _trend_sums(organisation=organisation, topic=topic, start=start)
    newest = MonthlySnapshot.objects.aggregate(newest=Max("month"))["newest"]
    if newest is None:
        return []
    node = organisation.scope_prefix if organisation is not None else "de"
    key = f"reports:trend:{node}:{topic.pk if topic else 'all'}:{start:%Y%m}:{newest:%Y%m}"
    found = cache.get(key)
    if found is None:
        found = _trend_sums(organisation=organisation, topic=topic, start=start)
        cache.set(key, found, TREND_CACHE_SECONDS)
    return found


def _trend_sums(
    *, organisation: Organisation | None, topic: Topic | None, start: datetime.date
) -> list[tuple[datetime.date, dict[str, int]]]:
    rows = MonthlySnapshot.objects.filter(month__gte=start)
    rows = rows.filter(topic=topic) if topic else rows.filter(topic__isnull=True)
    if organisation is not None:
        if organisation.scope_prefix:
            rows = rows.filter(ars__startswith=organisation.scope_prefix)
        else:
            rows = rows.filter(organisation=organisation)
    return [
        (row["month"], {name: row[name] or 0 for name in FIGURES})
        for row in rows.values("month").annotate(**{name: Sum(name) for name in FIGURES}).order_by("month")
    ]


# People lists ---------------------------------------------------------------------------------

PEOPLE_SORTS = {
    "name": ("user__full_name", "user__email"),
    "-name": ("-user__full_name", "-user__email"),
    "organisation": ("organisation__name", "user__full_name"),
    "-organisation": ("-organisation__name", "user__full_name"),
    "overdue": ("-sort_overdue", "user__full_name"),
    "enrolled": ("-sort_enrolled", "user__full_name"),
}


@dataclass(frozen=True)
class PeopleQuery:
    query: str = ""
    organisation: Organisation | None = None
    status: str = ""  # "", enrolled, in_progress, overdue, completed, none
    qualification: str = ""  # "", keine, or a level: the highest valid level in the topic filter
    sort: str = "name"


PEOPLE_STATUSES = ("enrolled", "in_progress", "overdue", "completed", "none")


def people_query_from_params(params) -> PeopleQuery:
    """A people query from GET parameters (or an export's stored ones); unknown values are dropped."""
    status = params.get("status", "")
    qualification = params.get("qualifikation", "")
    sort = params.get("sortierung", "name")
    return PeopleQuery(
        query=(params.get("suche") or "").strip()[:100],
        status=status if status in PEOPLE_STATUSES else "",
        qualification=qualification if qualification in ["keine", *CoursePage.Level.values] else "",
        sort=sort if sort in PEOPLE_SORTS else "name",
    )


def people_in_scope(
    *, scope: ReportScope, organisation: Organisation | None, filters: ReportFilters, people: PeopleQuery
) -> QuerySet[Membership]:
    """Placements (person + organisation) within the viewer's scope and the node, filtered and sorted.

    The figures shown per person (enrolments, in progress, overdue, completed in the filtered
    courses, the highest valid level) come per page or export block from `people_figures_attach`:
    one grouped query for all rows of the block, not subqueries per row. Only a status or level
    filter, or a sort by a count, puts a per-row expression into this query. Never scores or attempts.
    """
    rows = F_.placements().select_related("user", "organisation")
    if organisation is not None and scope.allows(organisation):
        rows = rows.filter(members_in_subtree_q(organisation))
    elif not scope.national:
        allowed = Q(pk__in=[])
        for root in scope.roots:
            allowed |= members_in_subtree_q(root)
        rows = rows.filter(allowed)
    if people.organisation is not None:
        rows = rows.filter(members_in_subtree_q(people.organisation))
    if people.query:
        rows = rows.filter(Q(user__full_name__icontains=people.query) | Q(user__email__icontains=people.query))

    enrolments = Enrolment.objects.filter(
        user_id=OuterRef("user_id"), status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]
    )
    course_ids = F_._course_ids(filters)
    if course_ids is not None:
        enrolments = enrolments.filter(course_id__in=course_ids)
    enrolled = enrolments
    completed = enrolments.filter(status=Enrolment.Status.COMPLETED)
    if filters.since:
        since = datetime.datetime.combine(filters.since, datetime.time.min, tzinfo=timezone.get_current_timezone())
        enrolled = enrolled.filter(enrolled_at__gte=since)
        completed = completed.filter(completed_at__gte=since)
    active = enrolled.filter(status=Enrolment.Status.ACTIVE)
    overdue = active.filter(due_date__lt=timezone.localdate())

    if people.status == "enrolled":
        rows = rows.filter(Exists(enrolled))
    elif people.status == "in_progress":
        rows = rows.filter(Exists(active.filter(last_activity_at__isnull=False)))
    elif people.status == "overdue":
        rows = rows.filter(Exists(overdue))
    elif people.status == "completed":
        rows = rows.filter(Exists(completed))
    elif people.status == "none":
        rows = rows.filter(~Exists(enrolled))
    if people.qualification:
        rank = F_._certificate_annotations(filters)["level_rank"]
        wanted = 0 if people.qualification == "keine" else F_.LEVEL_RANK[CoursePage.Level(people.qualification)]
        rows = rows.alias(level_rank_filter=rank).filter(level_rank_filter=wanted)

    def count(qs):
        return Coalesce(
            Subquery(
                qs.order_by().values("user_id").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
            ),
            Value(0),
        )

    if people.sort == "overdue":
        rows = rows.alias(sort_overdue=count(overdue))
    elif people.sort == "enrolled":
        rows = rows.alias(sort_enrolled=count(enrolled))
    return rows.order_by(*PEOPLE_SORTS.get(people.sort, PEOPLE_SORTS["name"]), "pk")


def people_page(rows: QuerySet[Membership], *, number, per_page: int = 50) -> Page:
    """One page of a people list and the list's length from one query: the page's rows carry a window
    count over the whole filtered list. Only an empty list, or a page number past its end, takes
    Django's paginator (which counts first and then shows the last page)."""
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    paginator = Paginator(rows, per_page)
    start = (wanted - 1) * per_page
    found = list(rows.annotate(list_total=Window(Count("pk")))[start : start + per_page])
    if not found:
        return paginator.get_page(wanted)
    paginator.count = found[0].list_total  # what the paginator's own COUNT query would give
    return Page(found, wanted, paginator)


@dataclass
class PersonFigures:
    """What a people list shows of one person: counts in the filtered courses and the highest level."""

    current_count: int = 0
    in_progress_count: int = 0
    overdue_count: int = 0
    completed_count: int = 0
    level_rank: int = 0


def people_figures(*, user_ids: list[int], filters: ReportFilters) -> dict[int, PersonFigures]:
    """The people-list figures of a block of persons: one query (two grouped joins), any block size."""
    if not user_ids:
        return {}
    enrolment_sql, enrolment_params = F_.enrolment_per_user_sql(users_sql="SELECT b.user_id FROM b", filters=filters)
    certificate_sql, certificate_params = F_._certificate_per_user_sql(
        users_sql="SELECT b.user_id FROM b", filters=filters
    )
    ids = sorted({int(pk) for pk in user_ids})
    values = ", ".join(["(%s)"] * len(ids))
    sql = (
        f"WITH b (user_id) AS (VALUES {values}) "  # noqa: S608 - fixed text and table names; values are parameters
        "SELECT b.user_id, e.enrolled, e.in_progress, e.overdue, e.completed, c.level_rank FROM b "
        f"LEFT JOIN ({enrolment_sql}) e ON e.user_id = b.user_id "
        f"LEFT JOIN ({certificate_sql}) c ON c.user_id = b.user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *enrolment_params, *certificate_params])
        return {row[0]: PersonFigures(*(int(value or 0) for value in row[1:])) for row in cursor.fetchall()}


def people_figures_attach(rows: list[Membership], *, filters: ReportFilters) -> list[Membership]:
    """Set `current_count`, `in_progress_count`, `overdue_count`, `completed_count` and `level_rank` on
    each placement of a page or export block (one query for all of them)."""
    found = people_figures(user_ids=[row.user_id for row in rows], filters=filters)
    for row in rows:
        figures = found.get(row.user_id, PersonFigures())
        row.current_count = figures.current_count
        row.in_progress_count = figures.in_progress_count
        row.overdue_count = figures.overdue_count
        row.completed_count = figures.completed_count
        row.level_rank = figures.level_rank
    return rows


def people_completions(*, user_ids: list[int], filters: ReportFilters) -> dict[int, list[CourseCompletion]]:
    """Completed courses (title and date only) for one page of a people list: one query."""
    completions = CourseCompletion.objects.filter(user_id__in=user_ids).only(
        "user_id", "course_id", "course_title", "completed_at"
    )
    course_ids = F_._course_ids(filters)
    if course_ids is not None:
        completions = completions.filter(course_id__in=course_ids)
    result: dict[int, list[CourseCompletion]] = {}
    for completion in completions.order_by("-completed_at"):
        result.setdefault(completion.user_id, []).append(completion)
    return result


def access_log(*, user_query: str = "", action: str = "") -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.select_related("user", "organisation")
    if user_query:
        entries = entries.filter(Q(user__full_name__icontains=user_query) | Q(user__email__icontains=user_query))
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-pk")


def exports_for(*, user: User, scope: ReportScope) -> QuerySet[ReportExport]:
    """A person's own exports that can still be downloaded or are being built.

    Only of areas still in her scope: an admin who has lost an area since she asked for its list
    does not take the file along (the build checks the same when it runs).
    """
    now = timezone.now()
    exports = ReportExport.objects.filter(requested_by=user).filter(
        Q(status=ReportExport.Status.PENDING) | Q(status=ReportExport.Status.FAILED) | Q(expires_at__gt=now)
    )
    if scope.national:
        return exports
    return exports.filter(organisation__in=scope.organisations())
