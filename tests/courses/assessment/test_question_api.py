"""The bank's REST API, for trainers and platform admins only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from courses.questions.formats import ir, read_moodle_xml
from courses.questions.models import Question
from courses.questions.services import category_create
from lernplattform.accounts.models import Membership
from tests.factories.assessment import make_question, multichoice_content

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parents[1] / "questions" / "data"


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


def test_create_and_update_makes_versions(api, trainer):
    category = category_create(name="API", owner=trainer)
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


def test_invalid_content_is_refused(api, trainer):
    category = category_create(name="API", owner=trainer)
    response = api.post(
        "/api/v1/questions/", {"category": category.pk, "content": {"qtype": "zauberei"}}, format="json"
    )
    assert response.status_code == 400


def test_a_grade_moodle_refuses_is_refused_by_the_api(api, trainer):
    category = category_create(name="API", owner=trainer)
    content = ir.question_to_dict(multichoice_content())
    content["answers"][1]["fraction"] = "0.3333"
    response = api.post("/api/v1/questions/", {"category": category.pk, "content": content}, format="json")
    assert response.status_code == 400
    assert "33.33 % ist in Moodle nicht zulässig" in response.content.decode()
    assert not category.questions.exists()


def test_list_filters_and_preview_hides_answers(api, trainer):
    mine = category_create(name="Meins", owner=trainer)
    question = make_question(category=mine, tags=["DSGVO"])
    make_question(category=mine, content=multichoice_content(name="Anderes"))
    listed = api.get("/api/v1/questions/", {"tag": "DSGVO"}).json()["results"]
    assert [q["id"] for q in listed] == [question.pk]
    preview = api.get(f"/api/v1/questions/{question.pk}/preview/").json()
    assert preview["type"] == "multichoice"
    assert "fraction" not in str(preview) and "Richtig." not in str(preview)
    assert sorted(c["key"] for c in preview["choices"]) == ["0", "1"]
    assert {c["text"] for c in preview["choices"]} == {"Berlin", "Bonn"}


def test_import_dry_run_then_import_and_export(api, trainer, django_capture_on_commit_callbacks):
    category = category_create(name="Ziel", owner=trainer)
    payload = lambda **extra: {  # noqa: E731
        "file": SimpleUploadedFile("f.xml", (DATA / "moodle_export.xml").read_bytes()),
        "file_format": "moodlexml",
        "category": category.pk,
        **extra,
    }
    dry = api.post("/api/v1/questions/import/", payload(dry_run=True), format="multipart")
    assert dry.status_code == 200
    assert len(dry.json()["questions"]) == 10
    assert [u["type"] for u in dry.json()["unsupported"]] == ["calculatedmulti", "ddimageortext"]
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


def test_broken_import_reports_line(api, trainer):
    category = category_create(name="Ziel", owner=trainer)
    response = api.post(
        "/api/v1/questions/import/",
        {"file": SimpleUploadedFile("f.gift", b"::A::{=a\n"), "file_format": "gift", "category": category.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["line"] == 1


def test_list_costs_a_bounded_number_of_queries(api, trainer, django_assert_max_num_queries):
    category = category_create(name="Viele", owner=trainer)
    for n in range(30):
        make_question(category=category, tags=["A", f"T{n}"])
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/questions/", {"category": category.pk})
    assert response.json()["count"] == 30


# --- ownership (issue 10, finding 5) ------------------------------------------------------


def _quiz_of(owner, question):
    from tests.factories import pages
    from tests.factories import quiz as qf

    course = pages.course(owner=owner)
    return qf.quiz(course, questions=[question])


def test_a_trainer_cannot_patch_the_key_of_another_trainers_graded_question(org_tree, make_member, api, trainer):
    """The attack: PATCH /api/v1/questions/N/ on a question of another trainer's graded quiz."""
    from courses.assessment.attempt_services import attempt_start

    victim = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    category = category_create(name="Fremd", owner=victim)
    question = make_question(category=category, user=victim)
    quiz = _quiz_of(victim, question)
    content = ir.question_to_dict(question.current_version.content)
    content["answers"][0]["fraction"], content["answers"][1]["fraction"] = "0", "1"

    response = api.patch(f"/api/v1/questions/{question.pk}/", {"content": content}, format="json")

    assert response.status_code in (403, 404)
    question.refresh_from_db()
    assert question.versions.count() == 1
    learner = make_member(org_tree["garching"], Membership.Role.LEARNER)
    slot = attempt_start(quiz=quiz, user=learner).slots.get()
    assert slot.question_version_id == question.current_version_id
    assert slot.question_version.data["answers"][0]["fraction"] == "1"


def test_the_owner_may_not_change_a_question_another_owners_quiz_uses(org_tree, make_member, api, trainer):
    other = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    category = category_create(name="Meins", owner=trainer)
    question = make_question(category=category, user=trainer)
    _quiz_of(other, question)
    content = ir.question_to_dict(question.current_version.content)
    content["name"] = "Geändert"

    response = api.patch(f"/api/v1/questions/{question.pk}/", {"content": content}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "assessment.question_used_elsewhere"
    assert "Kopie" in response.json()["detail"]
    assert question.versions.count() == 1
    copied = api.post(f"/api/v1/questions/{question.pk}/copy/", {"category": category.pk}, format="json")
    assert copied.status_code == 201, copied.content
    assert copied.json()["id"] != question.pk
    assert copied.json()["current_version"]["name"] == question.current_version.name


def test_trainers_see_only_their_own_course_and_shared_categories(org_tree, make_member, api, trainer):
    other = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    mine = category_create(name="Meins", owner=trainer)
    shared = category_create(name="Gemeinsam")
    foreign = category_create(name="Fremd", owner=other)
    listed = {c["name"] for c in api.get("/api/v1/question-categories/").json()}
    assert {"Meins", "Gemeinsam"} <= listed and "Fremd" not in listed
    make_question(category=foreign)
    assert api.get("/api/v1/questions/", {"category": foreign.pk}).status_code == 404
    assert api.get("/api/v1/questions/").json()["count"] == 0
    # Shared (platform) categories are read by every trainer, written by platform admins only.
    refused = api.post(
        "/api/v1/questions/",
        {"category": shared.pk, "content": ir.question_to_dict(multichoice_content())},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "assessment.category_not_permitted"
    created = api.post(
        "/api/v1/questions/",
        {"category": mine.pk, "content": ir.question_to_dict(multichoice_content())},
        format="json",
    )
    assert created.status_code == 201


def test_every_change_through_the_api_is_audited(api, trainer):
    from courses.questions.models import QuestionEvent

    category = category_create(name="Meins", owner=trainer)
    content = ir.question_to_dict(multichoice_content())
    qid = api.post("/api/v1/questions/", {"category": category.pk, "content": content}, format="json").json()["id"]
    content["name"] = "Neu"
    api.patch(f"/api/v1/questions/{qid}/", {"content": content}, format="json")
    events = list(QuestionEvent.objects.filter(question_id=qid).order_by("pk"))
    assert [(e.kind, e.source, e.user_id, e.version.number) for e in events] == [
        ("created", "api", trainer.pk, 1),
        ("edited", "api", trainer.pk, 2),
    ]
