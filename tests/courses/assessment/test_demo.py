"""The demo question bank and quizzes, loaded from content/demo/ (question files and *.test.md)."""

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from wagtail.models import Revision

from courses.assessment import demo_quizzes
from courses.assessment.demo_files import load_quiz
from courses.assessment.quiz_models import QuizPage
from courses.catalog.demo_files import DemoContentError, default_root
from courses.catalog.models import CoursePage
from courses.questions import demo, types
from courses.questions.demo_files import load_bank
from courses.questions.models import Question, QuestionCategory, QuestionVersion
from tests.factories.demo import demo_courses_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the demo files the test may edit."""
    copy = tmp_path / "demo"
    shutil.copytree(default_root(), copy)
    return copy


def _counts() -> tuple[int, ...]:
    return (
        Question.objects.count(),
        QuestionVersion.objects.count(),
        QuestionCategory.objects.count(),
        QuizPage.objects.count(),
        Revision.objects.count(),
    )


def _seed(root: Path | None = None) -> str:
    out = io.StringIO()
    demo.seed(stdout=out, root=root)
    return out.getvalue()


def test_each_topic_gets_at_least_eight_questions_of_several_types_and_seeding_twice_changes_nothing():
    _seed()
    for root in QuestionCategory.get_root_nodes().filter(is_practice=False):
        questions = Question.objects.filter(category__path__startswith=root.path).select_related("current_version")
        assert questions.count() >= 8, root.name
        assert len({q.current_version.qtype for q in questions}) >= 6, root.name
    # No category twice under the same parent.
    seen = [(c.path[:-4], c.name) for c in QuestionCategory.objects.all()]
    assert len(seen) == len(set(seen))
    counts = _counts()
    out = _seed()
    assert _counts() == counts
    assert "0 neue und 0 geänderte Fragen" in out


def test_demo_questions_score_zero_for_an_empty_response():
    _seed()
    for question in Question.objects.select_related("current_version"):
        data = question.current_version.data
        result = types.for_data(data).score(data, {}, None)
        assert result.fraction in (0, None)


def test_every_question_file_is_named_in_the_list_and_read_by_the_import():
    folder = default_root() / "fragen"
    named = {file.path.name for category in load_bank() for file in category.files}
    assert named == {p.name for p in folder.iterdir() if p.suffix in (".gift", ".xml")}
    assert {".gift", ".xml"} <= {Path(name).suffix for name in named}


def test_an_edited_question_file_gives_a_new_version_and_a_new_question_is_added(root):
    _seed(root)
    questions, versions = Question.objects.count(), QuestionVersion.objects.count()
    path = root / "fragen" / "standards.gift"
    text = path.read_text(encoding="utf-8")
    text = text.replace("=XML in der öffentlichen Verwaltung#Richtig:", "=XML in der öffentlichen Verwaltung#Genau:")
    text += "\n::Neue Frage::XBau regelt den Datenaustausch im Baugenehmigungsverfahren.{T}\n"
    path.write_text(text, encoding="utf-8")

    out = _seed(root)
    assert "1 neue und 1 geänderte Fragen" in out
    assert Question.objects.count() == questions + 1
    assert QuestionVersion.objects.count() == versions + 2
    xoev = Question.objects.get(current_version__name="XÖV")
    assert xoev.current_version.number == 2 and xoev.versions.count() == 2
    assert "Genau:" in str(xoev.current_version.data)
    assert Question.objects.get(current_version__name="Neue Frage").category.name == "Smart City"
    # And again: nothing more.
    counts = _counts()
    _seed(root)
    assert _counts() == counts


def test_a_broken_question_file_names_file_and_line_and_loads_nothing(root):
    path = root / "fragen" / "organisation.xml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("</questiontext>", "")  # line 6: an unclosed element
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DemoContentError) as error:
        demo.seed(stdout=io.StringIO(), root=root)
    assert error.value.message.startswith(f"{path}, Zeile ")
    assert Question.objects.count() == 0 and QuestionCategory.objects.count() == 0

    gift = root / "fragen" / "standards.gift"
    shutil.copy(default_root() / "fragen" / "organisation.xml", path)
    gift.write_text(gift.read_text(encoding="utf-8") + "\n::Kaputt::Frage ohne Ende{=a ~b\n", encoding="utf-8")
    with pytest.raises(DemoContentError, match=rf"{gift}, Zeile \d+: "):
        demo.seed(stdout=io.StringIO(), root=root)
    assert Question.objects.count() == 0


def test_a_question_twice_in_one_category_is_refused_with_both_lines(root):
    path = root / "fragen" / "standards.gift"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n$CATEGORY: XÖV und OZG\n\n::XRechnung::Doppelt.{T}\n", encoding="utf-8")
    line = len(text.splitlines()) + 4
    with pytest.raises(DemoContentError, match=rf"Zeile {line}: Die Frage „XRechnung“ steht zweimal"):
        load_bank(root)


def test_the_manifest_must_name_existing_files(root):
    manifest = root / "fragen" / "kategorien.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("standards.xml", "fehlt.xml"), encoding="utf-8")
    with pytest.raises(DemoContentError, match="Die Datei „fehlt.xml“ gibt es"):
        load_bank(root)


def _with_catalogue(root: Path) -> None:
    demo_courses_seed(root, quizzes=False)


def _seed_quizzes(root: Path) -> str:
    out = io.StringIO()
    demo_quizzes.seed(stdout=out, root=root)
    return out.getvalue()


def test_each_demo_course_gets_its_final_test_as_its_file_describes_it(root, seeded_demo):
    quizzes = QuizPage.objects.live().order_by("path")
    assert quizzes.count() == 3
    for quiz in quizzes:
        course = quiz.get_parent().specific
        assert quiz.title == f"Abschlusstest: {course.title}" and quiz.slug == "abschlusstest"
        assert (quiz.passing_grade, quiz.attempts_allowed, quiz.time_limit_minutes) == (Decimal(60), 3, 20)
        assert (quiz.completion_mode, quiz.grading_method, quiz.is_required) == ("passed", "highest", True)
        assert quiz.intro.startswith("<p>Prüfen Sie, was Sie aus diesem Kurs mitnehmen.")
        [rule] = quiz.question_rules.all()
        assert (rule.category.name, rule.count, rule.include_subcategories) == (course.topic.name, 8, True)
        assert quiz.owner == course.owner
    counts = _counts()
    assert "0 neue und 0 geänderte Tests" in _seed_quizzes(root)
    assert _counts() == counts
    # The course lists its lessons first, then its final test.
    course = CoursePage.objects.get(slug="standards-und-interoperabilitaet")
    assert [type(p.specific).__name__ for p in course.get_children()][-1] == "QuizPage"


def test_an_edited_quiz_file_publishes_a_new_revision_of_that_quiz(root, seeded_demo):
    path = root / "03-standards-und-interoperabilitaet" / "abschlusstest.test.md"
    text = path.read_text(encoding="utf-8").replace("passing_grade: 60", "passing_grade: 75")
    text = text.replace("completion_mode: bestanden", "completion_mode: abgeschlossen")
    text = text.replace("count: 8", "count: 5\n  - question: Standards und Interoperabilität/XÖV und OZG/XRechnung")
    path.write_text(text, encoding="utf-8")
    revisions = Revision.objects.count()
    assert "0 neue und 1 geänderte Tests" in _seed_quizzes(root)
    assert Revision.objects.count() == revisions + 1
    quiz = QuizPage.objects.get(url_path__contains="standards-und-interoperabilitaet")
    assert (quiz.passing_grade, quiz.completion_mode) == (Decimal(75), "completed")
    random, fixed = quiz.question_rules.all()
    assert random.count == 5 and fixed.question == Question.objects.get(current_version__name="XRechnung")
    assert not quiz.has_unpublished_changes


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("bestanden", "fertig"), "„completion_mode: fertig“ ist nicht erlaubt"),
        (lambda t: t.replace("passing_grade: 60", "passing_grade: 160"), "„passing_grade“ ist eine Prozentzahl"),
        (lambda t: t.replace("count: 8", "count: null"), "„count“ muss eine Zahl"),
        (lambda t: t.replace("slug: abschlusstest\n", ""), "fehlt das Feld „slug“"),
        (lambda t: t.replace("required: true", "pflicht: true"), "Unbekannte Felder im Front Matter: pflicht"),
    ],
)
def test_a_broken_quiz_file_is_reported_in_german(root, change, expected):
    path = root / "01-datenmanagement-in-der-kommune" / "abschlusstest.test.md"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DemoContentError, match=expected) as error:
        load_quiz(path)
    assert str(path) in error.value.message


def test_a_quiz_naming_a_missing_category_or_too_many_questions_stops_the_seed_and_writes_nothing(root):
    _with_catalogue(root)
    questions = Question.objects.count()
    path = root / "02-organisationsentwicklung-und-change" / "abschlusstest.test.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("count: 8", "count: 80"), encoding="utf-8")
    with pytest.raises(DemoContentError, match="stehen 9 Fragen, der Test soll 80 ziehen"):
        _seed_quizzes(root)
    path.write_text(original.replace("category: Organisationsentwicklung und Change", "category: Gibt es nicht"))
    with pytest.raises(DemoContentError, match="Die Kategorie „Gibt es nicht“ gibt es in der Fragensammlung nicht"):
        _seed_quizzes(root)
    path.write_text(original.replace("category: Organisationsentwicklung und Change", "category: Übungsfragen"))
    with pytest.raises(DemoContentError, match="„Übungsfragen“ enthält Übungsfragen; Tests dürfen daraus keine"):
        _seed_quizzes(root)
    assert (Question.objects.count(), QuizPage.objects.count()) == (questions, 0)
