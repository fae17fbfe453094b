"""Issue 14's "done when", tried as new users would: a Kreis admin, a Land admin, a Gemeinde admin
and the platform admin's access log, on qualification that comes from valid certificates."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import timezone

from courses.certificates.models import Certificate
from lernplattform.reports.models import AccessLogEntry

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def certify(user, course, *, valid_until=None, revoked=False, level="grundlagen"):
    """An issued certificate as courses.certificates stores it (the PDF itself is not needed here)."""
    membership = user.memberships.select_related("organisation").first()
    number = Certificate.objects.count() + 1
    now = timezone.now()
    return Certificate.objects.create(
        number=f"T-{number:06d}",
        code=f"{number:024d}",
        user=user,
        organisation=membership.organisation,
        organisation_ars=membership.organisation.ars or "",
        course=course,
        topic=course.topic,
        level=level,
        holder_name=user.full_name,
        title=course.title,
        completed_at=now,
        issued_at=now,
        valid_until=valid_until,
        pdf="certificates/test.pdf",
        pdf_sha256="0" * 64,
        revoked_at=now if revoked else None,
        revocation_reason="error" if revoked else "",
    )


def _xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _qualification(people, course):
    """Unterhaching: 2 valid (one unlimited, one expiring in 30 days), 1 expired, 1 revoked.
    Garching: 1 valid. Grafing (another Kreis): 1 valid."""
    unterhaching = people["unterhaching"]
    certify(unterhaching[0], course)
    certify(unterhaching[1], course, valid_until=TODAY + datetime.timedelta(days=30))
    certify(unterhaching[2], course, valid_until=TODAY - datetime.timedelta(days=1))
    certify(unterhaching[3], course, revoked=True)
    certify(people["garching"][0], course, valid_until=NEXT_YEAR)
    certify(people["grafing"][0], course)


def test_a_kreis_admin_sees_the_kreis_drills_down_sets_a_target_and_exports_it(
    client, org_tree, kreis_admin, people, course, topic
):
    _qualification(people, course)
    client.force_login(kreis_admin)

    # Start: the own Kreis, every Gemeinde of it and none outside.
    home = client.get(reverse("reports:home"))
    kreis_url = reverse("reports:node", args=[org_tree["kreis"].pk])
    assert home.url == kreis_url
    page = client.get(kreis_url).content.decode()
    assert "Garching b.München" in page and "Unterhaching" in page
    assert "Grafing" not in page and "Landkreis Ebersberg" not in page
    assert f'href="{reverse("reports:node", args=[org_tree["unterhaching"].pk])}' in page

    # Drill down to one Gemeinde; the breadcrumb leads back to the Kreis, nothing beside it opens.
    gemeinde = client.get(reverse("reports:node", args=[org_tree["unterhaching"].pk])).content.decode()
    assert "Qualifizierung: Unterhaching" in gemeinde
    assert f'href="{kreis_url}"' in gemeinde
    assert client.get(reverse("reports:node", args=[org_tree["grafing"].pk])).status_code == 404

    # A target for the Kreis itself: 5 people with at least Grundlagen Datenschutz by next year.
    response = client.post(
        reverse("reports:target_add", args=[org_tree["kreis"].pk]),
        {
            "applies_to": "self",
            "topic": topic.pk,
            "level": "grundlagen",
            "kind": "count",
            "value": "5",
            "due_date": NEXT_YEAR.isoformat(),
            "note": "",
        },
    )
    assert response.status_code == 302
    page = client.get(kreis_url).content.decode()
    # Valid certificates only: 2 in Unterhaching + 1 in Garching; expired, revoked and Grafing's do not count.
    assert "5 qualifizierte Personen (Grundlagen Datenschutz)" in page
    assert "<td>5</td><td>3</td><td>2</td><td>noch nicht erreicht</td>" in page

    # The drill-down as XLSX, read back: the same figures and the same "< 5" as the page.
    export = client.get(reverse("reports:figures_export", args=[org_tree["kreis"].pk, "xlsx"]))
    assert export.status_code == 200
    rows = _xlsx(export.content)
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) >= {"Garching b.München", "Unterhaching", "Insgesamt"}
    assert "Grafing b.München" not in by_name
    assert by_name["Unterhaching"]["Eingeschrieben"] == 6
    assert by_name["Unterhaching"]["Grundlagen"] == "< 5"
    assert by_name["Unterhaching"]["Läuft ab (90 Tage)"] == "< 5"
    assert by_name["Unterhaching"]["Rezertifizierung überfällig"] == "< 5"
    assert by_name["Insgesamt"]["Grundlagen"] == 3  # the Kreis's own total is exact

    # The people of the Kreis as XLSX (a people export: logged).
    people_export = client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "xlsx"]))
    rows = _xlsx(people_export.content)
    levels = {row[0]: row[4] for row in rows[1:]}
    assert levels["Unterhaching Person 0"] == "Grundlagen"
    assert levels["Unterhaching Person 2"] == "keine"  # expired
    assert levels["Unterhaching Person 3"] == "keine"  # revoked
    assert not any(name.startswith("Grafing") for name in levels)


def test_a_land_admin_sees_less_than_five_where_a_gemeinde_has_few_qualified_people(
    client, org_tree, land_admin, people, course
):
    _qualification(people, course)
    client.force_login(land_admin)
    data = client.get(reverse("api:reports-node", args=[org_tree["kreis"].pk])).json()
    rows = {row["name"]: row for row in data["children"]}
    for name in ("Unterhaching", "Garching b.München"):
        assert rows[name]["figures"]["qualified_basic"] == {"value": None, "display": "< 5", "suppressed": True}
        assert rows[name]["qualified"]["display"] == "< 5"
    # The Kreis total (3 = 2 + 1) would give both away: withheld as well.
    assert data["total"]["figures"]["qualified_basic"]["suppressed"] is True
    page = client.get(reverse("reports:node", args=[org_tree["kreis"].pk])).content.decode()
    assert "&lt; 5" in page and "nicht ausgewiesen" in page


def test_a_gemeinde_admin_sees_the_own_figures_exactly_and_the_people_without_scores(
    client, org_tree, make_member, people, course
):
    from courses.assessment.quiz_models import QuizPage
    from courses.progress.services import activity_result_record
    from tests.factories.pages import quiz_add

    _qualification(people, course)
    quiz_add(course, title="Abschlusstest")
    quiz = course.get_children().type(QuizPage).specific().first()
    activity_result_record(
        user=people["unterhaching"][0],
        activity=quiz,
        score=Decimal("7.5"),
        max_score=Decimal(10),
        passed=True,
        trusted=True,
        source="quiz",
    )
    admin = make_member(org_tree["unterhaching"], "org_admin", full_name="Unterhaching Verwaltung")
    client.force_login(admin)
    node = client.get(reverse("api:reports-node", args=[org_tree["unterhaching"].pk])).json()
    assert node["total"]["figures"]["qualified_basic"] == {"value": 2, "display": "2", "suppressed": False}
    page = client.get(reverse("reports:people", args=[org_tree["unterhaching"].pk])).content.decode()
    assert "Unterhaching Person 0" in page and "Garching Person 0" not in page
    assert "Grundlagen" in page
    for shown in ("7.5", "7,5", "/10", "75 %", "Punkte", "Versuch"):
        assert shown not in page.replace("Prüfungsergebnisse und Versuche werden nicht angezeigt", "")
    api = client.get(reverse("api:reports-people", args=[org_tree["unterhaching"].pk])).json()
    person = next(row for row in api["results"] if row["full_name"] == "Unterhaching Person 0")
    assert person["highest_level"] == "Grundlagen"
    assert not {"score", "scores", "attempts", "result"} & set(person)


def test_the_access_log_shows_the_gemeinde_list_and_the_kreis_export(
    client, org_tree, kreis_admin, gemeinde_admin, platform_admin, people
):
    client.force_login(gemeinde_admin)
    client.get(reverse("reports:people", args=[org_tree["garching"].pk]))
    client.force_login(kreis_admin)
    client.get(reverse("reports:people_export", args=[org_tree["kreis"].pk, "xlsx"]))
    assert [entry.action for entry in AccessLogEntry.objects.order_by("pk")] == ["people_list", "people_export"]
    client.force_login(platform_admin)
    page = client.get(reverse("reports:access_log")).content.decode()
    assert "Garching Verwaltung" in page and "Personenliste angesehen" in page
    assert "Kreis Verwaltung" in page and "Personenliste exportiert" in page
    assert "Garching b.München (091840119119)" in page and "Landkreis München (091840000000)" in page
