"""Barrier reports: anyone may report, but nobody floods the accessibility team (issue 10, low)."""

from lernplattform.portal.models import BarrierReport


def _report(client, n, meta=None, **extra):
    return client.post(
        "/barriere-melden/",
        {"page_url": "/kurse/", "description": f"Kontrast zu schwach ({n})", "name": "", "email": "", **extra},
        **(meta or {}),
    )


def test_reports_are_limited_per_client_address(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "barrier_report": {"window": 3600, "per_ip": 3, "per_address": 2}}

    answers = [_report(client, n).status_code for n in range(5)]

    assert answers == [302, 302, 302, 429, 429]
    assert BarrierReport.objects.count() == 3
    page = _report(client, 9).content.decode()
    assert "Zu viele Anfragen" in page
    assert "Kontrast zu schwach (9)" in page, "what was typed stays in the form"


def test_reports_are_limited_per_reply_address_across_clients(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "barrier_report": {"window": 3600, "per_ip": 50, "per_address": 2}}

    answers = [
        _report(client, n, email="laut@example.org", meta={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code for n in range(3)
    ]

    assert answers == [302, 302, 429]
