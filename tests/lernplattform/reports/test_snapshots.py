"""Summary table and monthly snapshots: Germany's tiles with "Stand", trends idempotent per month."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from courses.catalog.models import Topic
from lernplattform.reports import tasks
from lernplattform.reports.figures import ReportFilters
from lernplattform.reports.models import MonthlySnapshot, OrganisationFigures, SummaryRun
from lernplattform.reports.permissions import report_scope_for
from lernplattform.reports.selectors import node_report


def test_the_summary_table_sums_to_the_live_figures(org_tree, platform_admin, people):
    tasks.summary_rebuild.delay()
    assert SummaryRun.objects.count() == 1 + Topic.objects.count()  # across topics, then one per topic
    scope = report_scope_for(viewer=platform_admin)
    germany = node_report(scope=scope, organisation=None, filters=ReportFilters())
    assert germany.source == "summary" and germany.stand is not None
    # 3 + 6 + 2 learners (the platform admin's own membership is not a placement).
    assert germany.total.cells["registered"].value == 11
    assert germany.total.cells["enrolled"].value == 10
    kreis = node_report(scope=scope, organisation=org_tree["kreis"], filters=ReportFilters())
    assert kreis.source == "live"
    assert kreis.total.cells["enrolled"].value == 8
    land = node_report(scope=scope, organisation=org_tree["land"], filters=ReportFilters())
    assert land.source == "summary"
    assert [(row.label, row.cells["enrolled"].value) for row in land.rows if not row.is_own_staff] == [
        ("Oberbayern", 10)
    ]


def test_a_course_filter_needs_live_figures_even_for_germany(org_tree, platform_admin, people, course):
    germany = node_report(
        scope=report_scope_for(viewer=platform_admin), organisation=None, filters=ReportFilters(course=course)
    )
    assert germany.source == "live"
    assert germany.total.cells["enrolled"].value == 10


def _months_ahead(months: int) -> datetime.date:
    """The first of a month after today (the people's memberships start today)."""
    day = timezone.localdate().replace(day=1)
    for _ in range(months):
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return day


def _travel(time_machine, day: datetime.date) -> None:
    time_machine.move_to(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(9), tzinfo=datetime.UTC)
    )


def test_the_monthly_snapshot_is_taken_once_per_month(org_tree, people, time_machine):
    month = _months_ahead(1)
    _travel(time_machine, month)
    first = tasks.snapshot_take.delay().get()
    assert first > 0
    assert tasks.snapshot_take.delay().get() == 0
    assert set(MonthlySnapshot.objects.values_list("month", flat=True)) == {month}
    assert MonthlySnapshot.objects.count() == OrganisationFigures.objects.count()


def test_the_trend_shows_the_monthly_snapshots(client, org_tree, kreis_admin, people, time_machine):
    first, second = _months_ahead(1), _months_ahead(2)
    _travel(time_machine, first)
    tasks.snapshot_take.delay()
    _travel(time_machine, second)
    tasks.snapshot_take.delay()
    client.force_login(kreis_admin)
    page = client.get(reverse("reports:node", args=[org_tree["kreis"].pk])).content.decode()
    assert date_format(first, "F Y") in page and date_format(second, "F Y") in page
    assert "<svg" in page and "<figure" in page


def _month_back(day: datetime.date, months: int) -> datetime.date:
    for _ in range(months):
        day = (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return day


def test_the_trend_covers_twelve_months_ending_with_this_one(org_tree, people):
    from lernplattform.reports.selectors import trend

    this_month = timezone.localdate().replace(day=1)
    for back in range(14):  # 14 monthly snapshots: this month and the 13 before
        MonthlySnapshot.objects.create(
            month=_month_back(this_month, back),
            organisation=org_tree["garching"],
            ars=org_tree["garching"].ars,
            registered=100 - back,
        )
    months = [month for month, _values in trend(organisation=org_tree["kreis"], topic=None)]
    assert months == [_month_back(this_month, back) for back in range(11, -1, -1)]
    assert trend(organisation=None, topic=None, months=3)[0] == (
        _month_back(this_month, 2),
        {
            **dict.fromkeys(MonthlySnapshot.FIGURES, 0),
            "registered": 98,
        },
    )


def test_a_generated_snapshot_history_grows_towards_this_month_and_runs_once(org_tree, people):
    from lernplattform.reports import scale, services
    from lernplattform.reports.selectors import trend

    services.snapshot_take()
    current = MonthlySnapshot.objects.count()
    assert scale.snapshot_history(months=12) == 11 * current
    assert scale.snapshot_history(months=12) == 0  # the months are there: nothing twice
    series = trend(organisation=org_tree["kreis"], topic=None)
    assert len(series) == 12
    enrolled = [values["enrolled"] for _month, values in series]
    assert enrolled == sorted(enrolled) and enrolled[-1] == 8  # this month's figures stay as taken
    assert enrolled[0] < enrolled[-1]
    assert all(values["registered"] >= values["enrolled"] for _month, values in series)


def test_the_trend_of_a_land_is_cached_until_a_newer_month_is_taken(org_tree, django_assert_num_queries):
    from lernplattform.reports.selectors import trend

    this_month = timezone.localdate().replace(day=1)
    for back in (2, 1):
        MonthlySnapshot.objects.create(
            month=_month_back(this_month, back), organisation=org_tree["garching"], ars=org_tree["garching"].ars
        )
    first = trend(organisation=org_tree["land"], topic=None)
    assert [month for month, _values in first] == [_month_back(this_month, 2), _month_back(this_month, 1)]
    assert trend(organisation=None, topic=None) == first
    with CaptureQueriesContext(connection) as queries:
        assert trend(organisation=org_tree["land"], topic=None) == first
        assert trend(organisation=None, topic=None) == first
    # The newest month only, for each; the sums come from the cache.
    assert len(queries) == 2 and not any("SUM(" in query["sql"] for query in queries.captured_queries)
    # This month's snapshot is there the moment it is written.
    MonthlySnapshot.objects.create(
        month=this_month, organisation=org_tree["garching"], ars=org_tree["garching"].ars, registered=9
    )
    latest = trend(organisation=org_tree["land"], topic=None)
    assert latest[-1] == (this_month, {**dict.fromkeys(MonthlySnapshot.FIGURES, 0), "registered": 9})
    # A Kreis and below read the snapshots directly (one query, no look-up of the newest month).
    with django_assert_num_queries(1):
        assert len(trend(organisation=org_tree["kreis"], topic=None)) == 3
