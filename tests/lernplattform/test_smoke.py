"""The home page and login render, and the demo seed can run twice."""

from io import StringIO

from django.core.management import call_command

from lernplattform.accounts.models import User


def test_home_page_renders_with_skip_link_and_landmarks(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert 'lang="de"' in html


def test_login_page_has_labelled_fields(client, db):
    response = client.get("/konto/anmelden/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username"' in html
    assert 'for="id_password"' in html


def test_seed_demo_is_idempotent(seeded_demo):
    users = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == users >= 5
