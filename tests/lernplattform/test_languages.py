"""German first, English second: every page can be switched to English."""


def test_pages_are_german_by_default(client, db):
    html = client.get("/konto/anmelden/").content.decode()
    assert 'lang="de"' in html
    assert "Zum Inhalt springen" in html


def test_language_switch_turns_the_interface_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/anmelden/"})
    assert response.status_code == 302

    html = client.get("/konto/anmelden/").content.decode()

    assert 'lang="en"' in html
    assert "Skip to content" in html
    assert "Forgot password?" in html
    assert "Report a barrier" in html


def test_footer_offers_the_language_switch(client, db):
    html = client.get("/konto/anmelden/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<label for="language-select">Sprache</label>' in html
