"""The roles in force are cached per person and day (accounts/roles_cache.py): the navigation
changes at once when a role is granted or ends, and a page view asks the database for none."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lernplattform.accounts.models import Membership
from lernplattform.accounts.services import membership_end, membership_grant, membership_start

pytestmark = pytest.mark.django_db

ADMIN_LINK = "Verwaltung</a>"


def _nav(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("after_commit", [False, True])
def test_a_granted_role_shows_in_the_navigation_at_once_and_goes_when_it_ends(
    client, org_tree, make_member, platform_admin, django_capture_on_commit_callbacks, after_commit
):
    person = make_member(org_tree["garching"])
    client.force_login(person)
    assert ADMIN_LINK not in _nav(client)  # the learner's roles are cached now
    with django_capture_on_commit_callbacks(execute=after_commit):
        membership = membership_grant(
            by=platform_admin, user=person, organisation=org_tree["garching"], role=Membership.Role.ORG_ADMIN
        )
    assert ADMIN_LINK in _nav(client)
    with django_capture_on_commit_callbacks(execute=after_commit):
        membership_end(membership=membership)
    assert ADMIN_LINK not in _nav(client)


def test_a_membership_deleted_outside_the_services_counts_at_once(client, org_tree, make_member):
    person = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
    client.force_login(person)
    assert ADMIN_LINK in _nav(client)
    Membership.objects.get(user=person, role=Membership.Role.ORG_ADMIN).delete()  # e.g. Django's admin
    assert ADMIN_LINK not in _nav(client)


def test_a_role_that_begins_tomorrow_shows_from_tomorrow(client, org_tree, make_member):
    person = make_member(org_tree["garching"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    membership_start(
        user=person, organisation=org_tree["garching"], role=Membership.Role.ORG_ADMIN, valid_from=tomorrow
    )
    client.force_login(person)
    assert ADMIN_LINK not in _nav(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert ADMIN_LINK in _nav(client)


def test_each_person_sees_their_own_roles(client, org_tree, make_member):
    admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
    learner = make_member(org_tree["garching"])
    client.force_login(admin)
    assert ADMIN_LINK in _nav(client)
    client.force_login(learner)
    assert ADMIN_LINK not in _nav(client)


def test_a_page_view_with_warm_caches_reads_no_memberships(client, org_tree, make_member):
    client.force_login(make_member(org_tree["garching"], Membership.Role.ORG_ADMIN))
    _nav(client)
    with CaptureQueriesContext(connection) as queries:
        assert ADMIN_LINK in _nav(client)
    assert [q["sql"] for q in queries.captured_queries if "accounts_membership" in q["sql"]] == []
