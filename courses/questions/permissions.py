"""Who may read and who may change what in the question bank: one definition, two uses.

Each rule is a filter (``Q``) over categories; the queryset filters (``categories_for``,
``questions_for``) and the object checks (``user_may_category``, ``user_may_question``) are both
derived from it, so a list can never show what a detail refuses, or the other way round
(STYLE.md, Kolibri). It depends only on accounts and the catalogue (layer 5, below the quizzes).

- Platform admins read and change everything.
- Trainers (active trainer membership) read and change the categories of the courses they may
  edit (course owner or assigned trainer, the same people as the course's Wagtail group) and
  their own categories; they read, but do not change, the platform's shared categories
  (no course, no owner).
- Everyone else: nothing.

Changing a question that a quiz of a course the person may *not* edit uses is refused
separately, by a guard the quiz side registers with the bank's services
(``release_services.question_refuse_if_used_elsewhere``): the category may be theirs, the quiz
is not – and the bank must not import the quizzes above it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from courses.catalog.permissions import may_teach_course
from courses.questions.models import Question, QuestionCategory
from lernplattform.accounts.models import Membership
from lernplattform.accounts.selectors import user_active_memberships
from lernplattform.core.permissions import NOTHING

if TYPE_CHECKING:
    from lernplattform.accounts.models import User


class BankAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"


def _roles(user: User) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    # Rights come from memberships only (DESIGN.md, Roles): no is_superuser shortcut.
    return set(user_active_memberships(user=user).values_list("role", flat=True))


def user_is_bank_admin(*, user: User) -> bool:
    """Platform admins act on the whole bank, shared categories included."""
    return Membership.Role.PLATFORM_ADMIN in _roles(user)


def user_may_use_bank(*, user: User) -> bool:
    """Trainers and platform admins work with the question bank at all."""
    return bool(_roles(user) & {Membership.Role.TRAINER, Membership.Role.PLATFORM_ADMIN})


def courses_editable_filter(*, user: User) -> Q:
    """Courses (``CoursePage``) whose content this person edits: the catalogue's teaching rule."""
    return may_teach_course.filter(user=user)


def course_ids_editable(*, user: User) -> QuerySet:
    return may_teach_course.queryset(user=user).values("pk")


def category_filter(*, user: User, action: BankAction) -> Q:
    """The one definition: which categories ``user`` may read (VIEW) or change (CHANGE)."""
    roles = _roles(user)
    if Membership.Role.PLATFORM_ADMIN in roles:
        return Q()
    if Membership.Role.TRAINER not in roles:
        return NOTHING
    theirs = Q(owner=user) | Q(course__in=course_ids_editable(user=user))
    if action is BankAction.VIEW:
        return theirs | Q(owner__isnull=True, course__isnull=True)
    return theirs


def categories_for(*, user: User, action: BankAction = BankAction.VIEW) -> QuerySet[QuestionCategory]:
    return QuestionCategory.objects.filter(category_filter(user=user, action=action))


def questions_for(*, user: User, action: BankAction = BankAction.VIEW) -> QuerySet[Question]:
    return Question.objects.filter(category__in=categories_for(user=user, action=action).values("pk"))


def user_may_category(*, user: User, category: QuestionCategory, action: BankAction) -> bool:
    return categories_for(user=user, action=action).filter(pk=category.pk).exists()


def user_may_question(*, user: User, question: Question, action: BankAction) -> bool:
    return user_may_category(user=user, category=question.category, action=action)
