"""Who may grade a quiz (and see its learners' attempts): one definition, two uses.

The question bank's rules are in ``courses.questions.permissions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from courses.catalog.models import CoursePage
from courses.catalog.permissions import may_teach_course
from lernplattform.core.permissions import NOTHING, Rule

from .quiz_models import QuizPage

if TYPE_CHECKING:
    from lernplattform.accounts.models import User


# Quizzes: a quiz is graded (and its learners' attempts seen) by whoever teaches its course,
# its parent page. One EXISTS over the courses the teaching rule allows, so a grading queue of
# any length costs the same queries.


def _grade_condition(user: User) -> Q:
    teaches = may_teach_course.filter(user=user)
    if teaches == NOTHING:
        return NOTHING
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return Q(Exists(CoursePage.objects.filter(teaches, path=parent_path)))


may_grade_quiz: Rule[QuizPage] = Rule(name="assessment.grade_quiz", model=QuizPage, condition=_grade_condition)


def user_may_grade_quiz(*, user: User, quiz: QuizPage) -> bool:
    return may_grade_quiz.allows(user=user, obj=quiz)
