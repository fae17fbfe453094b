"""Who may see and act on progress records: one definition each, list and object check alike.

- Enrolments: everyone their own; organisation admins those of the people in their scope,
  platform admins everyone's (the people come from `lernplattform.accounts`' scope query, never
  a second copy of it). Scores stay out of what admins see (DESIGN.md privacy rule) – the API
  and pages for admins show statuses and dates only.
- Learners' results in a course (scores, activity states): the people who teach the course
  (`courses.catalog.permissions.may_teach_course`), nobody else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from courses.catalog.permissions import may_teach_course
from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import users_visible_to
from lernplattform.core.permissions import Rule

from .models import Enrolment


def _enrolment_condition(user: User) -> Q:
    return Q(user=user) | Q(user__in=users_visible_to(viewer=user).values("pk"))


may_see_enrolment: Rule[Enrolment] = Rule(
    name="progress.see_enrolment", model=Enrolment, condition=_enrolment_condition
)

# Results of learners in a course: exactly the teaching rule of the catalogue.
may_see_course_results = may_teach_course


def enrolments_visible(*, user: User) -> QuerySet[Enrolment]:
    return may_see_enrolment.queryset(user=user)
