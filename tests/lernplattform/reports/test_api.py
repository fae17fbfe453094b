"""The reports API: the same figures as the pages, scoped by membership, in the OpenAPI schema."""

from django.urls import reverse

from lernplattform.reports.models import AccessLogEntry


def test_kreis_admin_gets_the_kreis_with_its_gemeinden_and_small_cells_suppressed(
    client, org_tree, kreis_admin, people
):
    client.force_login(kreis_admin)
    data = client.get(reverse("api:reports-node", args=[org_tree["kreis"].pk])).json()
    assert data["source"] == "live" and data["ars"] == "091840000000"
    children = {row["name"]: row for row in data["children"]}
    assert set(children) == {"Landkreis München selbst (eigene Beschäftigte)", "Garching b.München", "Unterhaching"}
    assert children["Unterhaching"]["figures"]["enrolled"] == {"value": 6, "display": "6", "suppressed": False}
    assert children["Garching b.München"]["figures"]["enrolled"] == {
        "value": None,
        "display": "< 5",
        "suppressed": True,
    }
    assert data["total"]["figures"]["enrolled"]["display"] == "nicht ausgewiesen"


def test_the_api_keeps_to_the_scope(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    assert client.get(reverse("api:reports-node", args=[org_tree["grafing"].pk])).status_code == 404
    assert client.get(reverse("api:reports-germany")).status_code == 404
    assert client.get(reverse("api:reports-people", args=[org_tree["other_kreis"].pk])).status_code == 404
    client.force_login(people["garching"][0])
    assert client.get(reverse("api:reports-node", args=[org_tree["garching"].pk])).status_code == 403


def test_people_over_the_api_have_no_scores_and_are_logged(client, org_tree, gemeinde_admin, people):
    client.force_login(gemeinde_admin)
    data = client.get(reverse("api:reports-people", args=[org_tree["garching"].pk]), {"status": "overdue"}).json()
    assert data["count"] == 1
    [row] = data["results"]
    assert row["full_name"] == "Garching Person 0" and row["overdue"] == 1
    assert not {"score", "grade", "attempts", "max_score"} & set(row)
    assert AccessLogEntry.objects.get().action == "people_api"


def test_the_reports_api_is_in_the_schema(client, platform_admin):
    client.force_login(platform_admin)
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/reports/organisations/{id}/" in schema or "/api/v1/reports/organisations/{pk}/" in schema
    assert "/api/v1/reports/germany/" in schema and "/api/v1/reports/germany/people/" in schema
    assert (
        "/api/v1/reports/organisations/{id}/people/" in schema or "/api/v1/reports/organisations/{pk}/people/" in schema
    )
