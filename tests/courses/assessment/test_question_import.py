"""Importing and exporting the bank: all or nothing, with Moodle's semantics."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.questions.formats import FormatError, read_gift, read_moodle_xml
from courses.questions.models import Question, QuestionCategory, QuestionVersion
from courses.questions.sanitize import sanitize_question
from courses.questions.services import (
    UnsupportedQuestionsError,
    category_create,
    questions_export,
    questions_import,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parents[1] / "questions" / "data"


def _comparable(questions):
    """Questions without the per-file category root, for comparing imports."""
    return sorted((q for q in questions), key=lambda q: (q.category_path, q.name))


def test_every_gift_construct_arrives_with_moodles_semantics_through_our_xml_export():
    source = (DATA / "all_constructs.gift").read_text(encoding="utf-8")
    root = category_create(name="GIFT-Import")
    report = questions_import(content=source, fmt="gift", category=root)
    assert len(report.created) == 18
    assert sorted(c.name for c in report.categories_created) == ["Formate", "Grundlagen", "Kommunalrecht"]
    assert QuestionCategory.objects.count() == 4

    exported = questions_export(category=root, fmt="moodlexml").content
    from_bank = read_moodle_xml(exported).questions
    expected = [sanitize_question(q) for q in read_gift(source).questions]
    for q in expected:
        q.category_path = ["GIFT-Import", *q.category_path]
    assert _comparable(from_bank) == _comparable(expected)


def test_moodle_xml_export_then_import_is_identical_for_every_type():
    first = category_create(name="Erster Import")
    questions_import(
        content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=first, skip_unsupported=True
    )
    exported = questions_export(category=first, fmt="moodlexml").content
    second = category_create(name="Zweiter Import")
    questions_import(content=exported, fmt="moodlexml", category=second)
    again = questions_export(category=second, fmt="moodlexml").content

    a = read_moodle_xml(exported).questions
    b = read_moodle_xml(again).questions
    assert {q.qtype for q in a} == {q.qtype for q in b}
    assert len({q.qtype for q in a}) == 9
    for q in b:
        q.category_path = q.category_path[1:]  # "Zweiter Import" holds the file's "Erster Import"
    assert _comparable(a) == _comparable(b)


def test_reimport_into_the_same_category_does_not_nest_it_twice():
    root = category_create(name="Datenschutz")
    questions_import(content="::Q::Frage{T}\n", fmt="gift", category=root)
    exported = questions_export(category=root, fmt="gift").content
    assert "$CATEGORY: $course$/top/Datenschutz" in exported
    questions_import(content=exported, fmt="gift", category=root)
    assert root.get_children().count() == 0
    assert Question.objects.filter(category=root).count() == 2


def test_broken_file_is_refused_with_line_number_and_nothing_saved():
    root = category_create(name="Ziel")
    content = "$CATEGORY: Neu\n\n::Gut::Eine gute Frage{T}\n\n::Kaputt::Fehlende Klammer {=a\n"
    with pytest.raises(FormatError) as exc:
        questions_import(content=content, fmt="gift", category=root)
    assert exc.value.line == 5
    assert Question.objects.count() == 0
    assert QuestionVersion.objects.count() == 0
    assert QuestionCategory.objects.count() == 1


def test_unsupported_types_are_refused_with_their_list():
    root = category_create(name="Ziel")
    with pytest.raises(UnsupportedQuestionsError) as exc:
        questions_import(content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=root)
    assert [i.qtype for i in exc.value.items] == ["calculatedmulti", "ddimageortext"]
    assert "Bußgeld berechnen" in str(exc.value)
    assert Question.objects.count() == 0


def test_skip_unsupported_imports_the_rest_and_reports_the_skipped():
    root = category_create(name="Ziel")
    report = questions_import(
        content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=root, skip_unsupported=True
    )
    assert len(report.created) == 10
    assert [i.name for i in report.skipped] == ["Bußgeld berechnen", "Begriffe ziehen"]
    # Tags travel with the question identity.
    tagged = Question.objects.get(current_version__name="Rechtsgrundlage")
    assert sorted(t.name for t in tagged.tags.all()) == ["DSGVO", "Rechtsgrundlage"]


def test_imported_script_never_reaches_the_bank():
    root = category_create(name="Ziel")
    questions_import(
        content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=root, skip_unsupported=True
    )
    version = QuestionVersion.objects.get(name="Einleitung")
    assert "<script" not in version.text
    assert "<script" not in str(version.data)


def test_gift_export_reports_what_is_lost():
    root = category_create(name="Ziel")
    questions_import(
        content=(DATA / "moodle_export.xml").read_bytes(), fmt="moodlexml", category=root, skip_unsupported=True
    )
    result = questions_export(category=root, fmt="gift")
    joined = " ".join(result.losses)
    assert "Hinweise für Mehrfachversuche" in joined
    # Tags and ID numbers are not lost: Moodle's comment line carries them.
    assert "Schlagwörter" not in joined
    assert "// [id:DS-01] [tag:DSGVO] [tag:Rechtsgrundlage]\n::Rechtsgrundlage::" in result.content
    assert "Groß-/Kleinschreibung" in joined
    assert "ordering" in joined and "cloze" in joined
    assert "::Rechtsgrundlage::" in result.content


def test_import_command_creates_category_and_reports(tmp_path, capsys):
    path = tmp_path / "fragen.gift"
    path.write_text((DATA / "all_constructs.gift").read_text(encoding="utf-8"), encoding="utf-8")
    call_command("import_questions", str(path), "--format", "gift", "--category", "Kommunales/Recht")
    out = capsys.readouterr().out
    assert "18 Fragen importiert" in out
    assert QuestionCategory.objects.filter(name="Recht").exists()


def test_import_command_fails_with_line_number_and_saves_nothing(tmp_path):
    path = tmp_path / "kaputt.xml"
    path.write_text('<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n</quiz>\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Zeile 4"):
        call_command("import_questions", str(path), "--format", "moodlexml", "--category", "Neu")
    assert QuestionCategory.objects.count() == 0


def test_import_command_refuses_unsupported_unless_skipping(tmp_path, capsys):
    path = DATA / "moodle_export.xml"
    with pytest.raises(CommandError, match="nicht unterstützter Typen"):
        call_command("import_questions", str(path), "--format", "moodlexml", "--category", "Neu")
    assert Question.objects.count() == 0
    call_command("import_questions", str(path), "--format", "moodlexml", "--category", "Neu", "--skip-unsupported")
    assert "Übersprungen (Zeile 406)" in capsys.readouterr().out


def test_export_command_writes_subcategories(tmp_path, capsys):
    root = category_create(name="Wurzel")
    questions_import(content=(DATA / "all_constructs.gift").read_text(encoding="utf-8"), fmt="gift", category=root)
    call_command("export_questions", "--format", "moodlexml", "--category", "Wurzel")
    out = capsys.readouterr().out
    assert "$course$/top/Wurzel/Kommunalrecht/Grundlagen" in out
    assert len(read_moodle_xml(out).questions) == 18
    with pytest.raises(CommandError):
        call_command("export_questions", "--format", "gift", "--category", "Gibt es nicht")


def test_import_job_runs_once_even_if_the_task_runs_twice(django_capture_on_commit_callbacks):
    from courses.questions.models import QuestionImport
    from courses.questions.services import question_import_run, question_import_start

    root = category_create(name="Ziel")
    with django_capture_on_commit_callbacks(execute=True):
        job = question_import_start(content=b"::A::Frage{T}\n", fmt="gift", category=root, file_name="a.gift")
    question_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.DONE
    assert job.report["created"] == 1
    assert Question.objects.count() == 1


def test_failed_import_job_records_the_line_and_saves_nothing(django_capture_on_commit_callbacks):
    from courses.questions.models import QuestionImport
    from courses.questions.services import question_import_start

    root = category_create(name="Ziel")
    with django_capture_on_commit_callbacks(execute=True):
        job = question_import_start(content=b"::A::Gut{T}\n\n::B::{=a\n", fmt="gift", category=root, file_name="b")
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.FAILED
    assert job.report["line"] == 3
    assert Question.objects.count() == 0


# --- limits and failures (issue 10, finding 8 and the NUL-byte low) ----------------------


ONE_QUESTION = b"::A::Frage {=ja ~nein}\n\n"


def _big(size):
    return ONE_QUESTION * (size // len(ONE_QUESTION) + 1)


@pytest.fixture
def trainer(org_tree, make_member):
    from lernplattform.accounts.models import Membership

    return make_member(org_tree["kreis"], Membership.Role.TRAINER)


def test_one_size_limit_holds_on_every_path_before_parsing(settings, tmp_path, trainer, client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    from courses.questions import services
    from lernplattform.core.errors import ValidationFailed

    settings.QUESTION_IMPORT_MAX_BYTES = 1024
    content = _big(4096)
    parsed = []
    monkeypatch.setattr(services, "read_questions", lambda *a, **k: parsed.append(1))
    root = category_create(name="Ziel", owner=trainer)

    # service
    with pytest.raises(ValidationFailed, match="höchstens 1 KB|höchstens 0"):
        questions_import(content=content, fmt="gift", category=root)
    # API
    api = APIClient()
    api.force_authenticate(trainer)
    response = api.post(
        "/api/v1/questions/import/",
        {"file": SimpleUploadedFile("f.gift", content), "file_format": "gift", "category": root.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "assessment.import_too_large"
    # admin form
    client.force_login(trainer)
    page = client.post(
        "/admin/fragen/import/",
        {"file": SimpleUploadedFile("f.gift", content), "file_format": "gift", "category": root.pk},
    )
    assert "Nichts wurde importiert" in page.content.decode()
    # command, and its override
    path = tmp_path / "gross.gift"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="--max-size"):
        call_command("import_questions", str(path), "--format", "gift", "--category", "Gross")
    assert parsed == [] and Question.objects.count() == 0
    monkeypatch.undo()
    call_command("import_questions", str(path), "--format", "gift", "--category", "Gross", "--max-size", "1")
    assert Question.objects.count() > 0


def test_the_size_is_shown_in_megabytes_in_german(settings):
    from courses.questions.services import import_size_check
    from lernplattform.core.errors import ValidationFailed

    settings.QUESTION_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(ValidationFailed) as error:
        import_size_check(size=20 * 1024 * 1024)
    assert "20 MB" in error.value.message and "5 MB" in error.value.message


def test_too_many_questions_are_refused_before_the_first_write(settings):
    from lernplattform.core.errors import ValidationFailed

    settings.QUESTION_IMPORT_MAX_QUESTIONS = 3
    root = category_create(name="Ziel")
    with pytest.raises(ValidationFailed, match="höchstens 3 Fragen"):
        questions_import(content=ONE_QUESTION * 4, fmt="gift", category=root)
    assert Question.objects.count() == 0


def test_a_nul_byte_is_refused_with_its_line(trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    content = b"::A::Frage {=ja ~nein}\n\n::B::Kaputt\x00 {=ja ~nein}\n"
    with pytest.raises(FormatError) as error:
        read_gift(content.decode())
    assert error.value.line == 3 and "Nullzeichen" in str(error.value)
    api = APIClient()
    api.force_authenticate(trainer)
    root = category_create(name="Ziel", owner=trainer)
    response = api.post(
        "/api/v1/questions/import/",
        {"file": SimpleUploadedFile("f.gift", content), "file_format": "gift", "category": root.pk},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["line"] == 3


def test_a_job_that_crashes_is_marked_failed_not_left_pending(monkeypatch, django_capture_on_commit_callbacks):
    from courses.questions import services
    from courses.questions.models import QuestionImport

    root = category_create(name="Ziel")

    def crash(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(services, "questions_import", crash)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.question_import_start(content=ONE_QUESTION, fmt="gift", category=root, file_name="f.gift")
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.FAILED
    assert "unerwarteten Fehler" in job.report["error"] and job.content in (b"", memoryview(b""))


def test_a_job_past_its_time_limit_ends_failed(monkeypatch, django_capture_on_commit_callbacks, settings):
    from celery.exceptions import SoftTimeLimitExceeded

    from courses.questions import services, tasks
    from courses.questions.models import QuestionImport

    # Its own limits, inside the platform's (which the broker's visibility timeout is sized for).
    assert tasks.question_import_task.soft_time_limit == 240
    assert tasks.question_import_task.time_limit == 270 <= settings.CELERY_TASK_TIME_LIMIT
    root = category_create(name="Ziel")

    def slow(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(services, "questions_import", slow)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.question_import_start(content=ONE_QUESTION, fmt="gift", category=root, file_name="f.gift")
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.FAILED and "länger gedauert" in job.report["error"]


def test_reconcile_sends_lost_jobs_again_and_fails_killed_ones(monkeypatch):
    import time_machine
    from django.utils import timezone

    from courses.questions import services, tasks
    from courses.questions.models import QuestionImport

    root = category_create(name="Ziel")
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: sent.append(args))
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: None)  # the broker was down
    lost = services.question_import_start(content=ONE_QUESTION, fmt="gift", category=root, file_name="a.gift")
    killed = services.question_import_start(content=ONE_QUESTION, fmt="gift", category=root, file_name="b.gift")
    QuestionImport.objects.filter(pk=killed.pk).update(started_at=timezone.now())
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=20)):
        assert tasks.question_imports_reconcile_task() == 1
        assert services.question_imports_reconcile() == [lost.pk]  # running twice is harmless
    assert sent == [(lost.pk,), (lost.pk,)]
    killed.refresh_from_db()
    assert killed.status == QuestionImport.Status.FAILED and "länger gedauert" in killed.report["error"]
    assert services.question_import_run(job_id=lost.pk).status == QuestionImport.Status.DONE


def test_gift_tags_and_id_numbers_reach_the_bank_and_come_back_in_the_gift_export():
    source = (DATA / "moodle_tags.gift").read_text(encoding="utf-8")
    root = category_create(name="Bau")
    questions_import(content=source, fmt="gift", category=root)
    question = Question.objects.get(current_version__name="Bauantrag")
    assert sorted(t.name for t in question.tags.all()) == ["Bauordnung", "Verfahren"]
    assert question.current_version.content.idnumber == "BAU-01"
    exported = questions_export(category=root, fmt="gift")
    assert "// [id:BAU-01] [tag:Bauordnung] [tag:Verfahren]\n::Bauantrag::" in exported.content
    assert {q.name: (q.idnumber, q.tags) for q in read_gift(exported.content).questions} == {
        q.name: (q.idnumber, q.tags) for q in read_gift(source).questions
    }


def test_a_cloze_gap_without_a_full_mark_answer_imports_nothing():
    content = (DATA / "moodle_export.xml").read_text(encoding="utf-8")
    assert "{2:MULTICHOICE:=" in content
    broken = content.replace("{2:MULTICHOICE:=", "{2:MULTICHOICE:%50%", 1)
    root = category_create(name="Cloze")
    with pytest.raises(FormatError) as exc:
        questions_import(content=broken, fmt="moodlexml", category=root, skip_unsupported=True)
    assert "Lücke 2" in exc.value.message and exc.value.line is not None
    assert not Question.objects.exists()
    assert QuestionCategory.objects.count() == 1


def test_category_id_numbers_and_description_formats_survive_import_and_export():
    root = category_create(name="Vergabe")
    questions_import(content=(DATA / "moodle_defaults.xml").read_bytes(), fmt="moodlexml", category=root)
    category = QuestionCategory.objects.get(name="Schwellenwerte")
    assert (category.idnumber, category.description_format) == ("VG-SW", "markdown")
    assert category.description == "Fragen zu **EU-Schwellenwerten**"
    exported = read_moodle_xml(questions_export(category=root, fmt="moodlexml").content)
    info = next(c for c in exported.categories if c.path[-1] == "Schwellenwerte")
    assert (info.idnumber, info.info.format.value, info.info.text) == (
        "VG-SW",
        "markdown",
        "Fragen zu **EU-Schwellenwerten**",
    )


def test_a_second_import_fills_in_a_missing_category_id_number_but_overwrites_none():
    root = category_create(name="Vergabe")
    content = (DATA / "moodle_defaults.xml").read_text(encoding="utf-8")
    questions_import(content=content.replace("<idnumber>VG-SW</idnumber>", ""), fmt="moodlexml", category=root)
    assert QuestionCategory.objects.get(name="Schwellenwerte").idnumber == ""
    questions_import(content=content, fmt="moodlexml", category=root)
    assert QuestionCategory.objects.get(name="Schwellenwerte").idnumber == "VG-SW"
    questions_import(content=content.replace("VG-SW", "ANDERS"), fmt="moodlexml", category=root)
    assert QuestionCategory.objects.get(name="Schwellenwerte").idnumber == "VG-SW"
