"""The bank's REST API, for trainers and platform admins only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from courses.assessment.formats import ir, read_moodle_xml
from courses.assessment.models import Question
from courses.assessment.services import category_create
from lernplattform.accounts.models import Membership
from tests.factories.assessment import make_question, multichoice_content

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def trainer(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.TRAINER)


@pytest.fixture
def api(trainer):
    client = APIClient()
    client.force_authenticate(trainer)
    return client


def test_learners_and_org_admins_get_no_access(org_tree, make_member):
    for role in (Membership.Role.LEARNER, Membership.Role.ORG_ADMIN):
        client = APIClient()
        client.force_authenticate(make_member(org_tree["garching"], role))
        assert client.get("/api/v1/questions/").status_code == 403
        assert client.get("/api/v1/question-categories/").status_code == 403


def test_platform_admin_has_access(platform_admin):
    client = APIClient()
    client.force_authenticate(platform_admin)
    assert client.get("/api/v1/questions/").status_code == 200


def test_create_and_update_makes_versions(api):
    category = category_create(name="API")
    content = ir.question_to_dict(multichoice_content())
    created = api.post(
        "/api/v1/questions/", {"category": category.pk, "content": content, "tags": ["Neu"]}, format="json"
    )
    assert created.status_code == 201, created.content
    qid = created.json()["id"]
    assert created.json()["current_version"]["number"] == 1
    content["name"] = "Geändert"
    updated = api.put(f"/api/v1/questions/{qid}/", {"category": category.pk, "content": content}, format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["current_version"]["number"] == 2
    versions = api.get(f"/api/v1/questions/{qid}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert updated.json()["tags"] == ["Neu"]


def test_invalid_content_is_refused(api):
    category = category_create(name="API")
    response = api.post(
        "/api/v1/questions/", {"category": category.pk, "content": {"qtype": "zauberei"}}, format="json"
    )
    assert response.status_code == 400


def test_list_filters_and_preview_hides_answers(api):
    question = make_question(tags=["DSGVO"])
    make_question(content=multichoice_content(name="Anderes"))
    listed = api.get("/api/v1/questions/", {"tag": "DSGVO"}).json()["results"]
    assert [q["id"] for q in listed] == [question.pk]
    preview = api.get(f"/api/v1/questions/{question.pk}/preview/").json()
    assert preview["type"] == "multichoice"
    assert "fraction" not in str(preview) and "Richtig." not in str(preview)
    assert {c["html"] for c in preview["choices"]} == {"<p>Berlin</p>", "<p>Bonn</p>"} or len(preview["choices"]) == 2


def test_import_dry_run_then_import_and_export(api, django_capture_on_commit_callbacks):
    category = category_create(name="Ziel")
    payload = lambda **extra: {  # noqa: E731
        "file": SimpleUploadedFile("f.xml", (DATA / "moodle_export.xml").read_bytes()),
        "file_format": "moodlexml",
        "category": category.pk,
        **extra,
    }
    dry = api.post("/api/v1/questions/import/", payload(dry_run=True), format="multipart")
    assert dry.status_code == 200
    assert len(dry.json()["questions"]) == 10
    assert [u["type"] for u in dry.json()["unsupported"]] == ["calculated", "ddwtos"]
    assert Question.objects.count() == 0

    refused = api.post("/api/v1/questions/import/", payload(), format="multipart")
    assert refused.status_code == 400
    assert len(refused.json()["unsupported"]) == 2

    with django_capture_on_commit_callbacks(execute=True):
        done = api.post("/api/v1/questions/import/", payload(skip_unsupported=True), format="multipart")
    assert done.status_code == 202
    job = api.get(f"/api/v1/question-imports/{done.json()['id']}/").json()
    assert job["status"] == "done"
    assert job["report"]["created"] == 10
    assert [s["name"] for s in job["report"]["skipped"]] == ["Bußgeld berechnen", "Begriffe ziehen"]

    exported = api.get("/api/v1/questions/export/", {"category": category.pk, "file_format": "moodlexml"})
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment;")
    assert len(read_moodle_xml(exported.content).questions) == 10


def test_broken_import_reports_line(api):
    category = category_create(name="Ziel")
    response = api.post(
        "/api/v1/questions/import/",
        {"file": SimpleUploadedFile("f.gift", b"::A::{=a\n"), "file_format": "gift", "category": category.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["line"] == 1


def test_list_costs_a_bounded_number_of_queries(api, django_assert_max_num_queries):
    category = category_create(name="Viele")
    for n in range(30):
        make_question(category=category, tags=["A", f"T{n}"])
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/questions/", {"category": category.pk})
    assert response.json()["count"] == 30
