"""Who may teach a course: the one definition (DESIGN.md: a trainer's rights are per course).

"Teach" means look after a course: edit it and its activities in the Wagtail admin (through the
course's own group, `course_group_sync`), see its learners' results, grade its quizzes, use its
question categories. Platform admins (by membership) teach every course; trainers (by active,
approved membership) the courses they own or are assigned to (`CourseTrainer`); nobody else,
whatever flags their account carries. Every app that asks "may this person teach this course"
uses `may_teach_course`: the progress trainer pages, the grading queue, the bank.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lernplattform.accounts.models import Membership, User
from lernplattform.accounts.selectors import user_active_memberships
from lernplattform.core.permissions import NOTHING, Rule

from .models import CoursePage, CourseTrainer

TEACHING_ROLES = (Membership.Role.TRAINER, Membership.Role.PLATFORM_ADMIN)


def user_teaching_roles(*, user: User) -> set[str]:
    """The person's roles in force that give teaching rights (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(user_active_memberships(user=user).filter(role__in=TEACHING_ROLES).values_list("role", flat=True))


def _teach_condition(user: User) -> Q:
    roles = user_teaching_roles(user=user)
    if Membership.Role.PLATFORM_ADMIN in roles:
        return Q()
    if Membership.Role.TRAINER in roles:
        return Q(owner=user) | Q(pk__in=CourseTrainer.objects.filter(user=user).values("course_id"))
    return NOTHING


may_teach_course: Rule[CoursePage] = Rule(name="catalog.teach_course", model=CoursePage, condition=_teach_condition)


def courses_teachable(*, user: User) -> QuerySet[CoursePage]:
    """The courses this person teaches, by title."""
    return may_teach_course.queryset(user=user).order_by("title")


def user_may_teach(*, user: User, course: CoursePage) -> bool:
    return may_teach_course.allows(user=user, obj=course)


def course_trainers(*, course: CoursePage) -> QuerySet[User]:
    """The trainers who teach `course`: the same rule read from the course's side (the members
    of its Wagtail group). Platform admins teach it too, through their own role group."""
    active_trainers = Membership.objects.active().filter(role=Membership.Role.TRAINER, approved=True).values("user_id")
    assigned = CourseTrainer.objects.filter(course=course).values("user_id")
    return User.objects.filter(is_active=True, pk__in=active_trainers).filter(
        Q(pk=course.owner_id) | Q(pk__in=assigned)
    )


def roles_teach(*, roles: frozenset[str]) -> bool:
    """Whether these roles in force (accounts `request_roles`) give teaching rights at all."""
    return bool(roles & set(TEACHING_ROLES))


def user_may_teach_at_all(*, user: User) -> bool:
    """Whether the person has a teaching role (shows the trainer pages in the navigation)."""
    return bool(user_teaching_roles(user=user))
