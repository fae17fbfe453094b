"""In Chromium: the live answered counter, flags for later and the summary page before handing in (issue 15)."""

import pytest

from tests.browser.conftest import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def attempt_url(live_server):
    from wagtail.models import Site

    from courses.assessment import attempt_services as svc
    from tests.factories import pages
    from tests.factories import quiz as f
    from tests.factories.accounts import UserFactory

    Site.objects.filter(is_default_site=True).update(hostname="localhost")
    cat = f.category()
    quiz = f.quiz(pages.course(), questions=[f.truefalse(cat), f.shortanswer(cat), f.multichoice(cat)])
    learner = UserFactory()
    attempt = svc.attempt_start(quiz=quiz, user=learner)
    return live_server.url, live_server.url + quiz.url + quiz.reverse_subpage("attempt", args=[attempt.pk]), learner


def test_counter_flags_and_summary_work_in_the_browser_and_pass_axe(browser, axe, attempt_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, url, learner = attempt_url
    login_as(browser, base, learner)
    for width in (1280, 375):
        browser.set_window_size(width, 900)
        axe(url)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the attempt page scrolls sideways at {width}px"
    browser.set_window_size(1280, 900)
    browser.get(url)
    counter = browser.find_element(By.CSS_SELECTOR, "[data-answered-count]")
    assert counter.text == "0"
    browser.find_element(By.CSS_SELECTOR, "label[for='q1-ctrue']").click()
    WebDriverWait(browser, 5).until(lambda b: counter.text == "1")
    browser.find_element(By.ID, "q2-answer").send_keys("Datenschutz")
    WebDriverWait(browser, 5).until(lambda b: counter.text == "2")
    browser.find_element(By.CSS_SELECTOR, "label[for='q3-flag']").click()
    # Autosave runs in the background; "Versuch beenden …" saves the form too.
    browser.find_element(By.CSS_SELECTOR, "button[value='finish']").click()
    WebDriverWait(browser, 10).until(lambda b: "zusammenfassung" in b.current_url)
    summary_url = browser.current_url
    rows = {
        row.find_element(By.TAG_NAME, "th").text: [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "table.quiz-summary tbody tr")
    }
    assert rows["Frage 1"][0] == rows["Frage 2"][0] == "Beantwortet"
    assert rows["Frage 3"] == ["Nicht beantwortet", "Markiert"]
    warning = browser.find_element(By.CSS_SELECTOR, ".notice--warning").text
    assert "1 Frage ist nicht beantwortet" in warning and "Frage 3" in warning
    for width in (1280, 375):
        browser.set_window_size(width, 900)
        axe(summary_url)
    # Back to question 3 through its link, then hand in from the summary.
    browser.get(summary_url)
    browser.find_element(By.LINK_TEXT, "Frage 3").click()
    assert browser.current_url.endswith("#q3")
    browser.get(summary_url)
    browser.find_element(By.CSS_SELECTOR, "button[value='submit']").click()
    WebDriverWait(browser, 10).until(lambda b: "auswertung" in b.current_url)
    assert "Ihr Versuch ist abgegeben." in browser.page_source
