"""The trainer UI of the question bank in the Wagtail admin."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.questions.models import Question, QuestionCategory, QuestionVersion
from courses.questions.services import category_create, question_move
from lernplattform.accounts.models import Membership
from tests.factories.assessment import make_question, multichoice_content

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parents[1] / "questions" / "data"


@pytest.fixture
def trainer_client(client, org_tree, make_member):
    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    client.force_login(trainer)
    client.trainer = trainer
    return client


def test_learner_cannot_open_the_bank(client, org_tree, make_member):
    client.force_login(make_member(org_tree["garching"], Membership.Role.LEARNER))
    response = client.get("/admin/fragen/")
    assert response.status_code in (302, 403)


def test_index_shows_tree_search_and_tags(trainer_client, django_assert_max_num_queries):
    root = category_create(name="Datenschutz", owner=trainer_client.trainer)
    for n in range(10):
        make_question(category=root, tags=["DSGVO", f"T{n}"])
    with django_assert_max_num_queries(25):
        response = trainer_client.get("/admin/fragen/", {"category": root.pk, "q": "Hauptstadt"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Datenschutz" in body and "DSGVO" in body


def test_create_multichoice_then_edit_creates_version(trainer_client):
    root = category_create(name="Neu", owner=trainer_client.trainer)
    data = {
        "category": root.pk,
        "name": "Zuständigkeit",
        "text": "<p>Wer ist zuständig?</p>",
        "text_format": "html",
        "general_feedback": "",
        "default_mark": "1",
        "penalty": "0.3333333",
        "tags": "Recht, Kommune",
        "single": "on",
        "shuffle_answers": "on",
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "Gemeinde",
        "rows-0-fraction": "100",
        "rows-0-feedback": "Richtig",
        "rows-1-text": "Bund",
        "rows-1-fraction": "0",
        "rows-2-text": "",
    }
    response = trainer_client.post("/admin/fragen/neu/multichoice/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert question.current_version.content.answers[0].fraction == 1
    assert sorted(t.name for t in question.tags.all()) == ["Kommune", "Recht"]

    data["rows-1-fraction"] = "-50"
    data["single"] = ""
    response = trainer_client.post(f"/admin/fragen/{question.pk}/bearbeiten/", data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert QuestionVersion.objects.get(question=question, number=1).content.single is True


def test_the_editor_refuses_a_grade_moodle_refuses(trainer_client):
    root = category_create(name="Neu", owner=trainer_client.trainer)
    data = {
        "category": root.pk,
        "name": "Zuständigkeit",
        "text": "<p>Wer ist zuständig?</p>",
        "text_format": "html",
        "default_mark": "1",
        "penalty": "0.3333333",
        "shuffle_answers": "on",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-text": "Gemeinde",
        "rows-0-fraction": "66.67",
        "rows-1-text": "Kreis",
        "rows-1-fraction": "33.33333",
    }
    response = trainer_client.post("/admin/fragen/neu/multichoice/", data)
    assert response.status_code == 200
    assert "66.67 % ist in Moodle nicht zulässig" in response.content.decode()
    assert not Question.objects.exists()


def test_preview_shows_no_solution_in_form_and_scores(trainer_client):
    question = make_question()
    content = question.current_version.content
    response = trainer_client.get(f"/admin/fragen/{question.pk}/vorschau/")
    assert response.status_code == 200
    html = response.content.decode()
    # The quiz's own controls: display positions, never authored indices or fractions.
    keys = dict(re.findall(r'value="(\d+)">\s*<label for="[^"]+">([^<]+)</label>', html))
    assert sorted(keys) == [str(i) for i in range(len(content.answers))]
    assert "fraction" not in html.split("Lösung und Feedback")[0]
    right = next(key for key, text in keys.items() if text == content.answers[0].text)
    response = trainer_client.post(f"/admin/fragen/{question.pk}/vorschau/", {"q1": right})
    assert "1,00 von 1,00" in response.content.decode() or "1.00 von 1.00" in response.content.decode()
    wrong = next(key for key in keys if key != right)
    response = trainer_client.post(f"/admin/fragen/{question.pk}/vorschau/", {"q1": wrong})
    assert "0,00 von 1,00" in response.content.decode() or "0.00 von 1.00" in response.content.decode()


def test_preview_says_in_german_why_an_answer_does_not_fit(trainer_client):
    question = make_question()
    response = trainer_client.post(f"/admin/fragen/{question.pk}/vorschau/", {"q1": "99"})
    assert response.status_code == 200
    assert "Diese Auswahl gibt es nicht." in response.content.decode()


def test_import_preview_then_confirm_with_skip(trainer_client, django_capture_on_commit_callbacks):
    root = category_create(name="Ziel", owner=trainer_client.trainer)
    upload = SimpleUploadedFile("moodle.xml", (DATA / "moodle_export.xml").read_bytes())
    response = trainer_client.post(
        "/admin/fragen/import/", {"file": upload, "file_format": "moodlexml", "category": root.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bußgeld berechnen" in body and "Noch ist nichts gespeichert" in body
    assert Question.objects.count() == 0
    token = response.context["token"]
    refused = trainer_client.post("/admin/fragen/import/bestaetigen/", {"token": token}, follow=True)
    assert "nicht unterstützte Fragetypen" in refused.content.decode()
    assert Question.objects.count() == 0
    # The session still holds the file: confirm skipping; a Celery task imports it.
    with django_capture_on_commit_callbacks(execute=True):
        done = trainer_client.post("/admin/fragen/import/bestaetigen/", {"token": token, "skip_unsupported": "1"})
    assert done.status_code == 302
    assert Question.objects.count() == 10
    status = trainer_client.get(done["Location"]).content.decode()
    assert "10 Fragen" in status and "Bußgeld berechnen" in status


def test_import_of_broken_file_shows_line(trainer_client):
    root = category_create(name="Ziel", owner=trainer_client.trainer)
    upload = SimpleUploadedFile("f.gift", b"::A::Gut{T}\n\n::B::Kaputt{=a\n")
    response = trainer_client.post(
        "/admin/fragen/import/", {"file": upload, "file_format": "gift", "category": root.pk}
    )
    assert "Zeile 3" in response.content.decode()
    assert Question.objects.count() == 0


def test_gift_export_lists_losses_before_download(trainer_client):
    root = category_create(name="Ziel", owner=trainer_client.trainer)
    content = multichoice_content()
    content.default_mark = Decimal(2)
    make_question(category=root, content=content, tags=["DSGVO"])
    response = trainer_client.post("/admin/fragen/export/", {"category": root.pk, "file_format": "gift"})
    assert "Punktzahl" in response.content.decode()
    download = trainer_client.post(
        "/admin/fragen/export/", {"category": root.pk, "file_format": "gift", "confirmed": "1"}
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert b"// [tag:DSGVO]\n::Hauptstadt::" in download.content


@pytest.mark.parametrize(
    "qtype",
    ["multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "cloze", "essay", "description"],
)
def test_editor_opens_for_every_type(trainer_client, qtype):
    assert trainer_client.get(f"/admin/fragen/neu/{qtype}/").status_code == 200


def _post_data_from(response):
    """The editor's form as a browser would send it back unchanged."""
    form, formset = response.context["form"], response.context["formset"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    data.update({"rows-TOTAL_FORMS": str(len(formset.forms)), "rows-INITIAL_FORMS": str(len(formset.initial or []))})
    for i, row in enumerate(formset.forms):
        for name in row.fields:
            value = (row.initial or {}).get(name)
            data[f"rows-{i}-{name}"] = "" if value is None else str(value)
    return data


def test_saving_an_imported_question_unchanged_keeps_its_version(trainer_client):
    root = category_create(name="Ziel", owner=trainer_client.trainer)
    from courses.questions.services import questions_import

    questions_import(
        content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=root, skip_unsupported=True
    )
    questions_import(content=(DATA / "all_constructs.gift").read_text(encoding="utf-8"), fmt="gift", category=root)
    for question in Question.objects.all():
        assert trainer_client.get(f"/admin/fragen/{question.pk}/vorschau/").status_code == 200
        page = trainer_client.get(f"/admin/fragen/{question.pk}/bearbeiten/")
        assert page.status_code == 200
        response = trainer_client.post(f"/admin/fragen/{question.pk}/bearbeiten/", _post_data_from(page))
        assert response.status_code == 302, (question, response.context["form"].errors)
        question.refresh_from_db()
        assert question.current_version.number == 1, question.current_version.name


def test_category_rename_and_delete_only_when_empty(trainer_client):
    root = category_create(name="Alt", owner=trainer_client.trainer)
    child = category_create(name="Kind", parent=root)
    response = trainer_client.post(f"/admin/fragen/kategorie/{root.pk}/", {"name": "Neu", "description": ""})
    assert response.status_code == 302
    root.refresh_from_db()
    assert root.name == "Neu"
    question = make_question(category=child)
    trainer_client.post(f"/admin/fragen/kategorie/{root.pk}/", {"delete": "1"})
    assert QuestionCategory.objects.filter(pk=root.pk).exists()
    question_move(question=question, category=category_create(name="Woanders", owner=trainer_client.trainer))
    trainer_client.post(f"/admin/fragen/kategorie/{root.pk}/", {"delete": "1"})
    assert list(QuestionCategory.objects.values_list("name", flat=True)) == ["Woanders"]
