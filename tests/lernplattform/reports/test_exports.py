"""Exports: CSV and XLSX of every view; large people exports as a task for the requester alone."""

import csv
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from lernplattform.reports import exports
from lernplattform.reports.models import AccessLogEntry, ReportExport


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_kreis_admin_exports_the_drilldown_as_xlsx_and_it_reads_back(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    response = client.get(reverse("reports:figures_export", args=[org_tree["kreis"].pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response.content)
    assert rows[0][:4] == ["Organisation", "ARS", "Beschäftigte", "Registriert"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Unterhaching"][1] == "091840148148"
    assert by_name["Unterhaching"][4] == 6  # enrolled, a number in the sheet
    assert by_name["Garching b.München"][3] == "< 5"
    assert "Grafing b.München" not in by_name
    assert by_name["Insgesamt"][4] == "nicht ausgewiesen"


def test_people_export_as_csv_has_no_scores_and_is_logged(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    response = client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "csv"]), {"status": "enrolled"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Name",
        "E-Mail",
        "Organisation",
        "ARS",
        "Höchstes gültiges Niveau",
        "Einschreibungen",
        "In Bearbeitung",
        "Frist überschritten",
        "Abgeschlossen",
    ]
    assert len(rows) == 1 + 8
    assert all("Grafing" not in row[2] for row in rows[1:])
    entry = AccessLogEntry.objects.get(action="people_export")
    assert entry.row_count == 8 and entry.filters["format"] == "csv"


def test_large_people_export_runs_as_a_task_for_the_requester_alone(
    client, org_tree, kreis_admin, people, make_member, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "SYNC_EXPORT_LIMIT", 5)
    client.force_login(kreis_admin)
    with django_capture_on_commit_callbacks(execute=True):
        with_tasks = client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "xlsx"]))
    assert with_tasks.status_code == 302 and with_tasks.url == reverse("reports:exports")
    export = ReportExport.objects.get()
    assert export.status == "ready" and export.row_count == 10  # eager Celery in tests
    assert export.expires_at > timezone.now()
    listing = client.get(reverse("reports:exports")).content.decode()
    assert "Herunterladen" in listing
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    rows = _xlsx_rows(b"".join(download.streaming_content))
    assert len(rows) == 11 and rows[0][0] == "Name"
    assert any("Ihr Export ist bereit" in message.subject for message in mailoutbox)
    # Nobody else, not even another admin of the same Kreis, gets the file.
    colleague = make_member(org_tree["kreis"], "org_admin")
    client.force_login(colleague)
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404


def test_expired_exports_are_gone(
    client, org_tree, kreis_admin, people, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    from lernplattform.reports import services

    monkeypatch.setattr(exports, "SYNC_EXPORT_LIMIT", 5)
    client.force_login(kreis_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "csv"]))
    export = ReportExport.objects.get()
    path = export.file.path
    time_machine.move_to(export.expires_at + timezone.timedelta(minutes=1))
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
    assert services.exports_maintain() == (1, 0)
    assert not ReportExport.objects.exists()
    import os

    assert not os.path.exists(path)


def test_a_second_run_of_the_export_task_does_nothing(
    org_tree, kreis_admin, people, django_capture_on_commit_callbacks
):
    from lernplattform.reports import services, tasks

    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(
            user=kreis_admin, organisation=org_tree["kreis"], params={}, fmt="csv", row_count=10
        )
    export.refresh_from_db()
    assert export.status == "ready"
    assert tasks.export_build.delay(export.pk).get() is False


def test_an_admin_who_lost_the_area_no_longer_gets_its_export(
    client, org_tree, kreis_admin, people, make_member, monkeypatch, django_capture_on_commit_callbacks
):
    """The file was built while she was the Kreis admin; moved to Grafing, she may not take it along."""
    from lernplattform.accounts.services import membership_end, membership_start

    monkeypatch.setattr(exports, "SYNC_EXPORT_LIMIT", 5)
    client.force_login(kreis_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "csv"]))
    export = ReportExport.objects.get()
    assert export.status == "ready"
    download = reverse("reports:export_download", args=[export.pk])
    assert client.get(download).status_code == 200
    membership_end(membership=kreis_admin.memberships.get(organisation=org_tree["kreis"]))
    membership_start(user=kreis_admin, organisation=org_tree["grafing"], role="org_admin")
    assert client.get(download).status_code == 404
    assert download not in client.get(reverse("reports:exports")).content.decode()


def test_the_dashboard_links_its_figures_as_csv_and_xlsx_with_its_filters(client, org_tree, kreis_admin, people):
    client.force_login(kreis_admin)
    kreis = org_tree["kreis"]
    response = client.get(reverse("reports:node", args=[kreis.pk]), {"niveau": "grundlagen"})
    assert response.status_code == 200
    html = response.content.decode()
    for fmt in ("csv", "xlsx"):
        href = reverse("reports:figures_export", args=[kreis.pk, fmt]) + "?niveau=grundlagen"
        assert f'href="{href}"' in html
        export = client.get(href)
        assert export.status_code == 200
