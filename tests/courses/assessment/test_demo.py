"""The demo question bank."""

import io

import pytest

from courses.assessment import demo
from courses.assessment.models import Question, QuestionCategory
from courses.questions import types

pytestmark = pytest.mark.django_db


def test_each_topic_gets_at_least_eight_questions_of_several_types_and_seeding_twice_adds_nothing():
    demo.seed(stdout=io.StringIO())
    for root in QuestionCategory.get_root_nodes():
        questions = Question.objects.filter(category__path__startswith=root.path).select_related("current_version")
        assert questions.count() >= 8, root.name
        assert len({q.current_version.qtype for q in questions}) >= 6, root.name
    # No category twice under the same parent.
    seen = [(c.path[:-4], c.name) for c in QuestionCategory.objects.all()]
    assert len(seen) == len(set(seen))
    assert QuestionCategory.objects.count() == 3 + 3 + 2 + 2
    count = Question.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Question.objects.count() == count


def test_demo_questions_score_zero_for_an_empty_response():
    demo.seed(stdout=io.StringIO())
    for question in Question.objects.select_related("current_version"):
        data = question.current_version.data
        result = types.for_data(data).score(data, {}, None)
        assert result.fraction in (0, None)
