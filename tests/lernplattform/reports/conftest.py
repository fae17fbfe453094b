import datetime

import pytest
from django.utils import timezone

from lernplattform.accounts.models import Membership


@pytest.fixture
def kreis_admin(org_tree, make_member):
    """Organisation admin of Landkreis München (Garching and Unterhaching below, Grafing outside)."""
    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, full_name="Kreis Verwaltung")


@pytest.fixture
def land_admin(org_tree, make_member):
    return make_member(org_tree["land"], Membership.Role.ORG_ADMIN, full_name="Land Verwaltung")


@pytest.fixture
def gemeinde_admin(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Garching Verwaltung")


@pytest.fixture
def topic(db):
    from tests.factories.pages import TopicFactory

    return TopicFactory(name="Datenschutz", slug="datenschutz")


@pytest.fixture
def course(topic):
    from tests.factories.pages import course_create

    return course_create(title="Datenschutz Grundlagen", lessons=1, topic=topic)


@pytest.fixture
def people(org_tree, make_member, course):
    """Learners: 3 in Garching (2 enrolled, one overdue), 6 in Unterhaching (all enrolled), 2 in Grafing."""
    from courses.progress.services import enrolment_create

    made = {"garching": [], "unterhaching": [], "grafing": []}
    for name, count in (("garching", 3), ("unterhaching", 6), ("grafing", 2)):
        for number in range(count):
            made[name].append(make_member(org_tree[name], full_name=f"{name.title()} Person {number}"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for index, person in enumerate(made["garching"][:2]):
        enrolment = enrolment_create(
            user=person, course=course, enrolled_by=person, due_date=tomorrow if index == 0 else None
        )
        if index == 0:  # two days later the due date has passed
            type(enrolment).objects.filter(pk=enrolment.pk).update(due_date=tomorrow - datetime.timedelta(days=2))
    for person in made["unterhaching"] + made["grafing"]:
        enrolment_create(user=person, course=course, enrolled_by=person)
    return made
