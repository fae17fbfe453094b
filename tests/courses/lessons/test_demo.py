"""Demo lessons with practice questions named in their front matter (issue 15: practice in demo lessons)."""

import re
import shutil
from pathlib import Path

import pytest
from wagtail.models import Revision

from courses.catalog.demo_files import DemoContentError, default_root
from courses.lessons.models import LessonPage
from courses.questions.models import Question
from lernplattform.accounts.models import User
from tests.factories.demo import demo_courses_seed

pytestmark = pytest.mark.django_db

LEARNER = "lernende@demo.lernplattform.de"
LESSON = "03-standards-und-interoperabilitaet/01-interoperabilitaet-verstehen.md"


@pytest.fixture
def root(tmp_path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(default_root(), copy)
    return copy


def _practice_blocks(lesson: LessonPage) -> list:
    return [block for block in lesson.body if block.block_type == "practice_questions"]


def test_demo_lessons_show_the_practice_questions_their_files_name_and_reseeding_changes_nothing(root, seeded_demo):
    with_practice = [lesson for lesson in LessonPage.objects.live() if _practice_blocks(lesson)]
    assert len(with_practice) >= 2
    for lesson in with_practice:
        [block] = _practice_blocks(lesson)
        assert block.value["title"] == "Zum Üben"
        for pk in block.value["questions"]:
            assert Question.objects.get(pk=pk).category.is_practice, lesson.slug
    lesson = LessonPage.objects.get(slug="interoperabilitaet-verstehen")
    [block] = _practice_blocks(lesson)
    [pk] = block.value["questions"]
    assert Question.objects.get(pk=pk).current_version.name == "Ebenen der Interoperabilität"
    # The practice block comes after the text.
    assert lesson.body[-1].block_type == "practice_questions"
    revisions = Revision.objects.count()
    assert "0 neue und 0 geänderte Lektionen" in demo_courses_seed(root, quizzes=False)
    assert Revision.objects.count() == revisions


def test_the_learner_checks_a_demo_practice_question_wrong_then_right_with_german_feedback(client, seeded_demo):
    client.force_login(User.objects.get(email=LEARNER))
    lesson = LessonPage.objects.get(slug="interoperabilitaet-verstehen")
    html = client.get(lesson.url).content.decode()
    assert "Zum Üben" in html and "Antwort prüfen" in html and "Codeliste anders" in html
    form = re.search(r'<form method="post" action="([^"]+)" class="question practice-question".*?</form>', html, re.S)
    assert form is not None
    token = re.search(r'name="token" value="([^"]+)"', form.group(0)).group(1)
    prefix = re.search(r'name="prefix" value="([^"]+)"', form.group(0)).group(1)
    inputs = re.findall(
        r'<input type="radio" name="([^"]+)" id="[^"]+" value="([^"]+)"[^>]*>\s*<label for="[^"]+">([^<]+)</label>',
        form.group(0),
    )
    choices = {label.strip(): value for _name, value, label in inputs}
    assert {"Technische Ebene", "Semantische Ebene"} <= set(choices), form.group(0)[:2000]
    name = inputs[0][0]

    def check(choice: str) -> dict:
        response = client.post(
            form.group(1),
            {"token": token, "prefix": prefix, name: choices[choice]},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200
        return response.json()

    wrong = check("Technische Ebene")
    assert wrong["state"] == "wrong" and wrong["message"] == "Leider nicht richtig."
    assert any("Die Nachrichten kommen ja an" in text for text in wrong["feedback"])
    right = check("Semantische Ebene")
    assert right["state"] == "correct" and right["message"] == "Richtig!"
    assert any("gemeinsame Codeliste" in text for text in right["feedback"])


def test_a_lesson_naming_a_missing_or_a_graded_question_stops_the_seed_with_the_file_named(root, seeded_demo):
    path = root / LESSON
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("/Ebenen der Interoperabilität", "/Gibt es nicht"), encoding="utf-8")
    with pytest.raises(
        DemoContentError, match="Die Übungsfrage „Übungsfragen/Standards und Interoperabilität/Gibt es"
    ) as error:
        demo_courses_seed(root, quizzes=False)
    assert error.value.message.startswith(str(path))
    quiz_question = "Standards und Interoperabilität/XÖV und OZG/XRechnung"
    path.write_text(
        original.replace("Übungsfragen/Standards und Interoperabilität/Ebenen der Interoperabilität", quiz_question),
        encoding="utf-8",
    )
    with pytest.raises(DemoContentError, match="liegt nicht in einer Kategorie für Übungsfragen") as error:
        demo_courses_seed(root, quizzes=False)
    assert error.value.message.startswith(str(path))


def test_practice_questions_in_front_matter_must_be_paths(root):
    path = root / LESSON
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - Übungsfragen/Standards und Interoperabilität/", "  - "), encoding="utf-8")
    with pytest.raises(DemoContentError, match="„practice_questions“ ist eine Liste"):
        demo_courses_seed(root, quizzes=False)


def test_a_lesson_file_may_set_completion_and_required_and_otherwise_keeps_the_platforms_setting(root):
    path = root / LESSON
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nrequired: false\n", 1), encoding="utf-8")
    demo_courses_seed(root, quizzes=False)
    lesson = LessonPage.objects.get(slug="interoperabilitaet-verstehen")
    assert (lesson.completion_mode, lesson.is_required) == (LessonPage.CompletionMode.DONE, False)
    other = LessonPage.objects.get(slug="ozg-und-efa")  # its file states neither
    assert (other.completion_mode, other.is_required) == (LessonPage.CompletionMode.ITEMS, True)
    other.completion_mode = LessonPage.CompletionMode.DONE
    other.save_revision().publish()
    revisions = Revision.objects.count()
    demo_courses_seed(root, quizzes=False)
    assert Revision.objects.count() == revisions
    other.refresh_from_db()
    assert other.completion_mode == LessonPage.CompletionMode.DONE

    path.write_text(path.read_text(encoding="utf-8").replace("completion_mode: markieren", "completion_mode: oft"))
    with pytest.raises(DemoContentError, match="„completion_mode: oft“ ist nicht erlaubt"):
        demo_courses_seed(root, quizzes=False)
