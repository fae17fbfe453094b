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


def test_the_wagtail_login_speaks_german_and_names_the_platform(client, db):
    import re

    html = client.get("/admin/login/").content.decode()
    labels = [
        re.sub(r"<[^>]+>|\s+", " ", label).strip() for label in re.findall(r"<label[^>]*>.*?</label>", html, re.S)
    ]
    assert "Passwort*" in [label.replace(" ", "") for label in labels]
    assert "Password" not in html
    assert re.search(r"<title>Anmelden - Lernplattform</title>", html)


def test_question_bank_admin_pages_have_titles(client, org_tree, make_member):
    import re

    from lernplattform.accounts.models import Membership

    client.force_login(make_member(org_tree["kreis"], Membership.Role.TRAINER))
    for url in ("/admin/fragen/", "/admin/fragen/import/"):
        response = client.get(url)
        assert response.status_code == 200, url
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()
        assert not title.startswith("-") and title.endswith("- Lernplattform"), (url, title)


def test_german_content_keeps_its_language_when_the_interface_is_english(client, db):
    import re

    from tests.factories.progress import course_create

    course = course_create(title="Datenschutz kompakt", lessons=1)
    lesson = course.get_children().first()
    german = client.get(lesson.url).content.decode()
    assert '<h1 id="lesson-title">' in german and "Dieser Inhalt liegt nur auf Deutsch vor." not in german
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in (lesson.url, course.url):
        html = client.get(url).content.decode()
        assert 'lang="en"' in html
        assert re.search(r'<h1[^>]* lang="de">', html), url
        assert "This content is available in German only." in html, url
    html = client.get(lesson.url).content.decode()
    assert '<div class="lesson__body" lang="de">' in html
