"""Browser harness: Django's live server, headless Debian Chromium through Selenium, and axe-core.

The browser tests are skipped (with the reason) only when Chromium is missing on a developer's
machine; .ci/run installs it and sets LERNPLATTFORM_REQUIRE_BROWSER=1, so there they must run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> Path | None:
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def _unavailable(reason: str):
    if os.environ.get("LERNPLATTFORM_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (LERNPLATTFORM_REQUIRE_BROWSER ist gesetzt)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    chromium = _chromium()
    if chromium is None or not CHROMEDRIVER.exists():
        _unavailable("Chromium fehlt: apt-get install chromium chromium-driver")
    if not AXE_JS.exists():
        _unavailable("axe-core fehlt: npm ci")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(chromium)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=de-DE")
    # Console messages (CSP violations among them) for the csp_violations fixture.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in '
    + (e.sourceFile || e.documentURI) + ':' + e.lineNumber);
});
"""


@pytest.fixture
def csp_violations(browser):
    """csp_violations() -> what the Content-Security-Policy blocked on the current page since it loaded.

    Two sources: securitypolicyviolation events of the top document (a listener installed before
    any page script runs) and Chromium's console, which also reports what frames blocked.
    """
    identifier = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    browser.get_log("browser")  # forget what earlier tests left

    def collect() -> list[str]:
        events = browser.execute_script("return window.__cspViolations || []")
        console = [
            entry["message"]
            for entry in browser.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
        ]
        return [*events, *console]

    yield collect
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", identifier)


def _format(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} – {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.fixture
def axe(browser):
    """axe(url) loads the page, runs axe-core with the WCAG 2.1 A/AA rules and fails on any violation."""
    source = AXE_JS.read_text(encoding="utf-8")

    def check(url: str) -> dict:
        browser.get(url)
        browser.execute_script(source)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify({error: String(e)})));",
            WCAG_TAGS,
        )
        violations = json.loads(result)
        if isinstance(violations, dict):
            pytest.fail(f"axe-core lief nicht auf {url}: {violations['error']}")
        if violations:
            pytest.fail(f"WCAG-2.1-A/AA-Verstöße auf {url}:\n{_format(violations)}")
        return {"url": url}

    return check


# The h1 of our 403/404/500 pages, German and English.
ERROR_HEADINGS = {
    "Seite nicht gefunden",
    "Page not found",
    "Kein Zugriff",
    "No access",
    "Ein Fehler ist aufgetreten",
    "An error has occurred",
}


@pytest.fixture
def axe_responsive(browser, axe):
    """axe_responsive(base_url, paths): axe on every page at desktop width and at 375 px, and no sideways scrolling."""

    def check(base_url: str, paths: list[str], widths: tuple[int, ...] = (1280, 375)) -> None:
        for width in widths:
            browser.set_window_size(width, 900)
            for path in paths:
                axe(base_url + path)
                # An audit of an error page would pass and prove nothing (a lesson the seed no longer made).
                heading = browser.execute_script("var h = document.querySelector('h1'); return h ? h.textContent : ''")
                assert heading.strip() not in ERROR_HEADINGS, f"{path} answered with an error page: {heading}"
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"

    return check


def login_as(browser, base_url: str, user) -> None:
    """Give the browser a session of this person (a Django test client logs in, the cookie moves over)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    browser.get(base_url + "/healthz")
    browser.delete_all_cookies()
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})


@pytest.fixture
def demo(live_server):
    """The seeded demo (seed_demo) on the live server; Wagtail serves it for localhost."""
    from io import StringIO

    from django.core.management import call_command
    from wagtail.models import Site

    call_command("seed_demo", stdout=StringIO())
    Site.objects.filter(is_default_site=True).update(hostname="localhost")
    return live_server.url


# Screenshots of each journey step at both widths, for a person to look at (CI prints the folder).
SCREENSHOTS = Path(os.environ.get("LERNPLATTFORM_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
AUDITED: set[str] = set()


def pytest_terminal_summary(terminalreporter):
    if AUDITED:
        terminalreporter.write_line(
            f"Barrierefreiheit: {len(AUDITED)} Seiten auf den Wegen mit axe-core geprüft (1280 und 375 px), "
            f"Bildschirmfotos in {SCREENSHOTS}"
        )


def _full_page_screenshot(browser, path: Path) -> None:
    """The whole page, not only the viewport (Chromium's DevTools protocol)."""
    import base64

    size = browser.execute_script(
        "return [document.documentElement.clientWidth, Math.min(document.documentElement.scrollHeight, 8000)]"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture
def audit_here(browser):
    """audit_here(step): axe on the page as it is now (no reload), at 1280 and 375 px, no sideways
    scrolling at 320 px, and a screenshot per width named after the step."""
    import re

    source = AXE_JS.read_text(encoding="utf-8")
    counter = {"n": 0}

    def check(step: str) -> None:
        counter["n"] += 1
        plain = step.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
        name = f"{counter['n']:02d}-{re.sub(r'[^a-z0-9]+', '-', plain).strip('-')}"
        folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_]+", "_", os.environ.get("PYTEST_CURRENT_TEST", "t").split(" ")[0])
        folder.mkdir(parents=True, exist_ok=True)
        outline = browser.execute_script(HEADINGS)
        assert not outline, f"{step}: {browser.current_url} has a broken heading outline: {outline}"
        try:
            for width in (1280, 375, 320):
                browser.set_window_size(width, 900)
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    culprits = ", ".join(browser.execute_script(WIDEST))
                    pytest.fail(
                        f"{step}: {browser.current_url} scrolls sideways by {overflow}px at {width}px ({culprits})"
                    )
                if width == 320:
                    continue
                browser.execute_script(source)
                result = browser.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                    ".then(r => done(JSON.stringify(r.violations)))"
                    ".catch(e => done(JSON.stringify({error: String(e)})));",
                    WCAG_TAGS,
                )
                violations = json.loads(result)
                if isinstance(violations, dict):
                    pytest.fail(f"axe-core lief nicht auf {browser.current_url}: {violations['error']}")
                _full_page_screenshot(browser, folder / f"{name}-{width}.png")
                if violations:
                    pytest.fail(f"{step}: WCAG-2.1-A/AA-Verstöße auf {browser.current_url}:\n{_format(violations)}")
        finally:
            browser.set_window_size(1280, 900)
        AUDITED.add(browser.current_url.split("?")[0])

    return check


# The innermost elements sticking out past the viewport: they name what makes a page scroll sideways.
WIDEST = """
const w = document.documentElement.clientWidth;
return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 0.5
  && !Array.from(e.children).some(c => c.getBoundingClientRect().right > w + 0.5))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
  + ' „' + (e.textContent || '').trim().slice(0, 40) + '“');
"""


# BITV 9.1.3.1 (headings): one h1, and no level skipped on the way down (h2 → h4), outside the
# inside of embedded frames. Returns what is wrong, empty when the outline is sound.
HEADINGS = """
const hs = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(h => h.getClientRects().length);
const problems = [];
const h1 = hs.filter(h => h.tagName === 'H1').length;
if (h1 !== 1) problems.push(h1 + ' h1');
let previous = 0;
for (const h of hs) {
  const level = Number(h.tagName[1]);
  const text = h.textContent.trim().slice(0, 40);
  if (previous && level > previous + 1) problems.push(h.tagName.toLowerCase() + ' „' + text + '“ after h' + previous);
  previous = level;
}
return problems;
"""


FOCUS_PROBE = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const r = el.getBoundingClientRect();
const s = getComputedStyle(el);
const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
const shadowed = s.boxShadow && s.boxShadow !== 'none';
const vh = window.innerHeight;
// Hidden behind a sticky header? The element at the focused element's centre must be it or inside it.
const cx = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
const cy = Math.min(Math.max(r.top + Math.min(r.height, 20) / 2, 0), vh - 1);
const top = document.elementFromPoint(cx, cy);
const label = el.innerText || el.value || el.getAttribute('aria-label') || el.id || '';
const byLabel = !!el.labels && [...el.labels].some(l => l.contains(top));
return {tag: el.tagName, id: el.id, text: label.trim().slice(0, 60),
        inView: r.bottom > 0 && r.top < vh && r.width > 0 && r.height > 0,
        covered: !!top && top !== el && !el.contains(top) && !top.contains(el) && !byLabel,
        visibleFocus: outlined || shadowed};
"""


def keyboard_walk(browser, *, max_tabs: int = 200) -> list[dict]:
    """Tab through the page from its top; every stop is in view, not covered, with a visible focus
    indicator; the walk leaves the page's last control (no trap). Returns the stops in order."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
    stops: list[dict] = []
    seen = 0
    for _ in range(max_tabs):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        stop = browser.execute_script(FOCUS_PROBE)
        if stop is None:
            break  # past the last control: focus left the document, so nothing trapped it
        identity = browser.execute_script(
            "const el = document.activeElement; return el.outerHTML.slice(0, 200) + '@' + "
            "Math.round(el.getBoundingClientRect().top + window.scrollY);"
        )
        if stops and identity == stops[0]["identity"]:
            break  # wrapped around to the first control
        stop["identity"] = identity
        assert stop["inView"], f"focus on {stop['tag']} „{stop['text']}“ is outside the viewport"
        assert not stop["covered"], f"focus on {stop['tag']} „{stop['text']}“ is covered by another element"
        assert stop["visibleFocus"], f"focus on {stop['tag']} „{stop['text']}“ has no visible indicator"
        stops.append(stop)
        seen += 1
    else:
        pytest.fail(f"after {max_tabs} tabs focus was still inside the page: a keyboard trap?")
    assert stops, "no control on the page can be reached with the keyboard"
    return stops
