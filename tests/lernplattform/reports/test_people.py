"""People lists: only the viewer's scope, filters, sorting, pages, never scores; every access logged."""

from django.urls import reverse

from lernplattform.reports.models import AccessLogEntry


def test_gemeinde_admins_people_list_shows_no_scores_and_is_logged(client, org_tree, gemeinde_admin, people):
    client.force_login(gemeinde_admin)
    response = client.get(reverse("reports:people", args=[org_tree["garching"].pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Garching Person 0" in page and "Unterhaching Person 0" not in page
    for word in ("Punkte", "Ergebnis", "Versuch", "Score", "%</td>"):
        assert word not in page.replace("Prüfungsergebnisse und Versuche werden nicht angezeigt", "")
    entry = AccessLogEntry.objects.get()
    assert entry.user == gemeinde_admin and entry.action == "people_list"
    assert entry.organisation == org_tree["garching"]
    assert entry.row_count == 4


def test_people_list_filters_sorts_and_paginates(client, org_tree, kreis_admin, people, settings):
    client.force_login(kreis_admin)
    url = reverse("reports:people", args=[org_tree["kreis"].pk])
    overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert "Garching Person 0" in overdue and "Garching Person 1" not in overdue
    none = client.get(url, {"status": "none"}).content.decode()
    assert "Garching Person 2" in none and "Unterhaching Person 0" not in none
    found = client.get(url, {"suche": "Unterhaching Person 5"}).content.decode()
    assert "1 Person<" in found
    page = client.get(url, {"sortierung": "-name"}).content.decode()
    assert page.index("Unterhaching Person 5") < page.index("Garching Person 0")
    assert "Grafing" not in page
    assert AccessLogEntry.objects.filter(user=kreis_admin).count() == 4


def test_people_outside_the_scope_are_not_found(client, org_tree, kreis_admin):
    client.force_login(kreis_admin)
    assert client.get(reverse("reports:people", args=[org_tree["grafing"].pk])).status_code == 404
    assert client.get(reverse("reports:germany_people")).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_the_access_log_is_for_platform_admins(client, org_tree, kreis_admin, gemeinde_admin, platform_admin, people):
    client.force_login(kreis_admin)
    client.get(reverse("reports:people", args=[org_tree["kreis"].pk]))
    client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "csv"]))
    assert client.get(reverse("reports:access_log")).status_code == 403
    client.force_login(platform_admin)
    page = client.get(reverse("reports:access_log")).content.decode()
    assert "Personenliste angesehen" in page and "Personenliste exportiert" in page
    assert "Kreis Verwaltung" in page and "Landkreis München (091840000000)" in page


def test_a_people_page_and_the_lists_length_come_from_one_query(
    org_tree, kreis_admin, people, django_assert_num_queries
):
    from django.core.paginator import Paginator

    from lernplattform.reports.figures import ReportFilters
    from lernplattform.reports.permissions import report_scope_for
    from lernplattform.reports.selectors import PeopleQuery, people_in_scope, people_page

    scope = report_scope_for(viewer=kreis_admin)

    def rows(**query):
        return people_in_scope(
            scope=scope, organisation=org_tree["kreis"], filters=ReportFilters(), people=PeopleQuery(**query)
        )

    everyone = rows()
    expected = [row.pk for row in everyone]
    assert len(expected) == 10  # 3 in Garching, 6 in Unterhaching, the Kreis admin
    everyone.count()  # the subtree's organisations are read when the query is built, not per page
    with django_assert_num_queries(2):  # the subtree's ids, then the page with the count
        page = people_page(rows(), number="2", per_page=4)
    assert [row.pk for row in page.object_list] == expected[4:8]
    assert (page.paginator.count, page.paginator.num_pages, page.number) == (10, 3, 2)
    assert page.has_next() and page.has_previous()
    # Past the end, or not a number: Django's paginator rules (last page, first page).
    last = people_page(rows(), number="99", per_page=4)
    assert (last.number, [row.pk for row in last.object_list]) == (3, expected[8:])
    assert people_page(rows(), number="zwei", per_page=4).number == 1
    assert people_page(rows(), number="-3", per_page=4).number == 1
    # Sorted by a count and filtered: the same rows as the paginator's own two queries.
    sorted_rows = rows(sort="overdue", status="enrolled")
    reference = Paginator(sorted_rows, 3).get_page(2)
    found = people_page(rows(sort="overdue", status="enrolled"), number=2, per_page=3)
    assert [row.pk for row in found.object_list] == [row.pk for row in reference.object_list]
    assert found.paginator.count == reference.paginator.count == 8
    empty = people_page(rows(query="niemand"), number=1, per_page=4)
    assert (empty.paginator.count, list(empty.object_list), empty.number) == (0, [], 1)
