"""Organisation admins see exactly the people below their organisation, by ARS prefix."""

import datetime

import pytest
from django.utils import timezone

from lernplattform.accounts.models import Invitation, Membership, Organisation
from lernplattform.accounts.selectors import (
    organisations_in_scope,
    user_may_manage,
    users_manageable_by,
    users_visible_to,
)
from lernplattform.accounts.services import (
    ScopeError,
    membership_approve,
    membership_grant,
    membership_revoke,
    membership_start,
    user_move_organisation,
    user_move_within_scope,
)
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


# --- Issue 10, finding 1: an admin acts only on people wholly in her scope ---------------


class TestPersonScope:
    """Each of these got through before issue 10: the organisation was checked, never the person."""

    def test_grant_to_someone_outside_scope_is_refused_in_the_service(self, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        outsider = make_member(org_tree["grafing"])

        with pytest.raises(ScopeError):
            membership_grant(by=admin, user=outsider, organisation=org_tree["garching"], role="learner")

        assert not outsider.memberships.filter(organisation=org_tree["garching"]).exists()

    def test_grant_form_invites_an_outsider_instead_of_granting(self, client, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        outsider = make_member(org_tree["grafing"], email="out@grafing.example")
        client.force_login(admin)

        client.post(
            "/konto/verwaltung/rolle-vergeben/",
            {"email": outsider.email, "organisation": org_tree["garching"].pk, "role": "learner"},
        )

        assert not outsider.memberships.filter(organisation=org_tree["garching"]).exists()
        assert outsider not in set(users_visible_to(viewer=admin))
        assert Invitation.objects.open().filter(email=outsider.email, organisation=org_tree["garching"]).exists()

    def test_grant_form_answers_the_same_whether_or_not_the_address_has_an_account(self, client, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        make_member(org_tree["grafing"], email="exists@grafing.example")
        client.force_login(admin)

        def answer(email):
            response = client.post(
                "/konto/verwaltung/rolle-vergeben/",
                {"email": email, "organisation": org_tree["garching"].pk, "role": "learner"},
                follow=True,
            )
            text = " ".join(str(m) for m in response.context["messages"]).replace(email, "<adresse>")
            return response.redirect_chain, response.status_code, text

        assert answer("exists@grafing.example") == answer("nobody@nowhere.example")

    def test_gemeinde_admin_cannot_move_away_her_kreis_admin(self, org_tree, make_member):
        """The attack of the report: an outsider granted a learner role, then "Wechsel" ended all roles."""
        kreis_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        membership_start(user=kreis_admin, organisation=org_tree["garching"], role=Membership.Role.LEARNER)
        gemeinde_admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)

        with pytest.raises(ScopeError):
            user_move_within_scope(by=gemeinde_admin, user=kreis_admin, organisation=org_tree["garching"])
        learner = kreis_admin.memberships.get(role="learner")
        with pytest.raises(ScopeError):
            membership_revoke(by=gemeinde_admin, membership=learner)

        assert Membership.objects.active().filter(user=kreis_admin, role="org_admin").exists()
        assert Membership.objects.active().filter(pk=learner.pk).exists()

    def test_move_of_someone_with_roles_elsewhere_is_refused(self, org_tree, make_member):
        admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        person = make_member(org_tree["garching"])
        membership_start(user=person, organisation=org_tree["grafing"], role=Membership.Role.LEARNER)

        with pytest.raises(ScopeError):
            user_move_within_scope(by=admin, user=person, organisation=org_tree["unterhaching"])

        assert Membership.objects.active().filter(user=person).count() == 2

    def test_move_ends_only_memberships_inside_the_movers_scope(self, org_tree, make_member):
        person = make_member(org_tree["garching"])
        elsewhere = membership_start(user=person, organisation=org_tree["grafing"], role=Membership.Role.LEARNER)

        user_move_organisation(
            user=person,
            organisation=org_tree["unterhaching"],
            within=Organisation.objects.filter(ars__startswith="09184"),
        )

        assert Membership.objects.active().filter(pk=elsewhere.pk).exists()
        assert set(Membership.objects.active().filter(user=person).values_list("organisation__name", flat=True)) == {
            "Grafing b.München",
            "Unterhaching",
        }

    def test_nobody_changes_the_memberships_of_an_admin_of_their_own_level(self, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        co_admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        kreis_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        co_membership = co_admin.memberships.get()

        with pytest.raises(ScopeError):
            membership_revoke(by=admin, membership=co_membership)
        with pytest.raises(ScopeError):
            user_move_within_scope(by=admin, user=co_admin, organisation=org_tree["garching"])
        assert Membership.objects.active().filter(pk=co_membership.pk).exists()

        membership_revoke(by=kreis_admin, membership=co_membership)  # from above it works
        assert not Membership.objects.active().filter(pk=co_membership.pk).exists()

    def test_nobody_changes_their_own_memberships(self, org_tree, make_member):
        admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        with pytest.raises(ScopeError):
            membership_revoke(by=admin, membership=admin.memberships.get())
        with pytest.raises(ScopeError):
            membership_grant(by=admin, user=admin, organisation=org_tree["garching"], role="learner")

    def test_approve_checks_the_person_too(self, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        outsider = make_member(org_tree["grafing"])
        pending = membership_start(
            user=outsider, organisation=org_tree["garching"], role=Membership.Role.LEARNER, approved=False
        )
        with pytest.raises(ScopeError):
            membership_approve(membership=pending, by=admin)
        pending.refresh_from_db()
        assert not pending.approved

    def test_enrolment_by_an_admin_checks_that_the_person_is_wholly_in_scope(self, org_tree, make_member):
        from django.core.exceptions import PermissionDenied

        from courses.progress.services import enrolment_create
        from tests.factories.pages import course_create

        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        person = make_member(org_tree["grafing"])
        membership_start(user=person, organisation=org_tree["garching"], role=Membership.Role.LEARNER)
        course = course_create()

        with pytest.raises(PermissionDenied):
            enrolment_create(user=person, course=course, enrolled_by=admin)

    def test_manageable_people_are_a_subset_of_the_visible(self, org_tree, make_member):
        admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        inside = make_member(org_tree["garching"])
        straddling = make_member(org_tree["garching"])
        membership_start(user=straddling, organisation=org_tree["grafing"], role=Membership.Role.LEARNER)
        gemeinde_admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)

        manageable = set(users_manageable_by(viewer=admin))

        assert manageable <= set(users_visible_to(viewer=admin))
        assert inside in manageable and gemeinde_admin in manageable
        assert straddling not in manageable
        assert admin not in manageable
        assert user_may_manage(viewer=admin, user=inside)
        assert not user_may_manage(viewer=admin, user=straddling)


class TestLastAdmin:
    """Nobody ends their own admin role or the last admin role of an organisation (issue 15)."""

    def test_the_last_admin_role_of_an_organisation_cannot_be_ended(self, org_tree, make_member):
        kreis_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        only = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Gabi Garching")
        with pytest.raises(ScopeError) as refused:
            membership_revoke(by=kreis_admin, membership=only.memberships.get())
        assert refused.value.code == "accounts.last_admin"
        assert "letzte" in refused.value.message and "Garching" in refused.value.message
        assert Membership.objects.active().filter(user=only, role="org_admin").exists()
        # With a second admin in place, the first can go.
        make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        membership_revoke(by=kreis_admin, membership=only.memberships.get())
        assert not Membership.objects.active().filter(user=only, role="org_admin").exists()

    def test_moving_the_last_admin_away_is_refused_too(self, org_tree, make_member):
        kreis_admin = make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)
        only = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        with pytest.raises(ScopeError) as refused:
            user_move_within_scope(by=kreis_admin, user=only, organisation=org_tree["unterhaching"])
        assert refused.value.code == "accounts.last_admin"
        assert Membership.objects.active().filter(user=only, organisation=org_tree["garching"]).exists()

    def test_nobody_ends_their_own_admin_role(self, org_tree, make_member):
        admin = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        make_member(org_tree["garching"], Membership.Role.ORG_ADMIN)
        with pytest.raises(ScopeError) as refused:
            membership_revoke(by=admin, membership=admin.memberships.get())
        assert refused.value.code == "accounts.self"
