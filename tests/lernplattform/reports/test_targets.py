"""Qualification targets: set by the organisation itself, or from a Kreis for every Gemeinde below."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lernplattform.core.errors import NotPermitted, ValidationFailed
from lernplattform.reports.models import QualificationTarget
from lernplattform.reports.permissions import report_scope_for
from lernplattform.reports.selectors import targets_status
from lernplattform.reports.services import target_create

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def _post(client, organisation, **data):
    payload = {
        "applies_to": "self",
        "level": "grundlagen",
        "kind": "percent",
        "value": "80",
        "due_date": NEXT_YEAR.isoformat(),
        "note": "",
        **data,
    }
    return client.post(reverse("reports:target_add", args=[organisation.pk]), payload)


def test_kreis_admin_sets_a_target_for_each_gemeinde_and_sees_its_gap_there(
    client, org_tree, kreis_admin, people, topic
):
    client.force_login(kreis_admin)
    response = _post(client, org_tree["kreis"], applies_to="each_below", kind="count", value="2", topic=topic.pk)
    assert response.status_code == 302
    target = QualificationTarget.objects.get()
    assert target.organisation == org_tree["kreis"] and target.created_by == kreis_admin
    kreis_page = client.get(reverse("reports:node", args=[org_tree["kreis"].pk])).content.decode()
    assert "0 von 2 Gemeinden erreichen das Ziel; zusammen fehlen noch 4 Personen." in kreis_page
    page = client.get(reverse("reports:node", args=[org_tree["garching"].pk])).content.decode()
    assert "2 qualifizierte Personen (Grundlagen Datenschutz)" in page
    assert "gesetzt von Landkreis München" in page
    assert "<td>2</td><td>0</td><td>2</td><td>noch nicht erreicht</td>" in page


def test_a_percent_target_needs_the_headcount(org_tree, gemeinde_admin, people, topic):
    target_create(
        actor=gemeinde_admin,
        organisation=org_tree["garching"],
        topic=topic,
        level="grundlagen",
        kind="percent",
        value=80,
        due_date=NEXT_YEAR,
    )
    [status] = targets_status(scope=report_scope_for(viewer=gemeinde_admin), organisation=org_tree["garching"])
    assert status.required == 80  # 80 % of 100 staff
    assert str(status.gap) == "80"
    org_tree["garching"].headcount = None
    org_tree["garching"].save()
    [status] = targets_status(scope=report_scope_for(viewer=gemeinde_admin), organisation=org_tree["garching"])
    assert status.required is None and status.reason == "Beschäftigtenzahl fehlt"


def test_a_kreis_admin_does_not_overwrite_a_gemeindes_own_targets(org_tree, kreis_admin, topic):
    with pytest.raises(NotPermitted):
        target_create(
            actor=kreis_admin,
            organisation=org_tree["garching"],
            topic=topic,
            level="grundlagen",
            kind="count",
            value=2,
            due_date=NEXT_YEAR,
        )


def test_a_gemeinde_cannot_set_targets_for_organisations_below(org_tree, gemeinde_admin, topic):
    with pytest.raises(ValidationFailed):
        target_create(
            actor=gemeinde_admin,
            organisation=org_tree["garching"],
            topic=topic,
            level="grundlagen",
            kind="count",
            value=2,
            due_date=NEXT_YEAR,
            applies_to="each_below",
        )


def test_bad_input_gets_a_german_error_and_nothing_is_saved(client, org_tree, gemeinde_admin, topic):
    client.force_login(gemeinde_admin)
    response = _post(client, org_tree["garching"], value="180", topic=topic.pk)
    assert response.status_code == 400
    assert "Ein Anteil liegt zwischen 1 und 100 Prozent." in response.content.decode()
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = _post(client, org_tree["garching"], due_date=past, topic=topic.pk)
    assert "Das Zieldatum darf nicht in der Vergangenheit liegen." in response.content.decode()
    assert not QualificationTarget.objects.exists()


def test_the_same_target_twice_is_refused_in_german(client, org_tree, gemeinde_admin, topic):
    client.force_login(gemeinde_admin)
    assert _post(client, org_tree["garching"], topic=topic.pk).status_code == 302
    response = _post(client, org_tree["garching"], topic=topic.pk)
    assert response.status_code == 400
    assert "Dieses Ziel ist für diese Organisation bereits eingetragen." in response.content.decode()
    assert QualificationTarget.objects.count() == 1


def test_targets_outside_the_scope_are_not_found(client, org_tree, kreis_admin, topic):
    client.force_login(kreis_admin)
    assert _post(client, org_tree["grafing"], topic=topic.pk).status_code == 404
