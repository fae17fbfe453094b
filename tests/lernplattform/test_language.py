"""German is the platform's language whatever the browser asks for; an explicit choice wins."""

from django.conf import settings


def test_english_browser_still_gets_german(client, db):
    response = client.get("/konto/anmelden/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()


def test_chosen_language_is_honoured(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/konto/anmelden/")
    assert 'lang="en"' in response.content.decode()


def test_unknown_language_cookie_falls_back_to_german(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/konto/anmelden/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="de"' in response.content.decode()
