"""The quiz editor in Wagtail: a trainer picks only questions and categories she may read, no practice ones."""

import pytest

from courses.assessment.quiz_models import QuizPage
from courses.questions.services import category_create
from lernplattform.accounts.models import Membership
from tests.factories import pages
from tests.factories import quiz as f

pytestmark = pytest.mark.django_db


def test_the_rule_choosers_offer_only_readable_non_practice_categories_and_questions(org_tree, make_member):
    anna = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    bernd = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    mine = category_create(name="Annas Fragen", owner=anna)
    shared = category_create(name="Gemeinsam")
    foreign = category_create(name="Bernds Fragen", owner=bernd)
    practice = category_create(name="Annas Übungen", owner=anna, is_practice=True)
    questions = {c.name: f.multichoice(c) for c in (mine, shared, foreign, practice)}
    quiz = f.quiz(pages.course(owner=anna), questions=[questions["Annas Fragen"]])

    form_class = QuizPage.get_edit_handler().get_form_class()
    form = form_class(instance=quiz, for_user=anna)
    formset = form.formsets["question_rules"]
    for rule_form in [*formset.forms, formset.empty_form]:
        assert set(rule_form.fields["category"].queryset) == {mine, shared}
        assert {q.pk for q in rule_form.fields["question"].queryset} == {
            questions["Annas Fragen"].pk,
            questions["Gemeinsam"].pk,
        }
