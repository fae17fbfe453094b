"""Playing H5P: the sandboxed player iframe, the player page and the files, with their headers."""

import json
import re
import time

import pytest
from bs4 import BeautifulSoup

from courses.h5p.builder import QUIZ_LIBRARY
from tests.factories.h5p import h5p_content
from tests.factories.pages import h5p_activity_page

pytestmark = pytest.mark.django_db


def player_config(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    node = soup.find("script", id=re.compile(r"^h5p-player-"))
    return json.loads(node.string)


def test_activity_page_embeds_player_in_sandboxed_iframe(client, make_member, org_tree):
    page = h5p_activity_page()
    client.force_login(make_member(org_tree["garching"]))

    response = client.get(page.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    iframe = soup.select_one("[data-h5p-embed] iframe")
    assert iframe["sandbox"] == ["allow-scripts"]
    assert "allow-same-origin" not in str(iframe)
    assert iframe["title"] == page.content.title
    config = player_config(response.content.decode())
    assert config["frameUrl"] == f"/h5p/spieler/{page.content.pk}/"
    assert config["iri"] == f"http://testserver/h5p/aktivitaet/{page.pk}/{page.content.pk}/"
    assert config["xapiUrl"] == "/api/v1/h5p/xapi/"
    assert config["actor"]["mail"].endswith("@nutzer.lernplattform.invalid")


def test_player_config_never_contains_name_or_email(client, make_member, org_tree):
    page = h5p_activity_page()
    learner = make_member(org_tree["garching"], full_name="Erika Mustermann")
    client.force_login(learner)

    config = player_config(client.get(page.url).content.decode())

    assert "Mustermann" not in json.dumps(config)
    assert learner.email not in json.dumps(config)


def test_activity_page_query_count_is_bounded(client, make_member, org_tree, django_assert_max_num_queries):
    page = h5p_activity_page()
    client.force_login(make_member(org_tree["garching"]))
    client.get(page.url)

    with django_assert_max_num_queries(20):
        assert client.get(page.url).status_code == 200


def test_player_frame_is_served_with_sandbox_csp_and_nosniff(client):
    content = h5p_activity_page().content

    response = client.get(f"/h5p/spieler/{content.pk}/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert "/static/h5p-standalone/main.bundle.js" in html
    config = json.loads(BeautifulSoup(html, "html.parser").find(id="h5p-frame-config").string)
    assert config["h5pJsonPath"] == f"/h5p/dateien/content/{content.pk}"
    assert config["librariesPath"] == "/h5p/dateien/libraries"
    assert config["frameJs"] == "/static/h5p-standalone/frame.bundle.js"


def _policy(response) -> dict[str, list[str]]:
    return {p.split()[0]: p.split()[1:] for p in response["Content-Security-Policy"].split(";") if p.strip()}


def test_player_frame_may_send_nothing_to_another_host(client):
    """Typed answers cannot leave: fetch, images, media, fonts, forms only to the content origin."""
    content = h5p_activity_page().content

    policy = _policy(client.get(f"/h5p/spieler/{content.pk}/"))

    assert policy["default-src"] == ["'none'"]
    assert policy["connect-src"] == ["http://testserver"]
    for directive in ("script-src", "style-src", "img-src", "media-src", "font-src"):
        origins = [s for s in policy[directive] if not s.startswith("'") and s not in {"data:", "blob:"}]
        assert origins == ["http://testserver"], (directive, policy[directive])
    assert policy["form-action"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "frame-src" not in policy  # falls back to default-src 'none'


def test_player_frame_on_a_content_origin_talks_only_to_that_origin(client, settings):
    settings.H5P_CONTENT_ORIGIN = "https://h5p.lernplattform.example"
    content = h5p_activity_page().content

    policy = _policy(client.get(f"/h5p/spieler/{content.pk}/"))

    assert policy["connect-src"] == ["https://h5p.lernplattform.example"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (f"libraries/{QUIZ_LIBRARY}/quiz.js", "text/javascript"),
        (f"libraries/{QUIZ_LIBRARY}/library.json", "application/json"),
        ("content/{pk}/h5p.json", "application/json"),
        ("content/{pk}/content/content.json", "application/json"),
    ],
)
@pytest.mark.parametrize("prefix", ["/h5p/dateien/", "/media/h5p/"])
def test_every_h5p_file_is_served_with_sandbox_csp(client, path, content_type, prefix):
    content = h5p_activity_page().content

    response = client.get(prefix + path.format(pk=content.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"] == "sandbox allow-scripts"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    ["../../etc/passwd", "content/../../secret.txt", ".staging/x/h5p.json", "content/999/h5p.json", "andere/x.js"],
)
def test_h5p_file_view_serves_nothing_outside_the_h5p_store(client, path, settings):
    h5p_content()
    (settings.MEDIA_ROOT / "secret.txt").write_text("geheim")

    assert client.get("/media/h5p/" + path).status_code == 404
    assert client.get("/h5p/dateien/" + path).status_code == 404


def test_separate_content_origin_is_used_for_player_and_files(client, settings, make_member, org_tree):
    settings.H5P_CONTENT_ORIGIN = "https://h5p.lernplattform.example"
    page = h5p_activity_page()
    client.force_login(make_member(org_tree["garching"]))

    config = player_config(client.get(page.url).content.decode())
    frame = client.get(f"/h5p/spieler/{page.content.pk}/")

    assert config["frameUrl"] == f"https://h5p.lernplattform.example/h5p/spieler/{page.content.pk}/"
    assert config["frameOrigin"] == "https://h5p.lernplattform.example"
    frame_config = json.loads(BeautifulSoup(frame.content, "html.parser").find(id="h5p-frame-config").string)
    assert frame_config["h5pJsonPath"].startswith("https://h5p.lernplattform.example/h5p/dateien/content/")


def test_anonymous_visitor_sees_player_without_relay(client):
    page = h5p_activity_page()

    config = player_config(client.get(page.url).content.decode())

    assert config["actor"] is None and config["xapiUrl"] is None and config["stateUrl"] is None


def test_lesson_block_renders_the_sandboxed_player(rf, make_member, org_tree):
    from courses.h5p.blocks import H5PBlock

    page = h5p_activity_page()
    request = rf.get("/")
    request.user = make_member(org_tree["garching"])
    block = H5PBlock()

    html = block.render(
        block.to_python({"heading": "Üben", "content": page.content.pk}), {"page": page, "request": request}
    )

    soup = BeautifulSoup(html, "html.parser")
    assert soup.h2.string == "Üben"
    assert soup.select_one("iframe")["sandbox"] == ["allow-scripts"]
    assert player_config(html)["content"] == page.content.pk


def test_lesson_block_for_deleted_content_says_so(rf):
    from courses.h5p.blocks import H5PBlock

    block = H5PBlock()

    html = block.render(block.to_python({"heading": "", "content": None}), {})

    assert "nicht mehr verfügbar" in html


def test_passing_threshold_above_100_percent_is_invalid():
    from django.core.exceptions import ValidationError

    page = h5p_activity_page()
    page.passing_threshold = 101

    with pytest.raises(ValidationError, match="passing_threshold"):
        page.full_clean()


# --------------------------------------------------------------------------- files of unpublished items (low)


def content_file(content) -> str:
    return f"content/{content.pk}/content/content.json"


@pytest.mark.parametrize("prefix", ["/h5p/dateien/", "/media/h5p/"])
def test_files_of_an_item_on_no_live_page_are_not_public(client, prefix):
    content = h5p_content()

    assert client.get(prefix + content_file(content)).status_code == 404
    assert client.get(f"/h5p/spieler/{content.pk}/").status_code == 404


def test_files_of_an_item_only_on_an_unpublished_page_are_not_public(client):
    page = h5p_activity_page()
    page.unpublish()

    assert client.get("/h5p/dateien/" + content_file(page.content)).status_code == 404


def test_files_of_an_item_on_a_live_page_are_public(client):
    page = h5p_activity_page()

    assert client.get("/h5p/dateien/" + content_file(page.content)).status_code == 200
    assert client.get(f"/h5p/spieler/{page.content.pk}/").status_code == 200


def test_files_of_an_item_in_a_live_lessons_block_are_public(client):
    from tests.factories.pages import course_create, lesson_add

    content = h5p_content()
    lesson_add(course_create(lessons=0), title="Mit H5P", body=[{"type": "h5p", "value": {"content": content.pk}}])

    assert client.get("/h5p/dateien/" + content_file(content)).status_code == 200


def test_shared_libraries_stay_public(client):
    h5p_content()

    assert client.get(f"/h5p/dateien/libraries/{QUIZ_LIBRARY}/quiz.js").status_code == 200


def test_editor_previews_an_unpublished_item_through_a_signed_token(client, org_tree, make_member):
    from lernplattform.accounts.models import Membership

    page = h5p_activity_page()
    page.unpublish()
    from courses.catalog.services import course_trainer_assign

    trainer = make_member(org_tree["garching"], Membership.Role.TRAINER)
    course_trainer_assign(course=page.get_parent().specific, user=trainer)
    client.force_login(trainer)

    # Wagtail's draft view, as the editor sees the page before publishing.
    config = player_config(client.get(f"/admin/pages/{page.pk}/view_draft/").content.decode())
    assert "?vorschau=" in config["frameUrl"]

    client.logout()  # the sandboxed frame and its file requests carry no cookies
    frame = client.get(config["frameUrl"])
    assert frame.status_code == 200
    frame_config = json.loads(BeautifulSoup(frame.content, "html.parser").find(id="h5p-frame-config").string)
    assert "/vorschau/" in frame_config["h5pJsonPath"]
    response = client.get(frame_config["contentJsonPath"] + "/content.json")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox allow-scripts"
    assert response["Cache-Control"] == "private, no-store"


def test_learner_gets_no_preview_token_and_a_forged_one_is_refused(client, org_tree, make_member):
    from courses.h5p.selectors import h5p_player_config, h5p_preview_token

    page = h5p_activity_page()
    page.unpublish()
    learner = make_member(org_tree["garching"])
    other = h5p_content(title="Anderes")

    assert "vorschau" not in h5p_player_config(page=page, content=page.content, user=learner)["frameUrl"]
    stolen = h5p_preview_token(content_id=other.pk)  # a token for another item
    assert client.get(f"/h5p/dateien/vorschau/{stolen}/{content_file(page.content)}").status_code == 404
    assert client.get(f"/h5p/dateien/vorschau/kaputt/{content_file(page.content)}").status_code == 404
    assert client.get(f"/h5p/spieler/{page.content.pk}/?vorschau={stolen}").status_code == 404


def test_preview_token_expires(client, settings):
    import time_machine

    from courses.h5p.selectors import PREVIEW_TOKEN_SECONDS, h5p_preview_token

    content = h5p_content()
    token = h5p_preview_token(content_id=content.pk)
    assert client.get(f"/h5p/dateien/vorschau/{token}/{content_file(content)}").status_code == 200

    with time_machine.travel(time.time() + PREVIEW_TOKEN_SECONDS + 60):
        assert client.get(f"/h5p/dateien/vorschau/{token}/{content_file(content)}").status_code == 404
