"""An axe crawl as each demo role: every page of our own templates it can reach by links passes
WCAG 2.1 A/AA at 1280 and 375 px, and no page is wider than the viewport at 320 px (issues 15, 17).

Same-origin links only, breadth first from the role's start pages; the Wagtail admin's own pages,
logout, downloads (PDF, CSV, XLSX, ZIP), media and H5P files are not followed. Pages that differ
only by ids (a second certificate, another person) count once, so the crawl stays bounded.
"""

import json
import re
from urllib.parse import urldefrag, urlparse

import pytest

from tests.browser.conftest import AXE_JS, WCAG_TAGS, WIDEST, _format, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROLES = {
    "lernende@demo.lernplattform.de": ["/", "/lernen/", "/kurse/"],
    "trainerin@demo.lernplattform.de": ["/", "/lernen/"],
    "verwaltung@demo.lernplattform.de": ["/", "/lernen/", "/konto/verwaltung/", "/auswertungen/"],
    "plattform@demo.lernplattform.de": ["/", "/konto/verwaltung/", "/auswertungen/", "/zertifikate/verwaltung/"],
}
SKIP = re.compile(
    r"^/(admin|django-admin|media|static|h5p|api|konto/abmelden|i18n)/|"
    r"\.(pdf|csv|xlsx|zip|json)$|/(export|herunterladen|download|pdf)/?|[?&](format|export)="
)
MAX_PAGES = 45


def _shape(path: str) -> str:
    """The page's kind: ids and codes replaced, so one of each kind is audited."""
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    return re.sub(r"/[A-Z0-9]{4}(-[A-Z0-9]{4}){2,}(?=/|$)", "/CODE", path)


def _login(browser, base, email):
    from lernplattform.accounts.models import User

    login_as(browser, base, User.objects.get(email=email))


def _audit(browser, source):
    browser.execute_script(source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error',"
        " impact: 'fatal', help: String(e), helpUrl: '', nodes: []}])));",
        WCAG_TAGS,
    )
    return json.loads(result)


def _overflow(browser):
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _links(browser, base):
    hrefs = browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    host = urlparse(base).netloc
    out = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parsed = urlparse(url)
        if parsed.netloc != host or SKIP.search(parsed.path + ("?" + parsed.query if parsed.query else "")):
            continue
        out.append(parsed.path + ("?" + parsed.query if parsed.query else ""))
    return out


@pytest.mark.parametrize("email", list(ROLES))
def test_every_page_a_demo_role_reaches_passes_axe_and_fits_320_px(browser, demo, email):
    source = AXE_JS.read_text(encoding="utf-8")
    _login(browser, demo, email)
    queue, seen_shapes, audited, problems = list(ROLES[email]), set(), [], []
    while queue and len(audited) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path.split("?")[0]) + ("?" if "?" in path else "")
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        browser.set_window_size(1280, 900)
        browser.get(demo + path)
        if urlparse(browser.current_url).path.startswith("/konto/anmelden"):
            continue  # a link this role may not open; the login page itself is audited elsewhere
        audited.append(path)
        for width in (1280, 375):
            browser.set_window_size(width, 900)
            violations = _audit(browser, source)
            if violations:
                problems.append(f"{path} at {width}px:\n{_format(violations)}")
        browser.set_window_size(320, 800)
        overflow = _overflow(browser)
        if overflow > 0:
            culprits = ", ".join(browser.execute_script(WIDEST))
            problems.append(f"{path} scrolls sideways by {overflow}px at 320px ({culprits})")
        browser.set_window_size(1280, 900)
        queue.extend(link for link in _links(browser, demo) if link not in audited)
    assert len(audited) >= 8, audited  # the crawl really went through the pages of the role
    assert not problems, f"{len(problems)} problems on {len(audited)} pages as {email}:\n" + "\n".join(problems)
