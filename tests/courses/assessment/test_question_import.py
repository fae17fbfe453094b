"""Importing and exporting the bank: all or nothing, with Moodle's semantics."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.assessment.formats import FormatError, read_gift, read_moodle_xml
from courses.assessment.models import Question, QuestionCategory, QuestionVersion
from courses.assessment.sanitize import sanitize_question
from courses.assessment.services import (
    UnsupportedQuestionsError,
    category_create,
    questions_export,
    questions_import,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


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
    assert [i.qtype for i in exc.value.items] == ["calculated", "ddwtos"]
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
    assert "Schlagwörter" in joined
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
    from courses.assessment.models import QuestionImport
    from courses.assessment.services import question_import_run, question_import_start

    root = category_create(name="Ziel")
    with django_capture_on_commit_callbacks(execute=True):
        job = question_import_start(content=b"::A::Frage{T}\n", fmt="gift", category=root, file_name="a.gift")
    question_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.DONE
    assert job.report["created"] == 1
    assert Question.objects.count() == 1


def test_failed_import_job_records_the_line_and_saves_nothing(django_capture_on_commit_callbacks):
    from courses.assessment.models import QuestionImport
    from courses.assessment.services import question_import_start

    root = category_create(name="Ziel")
    with django_capture_on_commit_callbacks(execute=True):
        job = question_import_start(content=b"::A::Gut{T}\n\n::B::{=a\n", fmt="gift", category=root, file_name="b")
    job.refresh_from_db()
    assert job.status == QuestionImport.Status.FAILED
    assert job.report["line"] == 3
    assert Question.objects.count() == 0
