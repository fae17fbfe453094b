"""Who may teach a course: one rule, the list and the object check always agree."""

import pytest

from courses.catalog.models import CourseTrainer
from courses.catalog.permissions import (
    course_trainers,
    courses_teachable,
    may_teach_course,
    user_may_teach,
    user_may_teach_at_all,
)
from lernplattform.accounts.models import Membership
from tests.factories.accounts import UserFactory
from tests.factories.pages import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    return [CoursePageFactory(title=f"Kurs {n}") for n in range(3)]


@pytest.fixture
def trainer(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.TRAINER)


def _agree(user, courses):
    """The queryset filter and the object check give the same answer for every course."""
    listed = set(courses_teachable(user=user).values_list("pk", flat=True))
    for course in courses:
        assert user_may_teach(user=user, course=course) is (course.pk in listed)
    return listed


def test_a_trainer_teaches_the_courses_they_own_or_are_assigned_to(courses, trainer):
    owned, assigned, other = courses
    owned.owner = trainer
    owned.save(update_fields=["owner"])
    CourseTrainer.objects.create(course=assigned, user=trainer)
    assert _agree(trainer, courses) == {owned.pk, assigned.pk}
    assert user_may_teach_at_all(user=trainer)
    # Read from the course's side (its Wagtail group), the rule names the same person.
    assert [list(course_trainers(course=c)) for c in courses] == [[trainer], [trainer], []]


def test_a_platform_admin_teaches_every_course(courses, platform_admin):
    assert _agree(platform_admin, courses) == {c.pk for c in courses}


def test_ownership_without_a_trainer_membership_gives_no_rights(courses, org_tree, make_member):
    former = make_member(org_tree["kreis"], Membership.Role.LEARNER)
    courses[0].owner = former
    courses[0].save(update_fields=["owner"])
    CourseTrainer.objects.create(course=courses[1], user=former)
    assert _agree(former, courses) == set()
    assert not user_may_teach_at_all(user=former)
    assert not course_trainers(course=courses[0]).exists()


def test_a_superuser_flag_without_a_membership_gives_no_rights(courses):
    """DESIGN.md: rights come from memberships; createsuperuser alone teaches nothing."""
    flagged = UserFactory(is_superuser=True, is_staff=True)
    assert _agree(flagged, courses) == set()


def test_an_ended_trainer_membership_ends_the_rights(courses, trainer):
    CourseTrainer.objects.create(course=courses[0], user=trainer)
    from lernplattform.accounts.services import membership_end

    membership_end(membership=Membership.objects.get(user=trainer))
    assert _agree(trainer, courses) == set()


def test_anonymous_and_inactive_people_teach_nothing(courses, trainer):
    from django.contrib.auth.models import AnonymousUser

    CourseTrainer.objects.create(course=courses[0], user=trainer)
    assert may_teach_course.queryset(user=AnonymousUser()).count() == 0
    trainer.is_active = False
    assert _agree(trainer, courses) == set()
