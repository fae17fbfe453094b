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
