"""In Chromium: our pages and the Wagtail admin run under their Content-Security-Policy without a violation.

The demo is seeded once per test; every page is loaded in a real browser with a listener for
securitypolicyviolation events plus Chromium's console (which also reports blocked frame loads).
"""

import pytest

from tests.browser.conftest import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def login(browser, base_url, email):
    from lernplattform.accounts.models import User

    login_as(browser, base_url, User.objects.get(email=email))


def visit(browser, csp_violations, url, *, settle=1.0):
    import time

    browser.get(url)
    time.sleep(settle)  # deferred scripts, the H5P frame and its files
    return csp_violations()


def assert_none(problems: dict[str, list[str]]) -> None:
    found = {path: items for path, items in problems.items() if items}
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(items) for path, items in found.items())


def test_learner_pages_have_no_csp_violations(browser, csp_violations, demo):
    from courses.assessment.quiz_models import QuizPage
    from courses.catalog.models import CoursePage
    from courses.h5p.models import H5PActivityPage

    course = CoursePage.objects.live().first()
    # Lessons of a course (LessonPage may move between apps; its pages stay course children).
    lessons = list(course.get_children().live().order_by("path")[:3])
    h5p = H5PActivityPage.objects.live().first()
    quiz = QuizPage.objects.live().first()
    paths = ["/", "/kurse/", course.url, *(lesson.url for lesson in lessons), h5p.url, quiz.url, "/lernen/"]

    problems = {}
    for path in ["/konto/anmelden/", "/barriere-melden/"]:
        problems[path] = visit(browser, csp_violations, demo + path)
    login(browser, demo, "lernende@demo.lernplattform.de")
    for path in paths:
        problems[path] = visit(browser, csp_violations, demo + path, settle=2.0 if path == h5p.url else 0.5)

    # A running quiz attempt (its autosave script) - started the way a learner starts it.
    from selenium.webdriver.common.by import By

    # Any live quiz the demo learner may start or resume (earlier browser tests may have used one up).
    started = False
    for candidate in QuizPage.objects.live().order_by("path"):
        browser.get(demo + candidate.url)
        resume = browser.find_elements(By.CSS_SELECTOR, "a[href*='/versuch/']")
        buttons = browser.find_elements(
            By.CSS_SELECTOR, "form[action$='starten/'] button, form[action$='starten/'] [type=submit]"
        )
        if resume:
            resume[0].click()
        elif buttons:
            buttons[0].click()
        else:
            continue
        if "/versuch/" in browser.current_url:
            started = True
            break
    assert started, "a quiz page offers the demo learner to start or resume an attempt"
    problems["quiz attempt"] = visit(browser, csp_violations, browser.current_url)

    assert_none(problems)


def test_editor_sees_pages_with_the_userbar_without_csp_violations(browser, csp_violations, demo):
    from courses.catalog.models import CoursePage

    login(browser, demo, "trainerin@demo.lernplattform.de")
    course = CoursePage.objects.live().first()

    problems = {path: visit(browser, csp_violations, demo + path) for path in ["/kurse/", course.url]}

    assert_none(problems)


def test_wagtail_admin_runs_under_its_policy_without_violations(browser, csp_violations, demo):
    from courses.catalog.models import CoursePage
    from courses.h5p.models import H5PActivityPage

    login(browser, demo, "plattform@demo.lernplattform.de")
    course = CoursePage.objects.live().first()
    h5p = H5PActivityPage.objects.live().first()
    paths = [
        "/admin/",
        f"/admin/pages/{course.pk}/",
        f"/admin/pages/{course.pk}/edit/",
        f"/admin/pages/{h5p.pk}/edit/",
        "/admin/snippets/h5p/h5pcontent/",
        "/admin/snippets/h5p/h5pcontent/add/",
        "/admin/h5p/ergebnisse/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
    ]

    problems = {path: visit(browser, csp_violations, demo + path) for path in paths}

    assert_none(problems)
