"""Invitations: how an admin reaches someone outside her scope or without an account (issue 10).

The role starts only when the invited person accepts; the link is single-use, expires, and
only a hash of its token is stored.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from lernplattform.accounts.models import Invitation, Membership
from lernplattform.accounts.selectors import invitation_get_by_token, invitations_open_in_scope
from lernplattform.accounts.services import (
    ScopeError,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_token_hash,
)
from lernplattform.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from lernplattform.notifications.models import Notification

PASSWORD = "Ein-gutes-Passwort-2026"


@pytest.fixture
def kreis_admin(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, full_name="Kurt Kreis")


@pytest.fixture
def garching_admin(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Gabi Garching")


def _link_token(notification: Notification) -> str:
    return re.search(r"/konto/einladung/([^/\s]+)/", notification.body).group(1)


class TestCreate:
    def test_invitation_mails_a_link_and_stores_only_a_hash_of_its_token(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email=" Neu@Extern.Example ", organisation=org_tree["garching"], role="learner"
        )

        mail = Notification.objects.get(kind="accounts.invitation")
        token = _link_token(mail)
        assert mail.recipients == ["neu@extern.example"]
        assert invitation.email == "neu@extern.example"
        assert invitation.token == token
        assert invitation.token_hash == invitation_token_hash(token)
        assert token not in invitation.token_hash
        assert not Invitation.objects.filter(token_hash=token).exists()
        assert invitation.expires_at.date() == (timezone.now() + datetime.timedelta(days=14)).date()
        assert not Membership.objects.filter(organisation=org_tree["garching"], role="learner").exists()

    def test_expiry_follows_the_setting(self, settings, org_tree, garching_admin):
        settings.INVITATION_VALID_DAYS = 3
        invitation = invitation_create(
            by=garching_admin, email="a@extern.example", organisation=org_tree["garching"], role="learner"
        )
        assert invitation.expires_at.date() == (timezone.now() + datetime.timedelta(days=3)).date()

    def test_creating_the_same_open_invitation_twice_returns_the_first_and_mails_once(self, org_tree, garching_admin):
        first = invitation_create(
            by=garching_admin, email="a@extern.example", organisation=org_tree["garching"], role="learner"
        )
        second = invitation_create(
            by=garching_admin, email="A@extern.example", organisation=org_tree["garching"], role="learner"
        )

        assert second.pk == first.pk
        assert Notification.objects.filter(kind="accounts.invitation").count() == 1

    def test_an_expired_open_invitation_gets_a_new_link_when_created_again(self, org_tree, garching_admin):
        first = invitation_create(
            by=garching_admin, email="a@extern.example", organisation=org_tree["garching"], role="learner"
        )
        with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
            again = invitation_create(
                by=garching_admin, email="a@extern.example", organisation=org_tree["garching"], role="learner"
            )
            assert again.pk == first.pk
            assert again.token_hash != first.token_hash
            assert not again.is_expired

    def test_organisation_outside_scope_is_refused(self, org_tree, garching_admin):
        with pytest.raises(ScopeError):
            invitation_create(
                by=garching_admin, email="a@extern.example", organisation=org_tree["grafing"], role="learner"
            )
        assert not Invitation.objects.exists()

    def test_org_admin_cannot_invite_to_trainer_or_reviewer(self, org_tree, kreis_admin):
        for role in ("trainer", "reviewer", "platform_admin"):
            with pytest.raises(NotPermitted) as error:
                invitation_create(
                    by=kreis_admin, email="a@extern.example", organisation=org_tree["garching"], role=role
                )
            assert error.value.code == "accounts.role_not_grantable"

    def test_nobody_invites_themselves(self, org_tree, kreis_admin):
        with pytest.raises(NotPermitted):
            invitation_create(
                by=kreis_admin, email=kreis_admin.email, organisation=org_tree["garching"], role="learner"
            )

    def test_bad_address_is_a_german_validation_error(self, org_tree, garching_admin):
        with pytest.raises(ValidationFailed) as error:
            invitation_create(by=garching_admin, email="kein-at", organisation=org_tree["garching"], role="learner")
        assert "gültige E-Mail-Adresse" in error.value.message


class TestAccept:
    def test_newcomer_sets_name_and_password_and_the_membership_starts(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )

        accepted = invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)

        user = accepted.user
        assert user.email == "neu@extern.example" and user.full_name == "Nora Neu"
        assert user.check_password(PASSWORD)
        assert accepted.accepted_at is not None
        assert accepted.membership.organisation == org_tree["garching"]
        assert Membership.objects.active().filter(user=user, organisation=org_tree["garching"]).exists()

    def test_existing_account_accepts_while_logged_in(self, org_tree, make_member, garching_admin):
        outsider = make_member(org_tree["grafing"], email="out@grafing.example")
        invitation = invitation_create(
            by=garching_admin, email=outsider.email, organisation=org_tree["garching"], role="learner"
        )

        invitation_accept(token=invitation.token, user=outsider)

        assert set(Membership.objects.active().filter(user=outsider).values_list("organisation__name", flat=True)) == {
            "Grafing b.München",
            "Garching b.München",
        }

    def test_existing_account_must_log_in_rather_than_create_a_second(self, org_tree, make_member, garching_admin):
        outsider = make_member(org_tree["grafing"], email="out@grafing.example")
        invitation = invitation_create(
            by=garching_admin, email=outsider.email, organisation=org_tree["garching"], role="learner"
        )
        with pytest.raises(Conflict) as error:
            invitation_accept(token=invitation.token, full_name="Eve", password=PASSWORD)
        assert error.value.code == "accounts.invitation_login_required"
        assert not outsider.memberships.filter(organisation=org_tree["garching"]).exists()

    def test_someone_else_logged_in_cannot_take_the_invitation(self, org_tree, make_member, garching_admin):
        other = make_member(org_tree["grafing"])
        invitation = invitation_create(
            by=garching_admin, email="target@extern.example", organisation=org_tree["garching"], role="learner"
        )
        with pytest.raises(NotPermitted):
            invitation_accept(token=invitation.token, user=other)
        assert not other.memberships.filter(organisation=org_tree["garching"]).exists()

    def test_link_works_once(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)
        with pytest.raises(Conflict) as error:
            invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)
        assert error.value.code == "accounts.invitation_used"

    def test_expired_link_is_refused(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        with time_machine.travel(timezone.now() + datetime.timedelta(days=15)), pytest.raises(Conflict) as error:
            invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)
        assert error.value.code == "accounts.invitation_expired"

    def test_unknown_token_is_not_found(self, db):
        with pytest.raises(NotFound):
            invitation_accept(token="erfunden", full_name="X", password=PASSWORD)

    def test_weak_password_is_refused_and_nothing_is_created(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        with pytest.raises(ValidationFailed):
            invitation_accept(token=invitation.token, full_name="Nora Neu", password="123")
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_invitation_dies_with_the_inviters_right(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        Membership.objects.filter(user=garching_admin).update(valid_to=timezone.localdate())
        with pytest.raises(Conflict) as error:
            invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)
        assert error.value.code == "accounts.invitation_stale"


class TestResendAndRevoke:
    def test_resend_gives_a_new_link_and_kills_the_old(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        old_token = invitation.token

        resent = invitation_resend(by=garching_admin, invitation=invitation)

        assert resent.token != old_token
        assert Notification.objects.filter(kind="accounts.invitation").count() == 2
        assert (
            _link_token(Notification.objects.filter(kind="accounts.invitation").order_by("pk").last()) == resent.token
        )
        with pytest.raises(NotFound):
            invitation_accept(token=old_token, full_name="Nora Neu", password=PASSWORD)
        invitation_accept(token=resent.token, full_name="Nora Neu", password=PASSWORD)

    def test_revoked_invitation_cannot_be_accepted(self, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        invitation_revoke(by=garching_admin, invitation=invitation)
        with pytest.raises(Conflict) as error:
            invitation_accept(token=invitation.token, full_name="Nora Neu", password=PASSWORD)
        assert error.value.code == "accounts.invitation_revoked"
        # A new invitation for the same address may be made after a withdrawal.
        assert (
            invitation_create(
                by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
            ).pk
            != invitation.pk
        )

    def test_admin_of_another_scope_can_neither_resend_nor_revoke(self, org_tree, make_member, garching_admin):
        other = make_member(org_tree["grafing"], Membership.Role.ORG_ADMIN)
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        with pytest.raises(ScopeError):
            invitation_resend(by=other, invitation=invitation)
        with pytest.raises(ScopeError):
            invitation_revoke(by=other, invitation=invitation)
        assert invitation in invitations_open_in_scope(viewer=garching_admin)
        assert invitation not in invitations_open_in_scope(viewer=other)


class TestPages:
    def test_newcomer_accepts_on_the_page_and_is_logged_in(self, client, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        url = f"/konto/einladung/{invitation.token}/"
        page = client.get(url).content.decode()
        assert "Garching b.München" in page and "Konto anlegen" in page

        response = client.post(url, {"full_name": "Nora Neu", "password1": PASSWORD, "password2": PASSWORD})

        assert response.status_code == 302
        assert client.get("/konto/profil/").context["user"].email == "neu@extern.example"

    def test_form_errors_keep_the_invitation_open(self, client, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        response = client.post(
            f"/konto/einladung/{invitation.token}/",
            {"full_name": "Nora Neu", "password1": PASSWORD, "password2": "anders"},
        )
        assert response.status_code == 200
        assert "stimmen nicht überein" in response.content.decode()
        assert invitation_get_by_token(token=invitation.token).accepted_at is None

    def test_logged_in_invitee_accepts_with_one_click(self, client, org_tree, make_member, garching_admin):
        outsider = make_member(org_tree["grafing"], email="out@grafing.example")
        invitation = invitation_create(
            by=garching_admin, email=outsider.email, organisation=org_tree["garching"], role="learner"
        )
        client.force_login(outsider)
        response = client.post(f"/konto/einladung/{invitation.token}/", {"accept": "1"})
        assert response.status_code == 302
        assert outsider.memberships.filter(organisation=org_tree["garching"]).exists()

    def test_dead_link_shows_a_german_reason(self, client, db):
        response = client.get("/konto/einladung/erfunden/")
        assert response.status_code == 404
        assert "Einladungslink ist ungültig" in response.content.decode()

    def test_admin_lists_resends_and_withdraws(self, client, org_tree, garching_admin):
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        client.force_login(garching_admin)
        listing = client.get("/konto/verwaltung/einladungen/")
        assert "neu@extern.example" in listing.content.decode()

        client.post(f"/konto/verwaltung/einladungen/{invitation.pk}/erneut/")
        assert Notification.objects.filter(kind="accounts.invitation").count() == 2
        client.post(f"/konto/verwaltung/einladungen/{invitation.pk}/zurueckziehen/")
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert list(client.get("/konto/verwaltung/einladungen/").context["page"]) == []

    def test_other_scopes_invitation_is_not_found(self, client, org_tree, make_member, garching_admin):
        other = make_member(org_tree["grafing"], Membership.Role.ORG_ADMIN)
        invitation = invitation_create(
            by=garching_admin, email="neu@extern.example", organisation=org_tree["garching"], role="learner"
        )
        client.force_login(other)
        assert client.post(f"/konto/verwaltung/einladungen/{invitation.pk}/zurueckziehen/").status_code == 404
        invitation.refresh_from_db()
        assert invitation.revoked_at is None
