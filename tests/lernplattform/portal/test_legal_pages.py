"""The legal pages every German public website needs exist, render, and are linked in the footer."""

from io import StringIO

import pytest
from django.core import mail

from lernplattform.accounts.models import Membership
from lernplattform.portal import demo
from lernplattform.portal.models import AccessibilityStatementPage, BarrierReport


@pytest.fixture
def legal_pages(db):
    demo.seed(stdout=StringIO())


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
        ("/leichte-sprache/", "Leichte Sprache"),
        ("/gebaerdensprache/", "Gebärdensprache"),
    ],
)
def test_legal_page_renders_with_its_heading(client, legal_pages, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_footer_links_every_legal_page_and_the_barrier_form_in_bounded_queries(
    client, legal_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        html = client.get("/").content.decode()
    for path in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/", "/gebaerdensprache/"]:
        assert f'href="{path}"' in html
    assert 'href="/barriere-melden/?seite=/"' in html


def test_accessibility_statement_has_the_bitv_parts_and_the_report_form(client, legal_pages):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "teilweise vereinbar" in html
    assert "Nicht barrierefreie Inhalte" in html
    assert "Schlichtungsstelle" in html
    assert 'action="/barriere-melden/"' in html
    assert 'for="id_description"' in html


def test_sign_language_page_has_a_place_for_the_video(client, legal_pages):
    html = client.get("/gebaerdensprache/").content.decode()
    assert "Gebärdensprache wird hier eingestellt" in html


def test_seeding_twice_keeps_editors_changes(legal_pages):
    page = AccessibilityStatementPage.objects.get()
    page.title = "Barrierefreiheit"
    page.save_revision().publish()

    demo.seed(stdout=StringIO())

    assert AccessibilityStatementPage.objects.get().title == "Barrierefreiheit"


class TestBarrierReport:
    def test_report_is_stored_and_emailed_to_platform_admins(
        self, client, legal_pages, make_member, org_tree, django_capture_on_commit_callbacks
    ):
        make_member(org_tree["land"], Membership.Role.PLATFORM_ADMIN, email="admin@land.example")
        make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, email="kreis@land.example")

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/barriere-melden/",
                {
                    "page_url": "/kurse/",
                    "description": "Der Knopf „Weiter“ ist mit der Tastatur nicht erreichbar.",
                    "email": "melder@example.org",
                },  # fmt: skip
            )

        assert response.status_code == 302
        report = BarrierReport.objects.get()
        assert report.page_url == "/kurse/"
        [message] = mail.outbox
        assert message.to == ["admin@land.example"]
        assert message.reply_to == ["melder@example.org"]
        assert "Tastatur" in message.body
        assert message.subject == "Barriere gemeldet: /kurse/"

    def test_empty_description_shows_a_german_error_and_stores_nothing(self, client, db):
        response = client.post("/barriere-melden/", {"page_url": "/"})
        assert response.status_code == 200
        assert "Dieses Feld muss ausgefüllt werden." in response.content.decode()
        assert not BarrierReport.objects.exists()
        assert not mail.outbox

    def test_bot_filling_the_hidden_field_is_thanked_but_ignored(self, client, db):
        response = client.post("/barriere-melden/", {"description": "Spam", "website": "http://spam.example"})
        assert response.status_code == 302
        assert not BarrierReport.objects.exists()

    def test_page_is_prefilled_from_the_footer_link(self, client, db):
        html = client.get("/barriere-melden/?seite=/impressum/").content.decode()
        assert 'value="/impressum/"' in html
