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

    from tests.factories.pages import course_create

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


def _po_gaps(path):
    """Entries of a .po file that are fuzzy or have an empty msgstr (header and obsolete entries aside)."""
    import re

    gaps = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        msgid = "".join(re.findall(r'^(?:msgid |)"(.*)"$', "\n".join(lines[: _msgstr_start(lines)]), re.M))
        if not msgid:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgstrs, current = [], None
        for line in lines[_msgstr_start(lines) :]:
            if line.startswith("msgstr"):
                current = [line.split(" ", 1)[1].strip('"')]
                msgstrs.append(current)
            elif line.startswith('"') and current is not None:
                current.append(line.strip('"'))
        if fuzzy or not msgstrs or not all("".join(parts) for parts in msgstrs):
            gaps.append(msgid)
    return gaps


def _msgstr_start(lines):
    return next(i for i, line in enumerate(lines) if line.startswith("msgstr"))


def test_english_catalogues_have_no_fuzzy_or_missing_translations():
    from pathlib import Path

    from django.conf import settings

    for name in ("django.po", "djangojs.po"):
        path = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / name
        gaps = _po_gaps(path)
        assert gaps == [], (name, len(gaps), gaps[:10])


def _js_catalogue(client):
    import json
    import re

    response = client.get("/i18n/js/")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\n  \});", response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else {}


def test_quiz_and_practice_scripts_speak_english_through_the_js_catalogue(client, db):
    import re
    from pathlib import Path

    from django.conf import settings

    msgids = []
    for script in ("assessment/quiz.js", "assessment/practice.js"):
        source = (Path(settings.BASE_DIR) / "static" / script).read_text(encoding="utf-8")
        msgids += re.findall(r'\bn?gettext\("([^"]+)"', source)
    assert "Ihre Antworten werden automatisch gespeichert." in msgids

    # German is the msgids themselves; only our own catalogue is served, not Wagtail's or the admin's.
    assert _js_catalogue(client) == {}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _js_catalogue(client)

    assert set(msgids) <= set(english)
    assert english["Ihre Antworten werden automatisch gespeichert."] == "Your answers are saved automatically."
    assert english["Noch %(n)s Minute Zeit."] == ["%(n)s minute left.", "%(n)s minutes left."]


def test_the_quiz_attempt_loads_the_js_catalogue_before_its_script():
    from pathlib import Path

    from django.conf import settings

    html = (Path(settings.BASE_DIR) / "templates" / "assessment" / "quiz" / "attempt.html").read_text()
    assert html.index("{% url 'javascript-catalog' %}") < html.index("assessment/quiz.js")


def test_the_error_page_follows_the_interface_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("de"):
        german = render_to_string("500.html")
    with translation.override("en"):
        english = render_to_string("500.html")

    assert 'lang="de"' in german and "Ein Fehler ist aufgetreten" in german
    assert 'lang="en"' in english and "An error has occurred" in english


def _msgids(source: str) -> list[tuple[int, str]]:
    """The (line, msgid) pairs of the gettext calls in Python source, as makemessages reads them."""
    import ast

    singular = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
    context = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in singular:
            first = node.args[0]
            msgid = first.value if isinstance(first, ast.Constant) else None
        elif name in context and len(node.args) > 1:
            ctx, text = node.args[0], node.args[1]
            msgid = (
                f"{ctx.value}\x04{text.value}"
                if isinstance(ctx, ast.Constant) and isinstance(text, ast.Constant)
                else None
            )
        else:
            continue
        if isinstance(msgid, str) and msgid:
            found.append((node.lineno, msgid))
    return found


def _template_msgids(templatized: str) -> list[str]:
    """The msgids in ``templatize``'s output: gettext calls between placeholder text (not Python)."""
    import re

    found = []
    for match in re.finditer(r"\b(?:n?p?gettext)\(", templatized):
        rest = templatized[match.start() :].split("\n", 1)[0]
        ends = [i + 1 for i, char in enumerate(rest) if char == ")"]
        call = next((rest[:end] for end in ends if _parses(rest[:end])), None)
        assert call is not None, rest[:80]
        found += [msgid for _line, msgid in _msgids(call)]
    return found


def _parses(source: str) -> bool:
    import ast

    try:
        ast.parse(source, mode="eval")
    except SyntaxError:
        return False
    return True


def _english_msgids() -> set[str]:
    import gettext
    from pathlib import Path

    from django.conf import settings

    with (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return {key[0] if isinstance(key, tuple) else key for key in catalogue}


def test_every_translatable_string_in_the_python_code_has_an_english_translation():
    """English second, for everything marked (issue 15): a new ``_("…")`` without an entry in the
    compiled English catalogue fails here (run ``makemessages -l en``, translate, ``compilemessages``)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    known = _english_msgids()
    missing = []
    for package in ("courses", "lernplattform"):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, msgid in _msgids(path.read_text("utf-8")):
                if msgid not in known:
                    missing.append(f"{path.relative_to(root)}:{line}: {msgid[:60]}")
    assert missing == [], (len(missing), missing[:15])


def test_every_translatable_string_in_the_templates_has_an_english_translation():
    """The same for ``{% translate %}`` and ``{% blocktranslate %}`` in our templates, read as
    makemessages reads them (Django's ``templatize`` turns a template into gettext calls)."""
    from pathlib import Path

    from django.conf import settings
    from django.utils.translation.template import templatize

    root = Path(settings.BASE_DIR)
    known = _english_msgids()
    missing = []
    paths = [*root.glob("templates/**/*.html"), *root.glob("courses/**/templates/**/*.html")]
    paths += [*root.glob("lernplattform/**/templates/**/*.html"), *root.glob("templates/**/*.txt")]
    assert len(paths) > 50  # the templates are where we think they are
    for path in sorted(paths):
        for msgid in _template_msgids(templatize(path.read_text("utf-8"), origin=str(path))):
            if msgid not in known:
                missing.append(f"{path.relative_to(root)}: {msgid[:60]}")
    assert missing == [], (len(missing), missing[:15])
