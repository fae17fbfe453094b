"""Public verification (page and JSON), revocation, re-issue, expiry, throttling."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from courses.certificates import services
from courses.certificates.models import Certificate, CertificateEvent
from courses.certificates.views import VerifyThrottle
from lernplattform.core.errors import NotPermitted

from .conftest import course_finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_finish(learner, course)
    return Certificate.objects.get()


def _page(client, code):
    response = client.get(f"/zertifikate/pruefen/{code}/")
    return response, response.content.decode()


def test_verification_needs_no_login_shows_every_field_and_is_not_indexed(certificate, client):
    response, body = _page(client, certificate.code.lower())
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in body
    assert "<strong>gültig</strong>" in body
    for value in (
        "Jürgen Weiß-Müller",
        "Garching b.München",
        "091840119119",
        "Datenschutz im Bürgerbüro",
        certificate.number,
        certificate.snapshot["issued_on_label"],
        "unbefristet",
    ):
        assert value in body


def test_unknown_code_gets_the_same_page_shape(client, certificate):
    response, body = _page(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "nicht gefunden" in body
    assert response["X-Robots-Tag"].startswith("noindex")
    api = client.get("/api/v1/certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/").json()
    known = client.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert set(api) == set(known) == {"found", "status", "status_label", "status_detail", "certificate"}
    assert api["found"] is False and api["certificate"] is None


def test_sequential_numbers_do_not_verify(client, certificate):
    response, _body = _page(client, certificate.number)
    assert response.status_code == 404


def test_json_verification_has_every_pdf_field(client, certificate):
    data = client.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert data["status"] == "valid" and data["status_label"] == "gültig"
    fields = data["certificate"]
    assert fields["name"] == "Jürgen Weiß-Müller"
    assert fields["organisation"] == "Garching b.München"
    assert fields["course"] == "Datenschutz im Bürgerbüro"
    assert fields["number"] == certificate.number
    assert fields["hours"] == "3 Stunden"
    assert fields["issuer"] == "Kompetenzzentrum Digitale Kommune"
    assert fields["signatories"] == [{"name": "Dr. Anna Groß", "title": "Leitung"}]


def test_too_many_verifications_get_a_german_429_page(client, certificate, monkeypatch):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"certificate_verify": "3/min"})
    for _ in range(3):
        assert _page(client, certificate.code)[0].status_code == 200
    response, body = _page(client, certificate.code)
    assert response.status_code == 429
    assert "Zu viele Anfragen" in body
    assert int(response["Retry-After"]) > 0


def test_scope_admin_revokes_and_the_page_says_widerrufen_with_the_date(certificate, client, kreis_admin):
    client.force_login(kreis_admin)
    response = client.post(
        f"/zertifikate/{certificate.pk}/widerrufen/", {"reason": "error", "comment": "Falscher Kurs zugeordnet"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_by == kreis_admin and certificate.revocation_reason == "error"
    event = certificate.events.get(kind=CertificateEvent.Kind.REVOKED)
    assert event.actor == kreis_admin and event.comment == "Falscher Kurs zugeordnet"
    client.logout()
    _response, body = _page(client, certificate.code)
    assert "<strong>widerrufen</strong>" in body
    assert services.date_german(timezone.localdate()) in body
    assert "Irrtümlich ausgestellt" in body
    assert "Falscher Kurs zugeordnet" not in body  # the comment is internal


def test_an_admin_outside_the_scope_cannot_revoke(certificate, client, outsider_admin):
    with pytest.raises(NotPermitted):
        services.certificate_revoke(certificate=certificate, by=outsider_admin, reason="error")
    client.force_login(outsider_admin)
    assert client.post(f"/zertifikate/{certificate.pk}/widerrufen/", {"reason": "error"}).status_code == 404
    assert client.post(f"/api/v1/certificates/{certificate.pk}/revoke/", {"reason": "error"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_learner_cannot_revoke_their_own_certificate(certificate, learner):
    with pytest.raises(NotPermitted):
        services.certificate_revoke(certificate=certificate, by=learner, reason="error")


def test_revoking_twice_is_refused_and_other_needs_a_comment(certificate, platform_admin):
    from lernplattform.core.errors import Conflict, ValidationFailed

    with pytest.raises(ValidationFailed):
        services.certificate_revoke(certificate=certificate, by=platform_admin, reason="other")
    services.certificate_revoke(certificate=certificate, by=platform_admin, reason="fraud")
    with pytest.raises(Conflict):
        services.certificate_revoke(certificate=certificate, by=platform_admin, reason="fraud")


def test_a_certificate_past_its_date_says_abgelaufen(certificate, client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=yesterday)
    _response, body = _page(client, certificate.code)
    assert "<strong>abgelaufen</strong>" in body
    assert f"abgelaufen seit {services.date_german(timezone.localdate())}" in body


def test_reissue_gives_a_new_number_and_the_old_one_says_ersetzt(certificate, client, platform_admin, learner):
    learner.full_name = "Jürgen Weiß"
    learner.save()
    new = services.certificate_reissue(certificate=certificate, by=platform_admin, comment="Namensänderung")
    assert new.number != certificate.number and new.code != certificate.code
    assert new.holder_name == "Jürgen Weiß"
    assert new.completed_at == certificate.completed_at and new.valid_until == certificate.valid_until
    _response, body = _page(client, certificate.code)
    assert "<strong>ersetzt</strong>" in body and new.number in body
    _response, body = _page(client, new.code)
    assert "<strong>gültig</strong>" in body


def test_code_generation_is_random_and_unguessable():
    codes = {services.certificate_code_generate() for _ in range(2000)}
    assert len(codes) == 2000
