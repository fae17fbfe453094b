"""The activity contract: every activity page type says how it completes, from its own fields."""

from decimal import Decimal

import pytest
from django.apps import apps

from courses.assessment.quiz_models import QuizCompletionMode, QuizPage
from courses.catalog.completion import Completes, CompletionCondition
from courses.catalog.models import ACTIVITY_PAGE_TYPES, ActivityPage, CoursePage
from courses.h5p.models import H5PActivityPage
from courses.lessons.models import LessonPage

# Wagtail's Page() looks its content type up (cached once loaded): without the database the result
# depended on which test ran first.
pytestmark = pytest.mark.django_db


def test_every_page_type_a_course_accepts_is_an_activity_page_with_its_own_condition():
    models = [apps.get_model(name) for name in ACTIVITY_PAGE_TYPES]
    assert set(models) == {m for m in apps.get_models() if issubclass(m, ActivityPage)}
    for model in models:
        assert model.completion_condition is not ActivityPage.completion_condition, model
    assert set(CoursePage.clean_subpage_models()) == set(models)


def test_lesson_completes_on_view_or_when_marked_done():
    assert LessonPage().completion_condition() == CompletionCondition(completes=Completes.ON_VIEW)
    done = LessonPage(completion_mode=LessonPage.CompletionMode.DONE).completion_condition()
    assert done.completes is Completes.ON_MARK_DONE
    assert done.needs_mark_done and not done.completes_on_view


def test_quiz_completes_when_passed_by_default_or_when_taken_at_all():
    assert QuizPage().completion_mode == QuizCompletionMode.PASSED
    passed = QuizPage(passing_grade=Decimal(60)).completion_condition()
    assert passed == CompletionCondition(completes=Completes.ON_PASS, pass_percent=Decimal(60))
    taken = QuizPage(completion_mode=QuizCompletionMode.COMPLETED).completion_condition()
    assert taken.completes is Completes.ON_RESULT


def test_h5p_activity_completes_at_its_passing_threshold():
    condition = H5PActivityPage(passing_threshold=70).completion_condition()
    assert condition == CompletionCondition(completes=Completes.ON_PASS, pass_percent=Decimal(70))


@pytest.mark.parametrize(
    ("completes", "score", "passed", "met"),
    [
        (Completes.ON_PASS, "8", True, True),
        (Completes.ON_PASS, "8", False, False),  # the reporter's verdict wins over the threshold
        (Completes.ON_PASS, "7", None, True),  # no verdict: the page's own threshold decides
        (Completes.ON_PASS, "6", None, False),
        (Completes.ON_PASS, None, None, False),
        (Completes.ON_RESULT, "0", False, True),
        (Completes.ON_VIEW, "0", False, True),
        (Completes.ON_MARK_DONE, "10", True, False),  # only the learner's own "done" completes it
    ],
)
def test_a_result_meets_the_condition_as_its_kind_says(completes, score, passed, met):
    condition = CompletionCondition(completes=completes, pass_percent=Decimal(70))
    score = Decimal(score) if score is not None else None
    assert condition.met_by_result(score=score, max_score=Decimal(10), passed=passed) is met


@pytest.mark.django_db
def test_progress_asks_only_activity_pages_for_a_condition():
    from wagtail.models import Page

    from courses.progress.rules import activity_condition

    with pytest.raises(TypeError):
        activity_condition(Page.objects.get(depth=2))
    lesson = LessonPage(completion_mode=LessonPage.CompletionMode.DONE)
    assert activity_condition(lesson).needs_mark_done
