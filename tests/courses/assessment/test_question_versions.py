"""Questions keep stable identities; editing adds immutable versions."""

import copy
from decimal import Decimal

import pytest

from courses.questions.formats import ir
from courses.questions.models import QuestionVersion
from courses.questions.selectors import question_search, versions_by_ids
from courses.questions.services import question_update
from lernplattform.core.errors import ValidationFailed
from tests.factories.assessment import QuestionCategoryFactory, make_question, multichoice_content

pytestmark = pytest.mark.django_db


def test_new_question_has_version_one():
    question = make_question(tags=["DSGVO"])
    assert question.current_version.number == 1
    assert question.current_version.content.answers[0].text == "Berlin"
    assert [t.name for t in question.tags.all()] == ["DSGVO"]


def test_editing_creates_a_new_version_and_keeps_the_old_one():
    question = make_question()
    first = question.current_version
    changed = multichoice_content(name="Hauptstadt (neu)")
    changed.answers[1].fraction = Decimal("-0.5")
    second = question_update(question=question, content=changed)
    question.refresh_from_db()
    assert second.number == 2
    assert question.current_version == second
    first.refresh_from_db()
    assert first.name == "Hauptstadt"
    assert first.content.answers[1].fraction == 0
    # What an attempt pinned is still there, unchanged.
    assert versions_by_ids(ids=[first.pk])[first.pk].content.name == "Hauptstadt"


def test_saving_unchanged_content_adds_no_version():
    question = make_question()
    version = question_update(question=question, content=multichoice_content())
    assert version.number == 1
    assert question.versions.count() == 1


def test_a_version_cannot_be_changed_in_place():
    version = make_question().current_version
    version.name = "überschrieben"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    assert QuestionVersion.objects.get(pk=version.pk).name == "Hauptstadt"


def test_question_text_is_sanitised_on_save():
    content = multichoice_content()
    content.text = ir.FormattedText('<p onclick="steal()">Frage<script>alert(1)</script></p>')
    content.answers[0].feedback = ir.FormattedText('<img src="x" onerror="alert(1)">ok')
    version = make_question(content=content).current_version
    assert version.text == "<p>Frage</p>"
    assert "onerror" not in version.data["answers"][0]["feedback"]["text"]


def test_empty_name_is_refused():
    with pytest.raises(ValidationFailed, match="braucht einen Namen"):
        make_question(content=multichoice_content(name="  "))


def test_search_by_word_tag_type_and_subcategory():
    root = QuestionCategoryFactory(name="Verwaltung")
    child = QuestionCategoryFactory(name="Datenschutz", parent=root)
    other = QuestionCategoryFactory(name="Anderes")
    hit = make_question(category=child, content=multichoice_content(name="Auskunftsrecht"), tags=["DSGVO"])
    make_question(category=other, content=multichoice_content(name="Auskunftsrecht extern"))
    tf = copy.deepcopy(multichoice_content(name="Wahr oder falsch"))
    tf.qtype = ir.QuestionType.TRUEFALSE
    make_question(category=child, content=tf)
    assert list(question_search(category=root, query="auskunft")) == [hit]
    assert list(question_search(tags=["dsgvo"])) == [hit]
    assert list(question_search(category=root, include_subcategories=False)) == []
    assert question_search(qtype="truefalse").count() == 1


@pytest.mark.parametrize("fraction", ["0.37", "0.3333", "1.5"])
def test_a_grade_moodle_refuses_cannot_be_stored(fraction):
    question = make_question()
    changed = multichoice_content()
    changed.answers[1].fraction = Decimal(fraction)
    with pytest.raises(ValidationFailed) as exc:
        question_update(question=question, content=changed)
    assert "„Hauptstadt“" in exc.value.message and "nicht zulässig" in exc.value.message
    assert question.versions.count() == 1


def test_a_grade_within_moodles_tolerance_is_stored_as_the_listed_value():
    content = multichoice_content()
    content.single = False
    content.answers[0].fraction = Decimal("0.33333")
    content.answers[1].fraction = Decimal("0.6666667")
    question = make_question(content=content)
    assert [a.fraction for a in question.current_version.content.answers][:2] == [
        Decimal("0.3333333"),
        Decimal("0.6666667"),
    ]
