"""The whole journey in Chromium, as the demo people would take it (issue 17).

The platform is served by Django's live server on the test database (PostgreSQL in .ci/run's
second run); where a broker is configured (CELERY_BROKER_URL) a real Celery worker takes the
tasks from it, otherwise they run eagerly as on the embedded default. Every page a journey passes
is audited with axe-core at 1280 and 375 px, checked for sideways scrolling at 320 px and
photographed (``audit_here``); lesson and quiz are walked with the keyboard alone.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time

import pytest

from tests.browser.conftest import keyboard_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEARNER = "lernende@demo.lernplattform.de"
COURSE = "/kurse/standards-und-interoperabilitaet/"
GERMAN_DATE = re.compile(
    r"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}\b"
)


@contextlib.contextmanager
def tasks_through_a_real_worker():
    """With a broker configured: a real worker (solo pool, own thread) takes the tasks from it."""
    if not os.environ.get("CELERY_BROKER_URL"):
        yield
        return
    from celery.contrib.testing.worker import start_worker

    from lernplattform.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = eager


def wait_for(condition, *, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def _model(name: str):
    """The question bank's models, wherever the app layout keeps them."""
    from django.apps import apps

    for label in ("questions", "assessment"):
        with contextlib.suppress(LookupError):
            return apps.get_model(label, name)
    raise LookupError(name)


def login_with_form(browser, base: str, email: str, *, login_path: str = "/konto/anmelden/") -> None:
    """Log in with the demo password through a login form: ours, or the Wagtail admin's."""
    from selenium.webdriver.common.by import By

    from lernplattform.accounts.demo import DEMO_PASSWORD

    browser.delete_all_cookies()
    browser.get(base + login_path)
    browser.find_element(By.ID, "id_username").send_keys(email)
    password = browser.find_element(By.ID, "id_password")
    password.send_keys(DEMO_PASSWORD)
    password.find_element(By.XPATH, "ancestor::form//button[@type='submit']").click()
    wait_for(lambda: login_path not in browser.current_url, what="the login to go through")


def submit_form(browser, action_part: str) -> None:
    """Click the submit button of the form whose action contains action_part, and wait until the
    browser has left the page: a POST that redirects back to the same address (enrolling on the
    course page) would otherwise let the next check read the old page (a flaky "eingeschrieben")."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    form = browser.find_element(By.CSS_SELECTOR, f"main form[action*='{action_part}']")
    button = form.find_element(By.CSS_SELECTOR, "button[type='submit'], button:not([type])")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    old_page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, 60).until(expected_conditions.staleness_of(old_page))


# What the demo learner knows about the demo bank of "Standards und Interoperabilität"
# (content/demo/fragen/standards.gift and .xml): a distinctive part of the question -> the answer.
def _choose(fieldset, label: str) -> None:
    from selenium.webdriver.common.by import By

    for candidate in fieldset.find_elements(By.CSS_SELECTOR, ".choice label, label"):
        if candidate.text.strip() == label:
            candidate.click()
            return
    pytest.fail(f"no choice „{label}“ in: {fieldset.text[:200]}")


def _select(select_element, text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(select_element).select_by_visible_text(text)


def answer(fieldset, *, wrong: bool) -> bool:
    """Answer one question as the learner would; returns True if it was answered wrongly on purpose."""
    from selenium.webdriver.common.by import By

    text = " ".join(fieldset.text.split())
    if "Wofür steht die Abkürzung XÖV" in text:
        _choose(fieldset, "Externe öffentliche Vergabe" if wrong else "XML in der öffentlichen Verwaltung")
        return wrong
    if "XRechnung ist der Standard" in text or "Minimal Interoperability Mechanisms" in text:
        _choose(fieldset, "Falsch" if wrong else "Wahr")
        return wrong
    if "Ordnen Sie die XÖV-Standards" in text:
        pairs = {
            "XMeld": "Meldewesen",
            "XPersonenstand": "Personenstandswesen",
            "XBau": "Baugenehmigungsverfahren",
            "XRechnung": "elektronische Rechnungen an öffentliche Auftraggeber",
        }
        for row in fieldset.find_elements(By.CSS_SELECTOR, ".match-row"):
            _select(row.find_element(By.TAG_NAME, "select"), pairs[row.find_element(By.TAG_NAME, "label").text])
        return False
    if "Onlinezugangsgesetz" in text:
        fieldset.find_element(By.CSS_SELECTOR, "input[type='text']").send_keys("2017")
        return False
    if "Schnittstelle für Kontextdaten" in text and "FIWARE-Komponenten tauschen" not in text:
        fieldset.find_element(By.CSS_SELECTOR, "input[type='text']").send_keys("NGSI-LD")
        return False
    if "DIN SPEC 91357" in text:
        select = fieldset.find_elements(By.TAG_NAME, "select")
        if select:
            _select(select[0], "offene urbane Plattformen")
        else:
            _choose(fieldset, "offene urbane Plattformen")
        return False
    if "Kennzahlen für Städte und Gemeinden" in text:
        _choose(fieldset, "ISO 37120")
        _choose(fieldset, "ISO 37122")
        return False
    if "FIWARE-Komponenten tauschen" in text:
        gaps = fieldset.find_elements(By.CSS_SELECTOR, "input[type='text'], select")
        gaps[0].send_keys("NGSI-LD")
        _select(gaps[1], "XÖV-Standards")
        gaps[2].send_keys("37122")
        return False
    pytest.fail(f"the journey does not know this demo question: {text[:200]}")


def practise_with_the_keyboard(browser, audit_here) -> None:
    """Answer the lesson's practice question with the keyboard alone: wrong first (the German
    feedback says why), then right. The question is the demo bank's practice question
    "Ebenen der Interoperabilität" (content/demo/fragen/uebungen.gift); its choices are shuffled."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    form = browser.find_element(By.CSS_SELECTOR, "form[data-practice]")
    assert "Codeliste anders" in form.text
    result = form.find_element(By.CSS_SELECTOR, "[data-practice-result]")
    assert result.get_attribute("role") == "status"

    def focused():
        return browser.switch_to.active_element

    def label_of(radio) -> str:
        return browser.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']").text.strip()

    browser.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
    for _ in range(200):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if focused().get_attribute("type") == "radio" and form.find_elements(By.ID, focused().get_attribute("id")):
            break
    else:
        pytest.fail("Tab never reached the practice question's choices")
    radios = len(form.find_elements(By.CSS_SELECTOR, "input[type='radio']"))

    def choose_and_check(wanted: str) -> None:
        # Arrow keys move through the radio group and select as they go.
        for _ in range(radios):
            if focused().get_attribute("type") == "radio" and label_of(focused()) == wanted:
                break
            ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
        else:
            pytest.fail(f"the arrow keys never reached „{wanted}“")
        if not focused().is_selected():
            ActionChains(browser).send_keys(Keys.SPACE).perform()
        assert focused().is_selected() and label_of(focused()) == wanted
        ActionChains(browser).send_keys(Keys.TAB).perform()
        button = focused()
        assert button.tag_name == "button" and button.text == "Antwort prüfen", button.text
        button.send_keys(Keys.ENTER)

    choose_and_check("Technische Ebene")
    wait_for(lambda: "Leider nicht richtig." in result.text, what="the practice feedback for a wrong answer")
    assert "Die Nachrichten kommen ja an" in result.text and "Richtige Antwort:" in result.text
    audit_here("Lektion: Übungsfrage falsch beantwortet")
    # Back to the choices with Shift+Tab, then the right answer.
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    choose_and_check("Semantische Ebene")
    wait_for(lambda: "Richtig!" in result.text, what="the practice feedback for the right answer")
    assert "gemeinsame Codeliste" in result.text
    audit_here("Lektion: Übungsfrage richtig beantwortet")


def lesson_links(browser, base: str) -> list[str]:
    """The lessons of the open course page, in outline order (the final test and the course left out)."""
    from selenium.webdriver.common.by import By

    hrefs = [
        a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, f"main a[href^='{COURSE}']")
        if "abschlusstest" not in a.get_attribute("href")
    ]
    return list(dict.fromkeys(href for href in hrefs if href.rstrip("/") != (base + COURSE).rstrip("/")))


def hand_in_the_final_test(browser, base: str, audit_here, *, wrong_once: bool) -> None:
    """Start the final test, answer all 8 questions (one wrong on purpose if asked), flag the last,
    check the live counter and the summary, hand in, and see "bestanden"."""
    from selenium.webdriver.common.by import By

    browser.get(base + COURSE + "abschlusstest/")
    audit_here("Abschlusstest: Start")
    submit_form(browser, "/starten/")
    wait_for(lambda: "/versuch/" in browser.current_url, what="the attempt page")
    audit_here("Abschlusstest: Fragen")
    keyboard_walk(browser)
    wrong_given = False
    questions = browser.find_elements(By.CSS_SELECTOR, "fieldset.question")
    assert len(questions) == 8
    for fieldset in questions:
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", fieldset)
        wrong_given |= answer(fieldset, wrong=wrong_once and not wrong_given and "Wahr" in fieldset.text)
    assert wrong_given or not wrong_once or any("XÖV" in q.text for q in questions)
    questions[-1].find_element(By.CSS_SELECTOR, "label[for$='-flag']").click()
    counter = browser.find_element(By.CSS_SELECTOR, "[data-answered-count]")
    wait_for(lambda: counter.text == "8", what="the live counter to reach 8")
    browser.find_element(By.CSS_SELECTOR, "button[value='finish']").click()
    wait_for(lambda: "zusammenfassung" in browser.current_url, what="the summary page")
    states = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.quiz-summary tbody tr td:first-of-type")]
    assert states == ["Beantwortet"] * 8, states
    assert "Markiert" in browser.find_element(By.CSS_SELECTOR, "table.quiz-summary").text
    audit_here("Abschlusstest: Zusammenfassung")
    browser.find_element(By.CSS_SELECTOR, "button[value='submit']").click()
    wait_for(lambda: "auswertung" in browser.current_url, what="the review page")
    assert "Ihr Versuch ist abgegeben." in browser.page_source
    assert "bestanden" in browser.page_source.lower()
    audit_here("Abschlusstest: Auswertung")


def test_the_demo_learner_finds_learns_passes_gets_and_verifies_her_certificate(browser, demo, audit_here):
    import pypdfium2
    import requests
    import zxingcpp
    from django.core import mail
    from pypdf import PdfReader
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from courses.certificates.models import Certificate
    from lernplattform.accounts.models import User

    base = demo
    learner = User.objects.get(email=LEARNER)
    # The bank's essay would wait for a trainer's grading; this journey hands in a test graded at once
    # (the grading queue has its own tests), so the trainer took the essay out of the bank.
    _model("Question").objects.filter(current_version__qtype="essay").update(is_archived=True)
    mail.outbox.clear()

    with tasks_through_a_real_worker():
        # Log in with the form; she lands on "Meine Kurse".
        login_with_form(browser, base, LEARNER)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Meine Kurse"
        audit_here("Meine Kurse nach der Anmeldung")

        # Search the catalogue for a German word form and open the course from the results.
        browser.get(base + "/kurse/")
        search = browser.find_element(By.ID, "catalog-q")
        search.send_keys("Interoperabilität", Keys.ENTER)
        wait_for(lambda: "q=" in browser.current_url, what="the search results")
        audit_here("Katalogsuche")
        browser.find_element(By.CSS_SELECTOR, f"main a[href='{COURSE}']").click()
        audit_here("Kursseite vor der Einschreibung")

        # Enrol.
        submit_form(browser, "/einschreiben/")
        wait_for(lambda: browser.current_url.endswith(COURSE), what="the course page after enrolling")
        assert "eingeschrieben" in browser.page_source.lower()
        audit_here("Kursseite nach der Einschreibung")
        lessons = lesson_links(browser, base)
        assert len(lessons) == 5, lessons

        # Read every lesson and mark it done; the first one with the keyboard alone.
        for number, url in enumerate(lessons):
            browser.get(url)
            if number == 0:
                audit_here("Lektion")
                stops = keyboard_walk(browser)
                assert stops[0]["text"].startswith("Zum Inhalt"), stops[0]  # the skip link comes first
                done = [s for s in stops if s["tag"] == "BUTTON" and "erledigt" in s["text"].lower()]
                assert done, [s["text"] for s in stops]
                assert any(s["tag"] == "BUTTON" and s["text"] == "Antwort prüfen" for s in stops), stops
                # The lesson's practice question, wrong first and then right, with the keyboard alone.
                practise_with_the_keyboard(browser, audit_here)
                # Focus the button by tabbing, then press Enter: the keyboard completes the lesson.
                browser.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
                for _ in range(len(stops)):
                    ActionChains(browser).send_keys(Keys.TAB).perform()
                    focused = browser.switch_to.active_element
                    if focused.tag_name == "button" and "erledigt" in focused.text.lower():
                        focused.send_keys(Keys.ENTER)
                        break
                else:
                    pytest.fail("Tab never reached the button that marks the lesson done")
            else:
                submit_form(browser, "/erledigt/")
            wait_for(lambda: "Diese Lektion ist erledigt." in browser.page_source, what="the lesson to be done")

        # The final test: one answer wrong on purpose, one question flagged, the summary, then hand in.
        hand_in_the_final_test(browser, base, audit_here, wrong_once=True)

        # The certificate is issued (by the worker where there is one) and the e-mail delivered.
        certificate = wait_for(
            lambda: Certificate.objects.filter(
                user=learner, course__url_path__endswith="standards-und-interoperabilitaet/"
            ).first(),
            what="the certificate to be issued",
        )
        issued = wait_for(
            lambda: [m for m in mail.outbox if m.to == [LEARNER] and "Zertifikat" in m.subject],
            what="the certificate e-mail",
        )
        assert len(issued) == 1 and certificate.snapshot["verify_url"] in issued[0].body

    # Meine Kurse shows it; "Meine Zertifikate" offers the PDF.
    browser.get(base + "/lernen/")
    assert certificate.number in browser.page_source
    audit_here("Meine Kurse mit Zertifikat")
    browser.get(base + "/zertifikate/meine/")
    audit_here("Meine Zertifikate")
    link = browser.find_element(By.CSS_SELECTOR, f"main a[href$='/zertifikate/{certificate.pk}/pdf/']")
    session = requests.Session()
    for cookie in browser.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    response = session.get(link.get_attribute("href"), timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert GERMAN_DATE.search(text) and certificate.number in text and "Lena Lernwillig" in text

    # The QR code, read from a rendering of the PDF, leads to the public page: "gültig".
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [certificate.snapshot["verify_url"]]
    browser.delete_all_cookies()
    browser.get(base + "/" + decoded[0].split("://", 1)[1].split("/", 1)[1])
    page = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
    assert "gültig" in page and "Lena Lernwillig" in page and certificate.number in page
    audit_here("Öffentliche Prüfseite")


KREIS_ADMIN = "verwaltung@demo.lernplattform.de"  # Oskar Ortmann, Landkreis München (091840000000)
BULK_COURSE = "Datenmanagement in der Kommune: Datenschutz, Governance und offene Daten"


def _session_of(browser):
    import requests

    session = requests.Session()
    for cookie in browser.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    return session


def test_the_kreis_admin_enrols_from_a_csv_with_bad_lines_and_reads_and_exports_the_kreis_report(
    browser, demo, audit_here, tmp_path
):
    import openpyxl
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from courses.catalog.models import CoursePage
    from courses.progress.models import Enrolment
    from lernplattform.accounts.models import Invitation, User

    base = demo
    course = CoursePage.objects.get(title=BULK_COURSE)
    colleague = User.objects.get(email="kollege.garching@demo.lernplattform.de")
    Enrolment.objects.filter(user=colleague, course=course).delete()
    # As Excel writes it ("CSV UTF-8"): BOM, ";", a header, and the mistakes people make.
    csv_file = tmp_path / "schulung-datenschutz.csv"
    csv_file.write_text(
        "E-Mail;Name;Regionalschlüssel\n"
        "kollege.garching@demo.lernplattform.de;Konrad Kollmann;091840119119\n"  # 2: has an account
        "nina.neu@taufkirchen.example;Nina Neu;091840145145\n"  # 3: new, gets an invitation
        "keine-adresse;Karl Kaputt;091840145145\n"  # 4: no e-mail address
        "wegeleben@demo.lernplattform.de;Werner Wegner;150855051365\n"  # 5: Sachsen-Anhalt, outside
        "kollege.garching@demo.lernplattform.de;Konrad Kollmann;091840119119\n",  # 6: duplicate of 2
        encoding="utf-8-sig",
    )

    with tasks_through_a_real_worker():
        login_with_form(browser, base, KREIS_ADMIN)
        browser.get(base + "/lernen/verwaltung/sammeleinschreibung/")
        audit_here("Sammeleinschreibung: Hochladen")
        stops = keyboard_walk(browser)
        # The form's fields come in reading order: what, by when, where, which file.
        wanted = ["id_target", "id_due_date", "id_default_organisation", "id_file"]
        # (Chromium stops on day, month and year of the date field and its calendar button: one field.)
        order = [s["id"] for s in stops if s["id"] in wanted]
        assert list(dict.fromkeys(order)) == wanted and order == sorted(order, key=wanted.index), order
        Select(browser.find_element(By.ID, "id_target")).select_by_visible_text(BULK_COURSE)
        file_input = browser.find_element(By.ID, "id_file")
        file_input.send_keys(str(csv_file))
        file_input.find_element(By.XPATH, "ancestor::form//button[@type='submit' or not(@type)]").click()
        wait_for(lambda: re.search(r"/sammeleinschreibung/\d+/$", browser.current_url), what="the upload's page")
        detail = browser.current_url

        def report_ready():
            browser.get(detail)
            return "Ergebnis der Prüfung" in browser.page_source

        wait_for(report_ready, timeout=60, what="the validation report")
        main = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
        assert "5 Zeilen gelesen" in main and "2 gültige Zeilen" in main and "3 Zeilen mit Fehlern" in main, main
        rows = {
            row.find_element(By.TAG_NAME, "th").text: row.text
            for row in browser.find_elements(By.CSS_SELECTOR, "main table.data-table tbody tr")
        }
        assert set(rows) == {"4", "5", "6"}, rows
        assert "E-Mail" in rows["4"] and "Zeile 2" in rows["6"], rows
        assert "Bereich" in rows["5"] or "Zuständigkeit" in rows["5"], rows["5"]
        audit_here("Sammeleinschreibung: Prüfbericht")
        # On a phone every line is a card: the reason reads without scrolling the table sideways.
        browser.set_window_size(375, 900)
        try:
            wrap = browser.find_element(By.CSS_SELECTOR, "main .table-wrap")
            hidden = browser.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth", wrap)
            assert hidden <= 0, f"the report's table hides {hidden}px behind sideways scrolling at 375 px"
            reason = browser.find_element(By.XPATH, "//main//table//tr[th[normalize-space()='5']]/td[last()]")
            right = browser.execute_script("return arguments[0].getBoundingClientRect().right", reason)
            assert right <= browser.execute_script("return document.documentElement.clientWidth"), right
        finally:
            browser.set_window_size(1280, 900)
        keyboard_walk(browser)
        submit_form(browser, "/bestaetigen/")

        def imported():
            browser.get(detail)
            return "Person mit Konto eingeschrieben" in browser.page_source

        wait_for(imported, timeout=60, what="the import to finish")
        assert "1 Person mit Konto eingeschrieben" in browser.page_source
        assert "1 neue Person eingeladen" in browser.page_source
        audit_here("Sammeleinschreibung: eingeschrieben")
    assert Enrolment.objects.filter(user=colleague, course=course).exists()
    assert Invitation.objects.filter(email__iexact="nina.neu@taufkirchen.example").exists()
    assert not Enrolment.objects.filter(user__email="wegeleben@demo.lernplattform.de", course=course).exists()

    # The Kreis report: the admin starts at her own level and drills down to Garching.
    browser.get(base + "/auswertungen/")
    wait_for(lambda: "/auswertungen/organisation/" in browser.current_url, what="the Kreis report")
    assert "Landkreis München" in browser.find_element(By.TAG_NAME, "h1").text
    audit_here("Bericht: Landkreis")
    garching = browser.find_element(By.XPATH, "//section[@aria-labelledby='drill-title']//a[contains(., 'Garching')]")
    garching.click()
    wait_for(lambda: "Garching" in browser.find_element(By.TAG_NAME, "h1").text, what="Garching's report")
    crumbs = browser.find_element(By.CSS_SELECTOR, "main nav.breadcrumb").text
    assert "Landkreis München" in crumbs, crumbs
    audit_here("Bericht: Gemeinde")

    # Back up and export the Kreis figures as XLSX through the page's own link.
    browser.back()
    link = browser.find_element(By.XPATH, "//main//a[contains(., 'XLSX')]")
    response = _session_of(browser).get(link.get_attribute("href"), timeout=60)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("Garching" in str(name) for name in names) and any("Taufkirchen" in str(name) for name in names), names
    assert not any("Wegeleben" in str(name) for name in names)


RENEWING = "kollege.garching@demo.lernplattform.de"  # Konrad Kollmann: his demo certificate has expired


def test_the_learner_with_an_expired_certificate_is_enrolled_again_and_renews_it(browser, demo, audit_here):
    from django.core import mail
    from selenium.webdriver.common.by import By

    from courses.certificates import tasks as certificate_tasks
    from courses.certificates.models import Certificate
    from courses.progress.models import Enrolment
    from lernplattform.accounts.models import User

    base = demo
    konrad = User.objects.get(email=RENEWING)
    old = Certificate.objects.get(user=konrad, course__url_path__endswith="standards-und-interoperabilitaet/")
    assert old.status_label.lower().startswith("abgelaufen"), old.status_label
    _model("Question").objects.filter(current_version__qtype="essay").update(is_archived=True)
    mail.outbox.clear()

    with tasks_through_a_real_worker():
        # The nightly job (Celery beat) opens the renewal: Konrad is enrolled for a new cycle.
        certificate_tasks.certifications_run.delay()
        enrolment = wait_for(
            lambda: Enrolment.objects.filter(user=konrad, course=old.course, cycle__gt=1).first(),
            what="the renewal enrolment",
        )

        login_with_form(browser, base, RENEWING)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Meine Kurse"
        assert "Standards und Interoperabilität" in browser.find_element(By.TAG_NAME, "main").text
        audit_here("Meine Kurse im neuen Zyklus")
        browser.get(base + "/zertifikate/meine/")
        mine = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
        assert old.number in mine and "abgelaufen" in mine.lower(), mine
        audit_here("Meine Zertifikate: abgelaufen")

        # The course starts afresh in the new cycle: nothing of the first one counts as done.
        browser.get(base + COURSE)
        audit_here("Kursseite im neuen Zyklus")
        lessons = lesson_links(browser, base)
        assert len(lessons) == 5, lessons
        for url in lessons:
            browser.get(url)
            assert "Diese Lektion ist erledigt." not in browser.page_source
            submit_form(browser, "/erledigt/")
            wait_for(lambda: "Diese Lektion ist erledigt." in browser.page_source, what="the lesson to be done")
        hand_in_the_final_test(browser, base, audit_here, wrong_once=False)

        new = wait_for(
            lambda: Certificate.objects.filter(user=konrad, renews=old).first(), what="the renewed certificate"
        )
        wait_for(
            lambda: [m for m in mail.outbox if m.to == [RENEWING] and new.snapshot["verify_url"] in m.body],
            what="the e-mail of the renewed certificate",
        )
    assert new.number != old.number and enrolment.cycle > 1

    # The public pages tell the chain: the old one points to the new, the new one continues the old.
    browser.delete_all_cookies()
    browser.get(base + "/zertifikate/pruefen/" + old.code + "/")
    page = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
    assert "abgelaufen" in page.lower() and new.number in page, page
    audit_here("Prüfseite: abgelaufen, verlängert")
    browser.find_element(By.XPATH, f"//main//a[contains(., '{new.number}')]").click()
    page = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
    assert "gültig" in page and "Setzt fort:" in page and old.number in page, page
    audit_here("Prüfseite: neues Zertifikat")


TRAINER = "trainerin@demo.lernplattform.de"  # Tanja Trainer
REVIEWER = "redaktion@demo.lernplattform.de"  # Rainer Redlich, approves in the review workflow


def test_a_trainer_edits_a_lesson_in_the_wagtail_admin_and_the_reviewer_publishes_it(browser, demo, audit_here):
    from selenium.webdriver.common.by import By

    from courses.lessons.models import LessonPage

    base = demo
    lesson = LessonPage.objects.get(slug="interoperabilitaet-verstehen")
    old_title, new_title = lesson.title, lesson.title + " (überarbeitet)"
    public = base + "/" + lesson.get_url_parts()[2].lstrip("/")

    login_with_form(browser, base, TRAINER, login_path="/admin/login/")
    browser.get(f"{base}/admin/pages/{lesson.pk}/edit/")
    title = browser.find_element(By.ID, "id_title")
    title.clear()
    title.send_keys(new_title)
    # "Zur Freigabe einreichen" sits in the save button's menu.
    submit = browser.find_element(By.CSS_SELECTOR, "button[name='action-submit']")
    browser.execute_script("arguments[0].click();", submit)
    wait_for(
        lambda: f"/admin/pages/{lesson.pk}/edit/" not in browser.current_url or "eingereicht" in browser.page_source,
        what="the submission",
    )
    lesson.refresh_from_db()
    state = lesson.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    assert lesson.title == old_title  # still the published version until approved

    # The learner still reads the published lesson.
    login_with_form(browser, base, LEARNER)
    browser.get(public)
    assert browser.find_element(By.TAG_NAME, "h1").text == old_title

    login_with_form(browser, base, REVIEWER, login_path="/admin/login/")
    browser.get(f"{base}/admin/pages/{lesson.pk}/edit/")
    approve = browser.find_element(By.XPATH, "//button[normalize-space()='Freigeben und Veröffentlichen']")
    browser.execute_script("arguments[0].click();", approve)

    def published():
        lesson.refresh_from_db()
        return lesson.live and lesson.title == new_title and not lesson.has_unpublished_changes

    wait_for(published, what="the approval to publish the lesson")
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED

    # The learner sees the new version at once (no cache keeps the old one).
    login_with_form(browser, base, LEARNER)
    browser.get(public)
    assert browser.find_element(By.TAG_NAME, "h1").text == new_title
    audit_here("Lektion nach der Freigabe")


H5P_COURSE = "/kurse/datenmanagement-in-der-kommune/"
H5P_ACTIVITY = H5P_COURSE + "quiz-datenschutz-im-alltag/"


def test_the_demo_learner_plays_the_h5p_quiz_and_the_course_counts_it(browser, demo, audit_here):
    from selenium.webdriver.common.by import By

    from courses.h5p.demo_files import load_activities
    from courses.h5p.models import H5PResult
    from lernplattform.accounts.models import User

    base = demo
    learner = User.objects.get(email=LEARNER)
    # The questions as the trainer wrote them in content/demo/ (the package is built from that file).
    (source,) = [item for item in load_activities() if item.slug == "quiz-datenschutz-im-alltag"]
    questions = source.content["questions"]
    with tasks_through_a_real_worker():
        login_with_form(browser, base, LEARNER)
        browser.get(base + H5P_COURSE)
        if browser.find_elements(By.CSS_SELECTOR, "main form[action*='/einschreiben/']"):
            submit_form(browser, "/einschreiben/")
            wait_for(lambda: browser.current_url.endswith(H5P_COURSE), what="the course page after enrolling")
        browser.get(base + H5P_ACTIVITY)
        audit_here("H5P-Aktivität")

        # Inside the sandboxed player: native radio groups; pick every right answer, then check.
        frame = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-h5p-embed] iframe"), what="the player")
        wait_for(lambda: frame[0].get_attribute("src"), what="the player's address")
        browser.switch_to.frame(frame[0])
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".lp-quiz input[type=radio]"), what="the questions")
        right = {answer["text"] for question in questions for answer in question["answers"] if answer["correct"]}
        labels = [label for label in browser.find_elements(By.CSS_SELECTOR, ".lp-quiz label") if label.text in right]
        assert len(labels) == len(questions), [label.text for label in labels]
        for label in labels:
            label.click()
        browser.find_element(By.CSS_SELECTOR, ".lp-quiz-check").click()
        wait_for(
            lambda: "3 von 3 Punkten" in browser.find_element(By.CSS_SELECTOR, ".lp-quiz-result").text,
            what="the score in the player",
        )
        browser.switch_to.default_content()
        result = wait_for(
            lambda: H5PResult.objects.filter(user=learner, page__slug="quiz-datenschutz-im-alltag").first(),
            what="the result to be recorded",
        )
        assert (result.score, result.max_score, result.passed) == (3, 3, True)

    # The course page counts the activity as done.
    browser.get(base + H5P_COURSE)
    item = browser.find_element(
        By.XPATH, f"//main//ol[contains(@class, 'outline')]/li[a[contains(@href, '{H5P_ACTIVITY}')]]"
    )
    assert "erledigt" in " ".join(item.text.split()), item.text
    audit_here("Kursseite mit erledigter H5P-Aktivität")
