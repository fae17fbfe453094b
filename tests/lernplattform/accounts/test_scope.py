"""Organisation admins see exactly the people below their organisation, by ARS prefix."""

import datetime

from django.utils import timezone

from lernplattform.accounts.models import Membership, Organisation
from lernplattform.accounts.selectors import organisations_in_scope, users_visible_to
from lernplattform.accounts.services import user_move_organisation
from tests.factories.accounts import OrganisationFactory


def test_gemeinde_admin_never_sees_people_of_another_gemeinde(org_tree, make_member):
    admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
    own = make_member(org_tree["garching"])
    neighbour = make_member(org_tree["unterhaching"])

    visible = set(users_visible_to(viewer=admin))

    assert own in visible
    assert neighbour not in visible


def test_kreis_admin_sees_all_gemeinden_of_the_kreis_and_none_outside(org_tree, make_member):
    admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
    in_garching = make_member(org_tree["garching"])
    in_unterhaching = make_member(org_tree["unterhaching"])
    in_grafing = make_member(org_tree["grafing"])
    in_land = make_member(org_tree["land"])

    visible = set(users_visible_to(viewer=admin))

    assert {in_garching, in_unterhaching} <= visible
    assert in_grafing not in visible
    assert in_land not in visible


def test_other_public_body_is_in_scope_through_its_parent(org_tree, make_member):
    zweckverband = OrganisationFactory(
        ars=None, name="Zweckverband Wasser", kind=Organisation.Kind.OTHER, parent=org_tree["garching"]
    )
    kreis_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
    body_admin = make_member(zweckverband, Membership.Role.ORG_ADMIN)
    staff = make_member(zweckverband)
    garching_staff = make_member(org_tree["garching"])

    assert staff in set(users_visible_to(viewer=kreis_admin))
    assert set(organisations_in_scope(viewer=body_admin)) == {zweckverband}
    assert garching_staff not in set(users_visible_to(viewer=body_admin))


def test_learner_sees_nobody_and_platform_admin_sees_everyone(org_tree, make_member, platform_admin):
    learner = make_member(org_tree["garching"])
    other = make_member(org_tree["grafing"])

    assert not users_visible_to(viewer=learner).exists()
    assert {learner, other} <= set(users_visible_to(viewer=platform_admin))


def test_moving_employer_ends_old_membership_and_keeps_history(org_tree, make_member):
    person = make_member(org_tree["garching"])
    old_admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
    new_admin = make_member(org_tree["grafing"], Membership.Role.ORG_ADMIN)

    user_move_organisation(user=person, organisation=org_tree["grafing"])

    assert person not in set(users_visible_to(viewer=old_admin))
    assert person in set(users_visible_to(viewer=new_admin))
    history = Membership.objects.filter(user=person).order_by("pk")
    assert [m.organisation for m in history] == [org_tree["garching"], org_tree["grafing"]]
    assert history[0].valid_to == timezone.localdate()


def test_expired_membership_gives_no_scope(org_tree, make_member):
    admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
    Membership.objects.filter(user=admin).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=60),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_member(org_tree["garching"])

    assert not users_visible_to(viewer=admin).exists()


def test_ags_is_derived_from_ars(org_tree):
    assert org_tree["garching"].ags == "09184119"
    assert org_tree["kreis"].scope_prefix == "09184"
