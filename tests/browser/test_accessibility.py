"""Home, login, registration and the legal pages pass axe-core (WCAG 2.1 A/AA) at desktop and 375 px."""

from io import StringIO

import pytest

# serialized_rollback: the flush after a transactional test would otherwise take the home page
# (made by a data migration) with it, for every test that follows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/",
    "/konto/anmelden/",
    "/konto/registrieren/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/gebaerdensprache/",
    "/barriere-melden/",
]


@pytest.fixture
def site(live_server):
    from wagtail.models import Site

    from lernplattform.accounts.demo import organisations_seed
    from lernplattform.portal import demo

    organisations_seed()
    demo.seed(stdout=StringIO())
    # Wagtail serves the site whose host matches; the live server runs on localhost:<port>.
    Site.objects.filter(is_default_site=True).update(hostname="localhost")
    return live_server.url


def test_public_pages_have_no_wcag_violations_on_desktop_and_at_375_px(site, axe_responsive):
    axe_responsive(site, PAGES)


def test_skip_link_is_the_first_stop_and_becomes_visible_with_focus(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(375, 800)
    browser.get(site + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("href").endswith("#main")
    assert active.rect["y"] >= 0, "the focused skip link is on screen"
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active)
    assert outline != "none", "focus is visible"


def test_harness_fails_on_a_violation(browser, axe):
    """The check can fail: an image without alternative text and an unlabelled input are reported."""
    page = "data:text/html;charset=utf-8,<html><head><title>x</title></head><body><img src=a.png><input></body></html>"
    with pytest.raises(pytest.fail.Exception, match=r"image-alt|label"):
        axe(page)
