"""The ARS drill-down: who sees which organisations, exact figures at home, "< 5" below."""

import pytest
from django.urls import reverse

from lernplattform.accounts.models import Membership
from lernplattform.reports.figures import ReportFilters
from lernplattform.reports.permissions import report_scope_for
from lernplattform.reports.selectors import node_report


def _row(report, name):
    return next(row for row in report.rows if row.label == name)


def test_kreis_admin_sees_every_gemeinde_of_the_kreis_and_none_outside(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response.url == reverse("reports:node", args=[org_tree["kreis"].pk])
    page = client.get(response.url).content.decode()
    assert "Garching b.München" in page and "Unterhaching" in page
    assert "Grafing" not in page and "Landkreis Ebersberg" not in page
    # The breadcrumb starts at the admin's own organisation, with its ARS.
    assert "Landkreis München (091840000000)" in page
    assert "Oberbayern" not in page


def test_kreis_admin_drills_down_to_a_gemeinde_but_not_beside_or_above(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    page = client.get(reverse("reports:node", args=[org_tree["garching"].pk]))
    assert page.status_code == 200
    assert "Landkreis München (091840000000)" in page.content.decode()
    for outside in ("grafing", "other_kreis", "rb", "land"):
        assert client.get(reverse("reports:node", args=[org_tree[outside].pk])).status_code == 404
    assert client.get(reverse("reports:germany")).status_code == 404


def test_learners_have_no_reports(client, org_tree, people):
    client.force_login(people["garching"][0])
    assert client.get(reverse("reports:home")).status_code == 403


def test_figures_count_each_person_once_at_their_current_organisation(org_tree, kreis_admin, people):
    report = node_report(
        scope=report_scope_for(viewer=kreis_admin), organisation=org_tree["kreis"], filters=ReportFilters()
    )
    # 3 + 6 learners + the admin herself (the Kreis's own staff); Grafing is outside.
    assert report.total.cells["registered"].value == 10
    assert str(_row(report, "Landkreis München selbst (eigene Beschäftigte)").cells["registered"]) == "1"
    garching = _row(report, "Garching b.München")
    # Below the admin's own organisation small cells show "< 5" ...
    assert str(garching.cells["registered"]) == "< 5"
    assert str(garching.cells["enrolled"]) == "< 5"
    assert str(garching.cells["overdue"]) == "< 5"
    assert str(_row(report, "Unterhaching").cells["enrolled"]) == "6"
    # ... and a total that would give one of them away is withheld (8 enrolled − 6 = Garching's 2).
    assert str(report.total.cells["enrolled"]) == "nicht ausgewiesen"
    assert str(report.total.cells["overdue"]) == "nicht ausgewiesen"
    # Zero is no person: shown as it is.
    assert str(garching.cells["completed"]) == "0"


def test_land_admin_sees_small_cells_as_less_than_five(client, org_tree, land_admin, people):
    client.force_login(land_admin)
    page = client.get(reverse("reports:node", args=[org_tree["kreis"].pk])).content.decode()
    assert "&lt; 5" in page
    assert "Unterhaching" in page


def test_a_gemeinde_admin_sees_their_own_figures_exactly(org_tree, gemeinde_admin, people):
    report = node_report(
        scope=report_scope_for(viewer=gemeinde_admin), organisation=org_tree["garching"], filters=ReportFilters()
    )
    assert str(report.total.cells["registered"]) == "4"
    assert str(report.total.cells["overdue"]) == "1"


def test_platform_admin_starts_at_germany_with_the_laender(client, platform_admin, org_tree, people):
    client.force_login(platform_admin)
    response = client.get(reverse("reports:home"))
    assert response.url == reverse("reports:germany")
    page = client.get(response.url).content.decode()
    assert "Bayern" in page
    assert "Stand:" in page


def test_filters_by_topic_course_level_and_period(client, org_tree, kreis_admin, people, course):
    from tests.factories.pages import TopicFactory

    other = TopicFactory(name="Vergabe", slug="vergabe")
    scope = report_scope_for(viewer=kreis_admin)
    by_topic = node_report(scope=scope, organisation=org_tree["kreis"], filters=ReportFilters(topic=other))
    assert by_topic.total.cells["enrolled"].value == 0
    by_course = node_report(scope=scope, organisation=org_tree["kreis"], filters=ReportFilters(course=course))
    assert by_course.total.cells["enrolled"].value == 8
    client.force_login(kreis_admin)
    response = client.get(
        reverse("reports:node", args=[org_tree["kreis"].pk]),
        {"thema": other.pk, "kurs": course.pk, "niveau": "grundlagen", "zeitraum": "30"},
    )
    assert response.status_code == 200


def test_the_headcount_is_the_denominator_and_its_absence_is_said(org_tree, kreis_admin, people):
    org_tree["garching"].headcount = None
    org_tree["garching"].save()
    report = node_report(
        scope=report_scope_for(viewer=kreis_admin), organisation=org_tree["kreis"], filters=ReportFilters()
    )
    assert str(_row(report, "Garching b.München").quota) == "Beschäftigtenzahl fehlt"
    assert "Beschäftigtenzahl fehlt (bei 1 von" in str(report.total.quota)
    assert str(_row(report, "Unterhaching").quota) == "0,0 %"


@pytest.mark.django_db
def test_drilldown_issues_a_bounded_number_of_queries(
    client, org_tree, kreis_admin, people, django_assert_max_num_queries
):
    client.force_login(kreis_admin)
    with django_assert_max_num_queries(40):
        client.get(reverse("reports:node", args=[org_tree["kreis"].pk]))


def test_the_navigation_leads_admins_to_their_area(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert f'href="{reverse("reports:home")}"' in page
    assert "Qualifizierung in meinem Bereich" in page
    client.force_login(people["garching"][0])
    assert f'href="{reverse("reports:home")}"' not in client.get(reverse("progress:dashboard")).content.decode()


def test_a_body_without_ars_counts_in_its_parents_subtree_and_nowhere_else(org_tree, kreis_admin, make_member):
    from lernplattform.accounts.models import Organisation
    from lernplattform.reports.permissions import members_in_subtree_q, subtree_q

    zweckverband = Organisation.objects.create(
        ars=None, name="Zweckverband Wasser", kind=Organisation.Kind.OTHER, parent=org_tree["garching"], headcount=7
    )
    beside = Organisation.objects.create(
        ars=None, name="Zweckverband Grafing", kind=Organisation.Kind.OTHER, parent=org_tree["grafing"], headcount=3
    )
    for _number in range(2):
        make_member(zweckverband)
    make_member(beside)
    in_kreis = set(Organisation.objects.filter(subtree_q(org_tree["kreis"])).values_list("name", flat=True))
    assert "Zweckverband Wasser" in in_kreis and "Zweckverband Grafing" not in in_kreis
    assert "Zweckverband Grafing" in set(
        Organisation.objects.filter(subtree_q(org_tree["other_kreis"])).values_list("name", flat=True)
    )
    assert Membership.objects.filter(members_in_subtree_q(org_tree["garching"])).count() == 2

    report = node_report(
        scope=report_scope_for(viewer=kreis_admin), organisation=org_tree["kreis"], filters=ReportFilters()
    )
    garching = _row(report, "Garching b.München")
    assert garching.cells["registered"].value == 2  # the Zweckverband's people, in Garching's row
    assert garching.headcount.total == org_tree["garching"].headcount + 7
    assert report.total.cells["registered"].value == 3  # and the Kreis admin at the Kreis
    # Drilling down to Garching: the Zweckverband is its child, with the figures of its people.
    below = node_report(
        scope=report_scope_for(viewer=kreis_admin), organisation=org_tree["garching"], filters=ReportFilters()
    )
    assert _row(below, "Zweckverband Wasser").cells["registered"].value == 2


def test_an_admins_own_dashboard_needs_six_queries(client, org_tree, gemeinde_admin, people, django_assert_num_queries):
    """Person, scope (with the own organisation and its ancestors), subtree with its children,
    figures, targets, trend: no look-up of the organisation of the URL when it is the admin's own."""
    client.force_login(gemeinde_admin)
    url = reverse("api:reports-node", args=[org_tree["garching"].pk])
    client.get(url)  # the session is read (and cached) once
    with django_assert_num_queries(6):
        data = client.get(url).json()
    assert data["total"]["figures"]["registered"]["value"] == 4  # 3 learners and the admin herself
    assert data["breadcrumb"][-1]["organisation_id"] == org_tree["garching"].pk


def test_another_organisation_in_scope_costs_one_look_up_and_outside_is_not_found(
    org_tree, kreis_admin, django_assert_num_queries
):
    scope = report_scope_for(viewer=kreis_admin)
    with django_assert_num_queries(0):
        assert scope.node(org_tree["kreis"].pk) == org_tree["kreis"]
    with django_assert_num_queries(1):
        garching = scope.node(org_tree["garching"].pk)
    assert garching == org_tree["garching"]
    with django_assert_num_queries(0):  # the ancestors came along
        assert garching.parent.parent.parent == org_tree["land"]
    assert scope.node(org_tree["grafing"].pk) is None
    assert scope.node(org_tree["land"].pk) is None
    assert scope.node(999_999) is None
