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


@pytest.fixture
def axe_responsive(browser, axe):
    """axe_responsive(base_url, paths): axe on every page at desktop width and at 375 px, and no sideways scrolling."""

    def check(base_url: str, paths: list[str], widths: tuple[int, ...] = (1280, 375)) -> None:
        for width in widths:
            browser.set_window_size(width, 900)
            for path in paths:
                axe(base_url + path)
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
