"""Catalogue, course and lesson pass axe-core at desktop and 375 px and can be used with the keyboard alone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COURSE = "/kurse/datenmanagement-in-der-kommune/"
LESSON = COURSE + "open-data-dcat-ap-de-govdata/"
PAGES = ["/kurse/", "/kurse/thema/datenmanagement/?niveau=grundlagen", "/kurse/?q=Datenschutz", COURSE, LESSON]


@pytest.fixture
def site(live_server):
    from wagtail.models import Site

    from tests.factories.demo import demo_courses_seed

    demo_courses_seed(quizzes=False)  # catalogue, bank and lessons (lessons are seeded by courses.lessons)
    Site.objects.filter(is_default_site=True).update(hostname="localhost")
    return live_server.url


def test_catalog_pages_have_no_wcag_violations_and_fit_375_px(site, axe_responsive):
    axe_responsive(site, PAGES)


def test_lesson_can_be_paged_through_with_the_keyboard(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(375, 800)
    browser.get(site + LESSON)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(200):  # tab through the page until the "Weiter" link has focus
        active = browser.switch_to.active_element
        if "lesson-pager__next" in (active.get_attribute("class") or ""):
            break
        active.send_keys(Keys.TAB)
    else:
        pytest.fail("The link to the next lesson is not reachable with Tab")
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active)
    assert outline != "none", "focus is visible"
    active.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("/datenqualitaet-und-datenstrategie/")
