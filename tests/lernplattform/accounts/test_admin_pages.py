"""Organisation admins manage the people and headcounts of their scope, and nothing outside it."""

import pytest
from django.contrib.auth.models import Group

from lernplattform.accounts.models import Membership, Organisation
from lernplattform.accounts.services import (
    ScopeError,
    membership_approve,
    membership_grant,
    membership_start,
    user_move_within_scope,
)
from tests.factories.accounts import UserFactory


@pytest.fixture
def garching_admin(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Gabi Garching")


@pytest.fixture
def kreis_admin(org_tree, make_member):
    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, full_name="Kurt Kreis")


class TestPeoplePage:
    def test_gemeinde_admin_lists_own_people_and_never_the_neighbours(
        self, client, org_tree, make_member, garching_admin
    ):
        make_member(org_tree["garching"], full_name="Anna Garching")
        make_member(org_tree["unterhaching"], full_name="Uwe Unterhaching")
        client.force_login(garching_admin)

        html = client.get("/konto/verwaltung/").content.decode()

        assert "Anna Garching" in html
        assert "Uwe Unterhaching" not in html

    def test_kreis_admin_lists_all_gemeinden_of_the_kreis_and_none_outside(
        self, client, org_tree, make_member, kreis_admin
    ):
        make_member(org_tree["garching"], full_name="Anna Garching")
        make_member(org_tree["unterhaching"], full_name="Uwe Unterhaching")
        make_member(org_tree["grafing"], full_name="Greta Grafing")
        client.force_login(kreis_admin)

        html = client.get("/konto/verwaltung/").content.decode()

        assert "Anna Garching" in html and "Uwe Unterhaching" in html
        assert "Greta Grafing" not in html

    def test_platform_admin_lists_everyone(self, client, org_tree, make_member, platform_admin):
        make_member(org_tree["grafing"], full_name="Greta Grafing")
        client.force_login(platform_admin)
        assert "Greta Grafing" in client.get("/konto/verwaltung/").content.decode()

    def test_learner_is_refused(self, client, org_tree, make_member):
        client.force_login(make_member(org_tree["garching"]))
        assert client.get("/konto/verwaltung/").status_code == 403

    def test_page_queries_stay_bounded_whatever_the_number_of_people(
        self, client, org_tree, make_member, kreis_admin, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(kreis_admin)
        make_member(org_tree["garching"])
        with CaptureQueriesContext(connection) as few:
            client.get("/konto/verwaltung/")
        for n in range(30):
            make_member(org_tree["garching" if n % 2 else "unterhaching"])
        with django_assert_max_num_queries(len(few)):
            assert client.get("/konto/verwaltung/").status_code == 200
        assert len(few) <= 20


class TestApproval:
    def test_admin_approves_pending_registration_and_groups_follow(self, client, org_tree, kreis_admin):
        person = UserFactory()
        membership = membership_start(
            user=person, organisation=org_tree["garching"], role=Membership.Role.TRAINER, approved=False
        )
        assert not person.groups.exists(), "no rights before approval"
        client.force_login(kreis_admin)

        client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/bestaetigen/")

        membership.refresh_from_db()
        assert membership.approved
        assert list(person.groups.values_list("name", flat=True)) == ["Trainer/innen"]

    def test_admin_of_another_gemeinde_cannot_approve(self, client, org_tree, make_member):
        other_admin = make_member(org_tree["unterhaching"], Membership.Role.ORG_ADMIN)
        membership = membership_start(
            user=UserFactory(), organisation=org_tree["garching"], role=Membership.Role.LEARNER, approved=False
        )
        client.force_login(other_admin)

        response = client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/bestaetigen/")

        assert response.status_code == 403
        membership.refresh_from_db()
        assert not membership.approved

    def test_rejected_registration_never_comes_into_force(self, client, org_tree, garching_admin):
        membership = membership_start(
            user=UserFactory(), organisation=org_tree["garching"], role=Membership.Role.LEARNER, approved=False
        )
        client.force_login(garching_admin)
        client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/ablehnen/")
        assert not Membership.objects.active().filter(pk=membership.pk).exists()


class TestGrantAndMove:
    def test_platform_admin_grants_trainer_role(self, client, org_tree, platform_admin):
        person = UserFactory(email="neu@kommune.example")
        client.force_login(platform_admin)

        response = client.post(
            "/konto/verwaltung/rolle-vergeben/",
            {"email": "neu@kommune.example", "organisation": org_tree["garching"].pk, "role": "trainer"},
        )

        assert response.status_code == 302
        assert Membership.objects.active().filter(user=person, role="trainer").exists()
        assert person.groups.filter(name="Trainer/innen").exists()

    def test_organisation_outside_scope_is_not_offered_nor_accepted(self, client, org_tree, garching_admin):
        person = UserFactory(email="neu@kommune.example")
        client.force_login(garching_admin)
        assert "Unterhaching" not in client.get("/konto/verwaltung/rolle-vergeben/").content.decode()

        response = client.post(
            "/konto/verwaltung/rolle-vergeben/",
            {"email": "neu@kommune.example", "organisation": org_tree["unterhaching"].pk, "role": "learner"},
        )

        assert response.status_code == 200
        assert not person.memberships.exists()

    def test_org_admin_can_never_make_a_platform_admin(self, org_tree, kreis_admin):
        with pytest.raises(ScopeError):
            membership_grant(
                by=kreis_admin, user=UserFactory(), organisation=org_tree["garching"], role="platform_admin"
            )

    def test_move_within_scope_keeps_history(self, client, org_tree, make_member, kreis_admin):
        person = make_member(org_tree["garching"], full_name="Anna Garching")
        client.force_login(kreis_admin)

        client.post(f"/konto/verwaltung/person/{person.pk}/wechsel/", {"organisation": org_tree["unterhaching"].pk})

        history = list(person.memberships.order_by("pk").values_list("organisation__name", "valid_to"))
        assert history[0][0] == "Garching b.München" and history[0][1] is not None
        assert history[1] == ("Unterhaching", None)

    def test_move_of_someone_outside_scope_is_refused(self, org_tree, make_member, garching_admin):
        stranger = make_member(org_tree["grafing"])
        with pytest.raises(ScopeError):
            user_move_within_scope(by=garching_admin, user=stranger, organisation=org_tree["garching"])

    def test_approve_outside_scope_raises_in_the_service_too(self, org_tree, garching_admin):
        membership = membership_start(
            user=UserFactory(), organisation=org_tree["grafing"], role=Membership.Role.LEARNER, approved=False
        )
        with pytest.raises(ScopeError):
            membership_approve(membership=membership, by=garching_admin)


class TestHeadcount:
    def test_kreis_admin_sets_headcount_of_a_gemeinde(self, client, org_tree, kreis_admin):
        client.force_login(kreis_admin)
        garching = org_tree["garching"]

        client.post(f"/konto/verwaltung/organisationen/{garching.pk}/", {"headcount": "312", "requires_approval": "on"})

        garching.refresh_from_db()
        assert (garching.headcount, garching.requires_approval) == (312, True)

    def test_absurd_headcount_gets_a_german_error_and_nothing_is_saved(self, client, org_tree, kreis_admin):
        """Issue 10 (low): a headcount of 99999999999 gave a 500 (the column overflowed)."""
        client.force_login(kreis_admin)
        garching = org_tree["garching"]

        response = client.post(f"/konto/verwaltung/organisationen/{garching.pk}/", {"headcount": "99999999999"})

        assert response.status_code == 200
        assert "höchstens 10.000.000" in response.content.decode()
        garching.refresh_from_db()
        assert garching.headcount == 100

    def test_absurd_headcount_is_refused_by_the_service_too(self, org_tree, kreis_admin):
        from lernplattform.accounts.services import organisation_headcount_set
        from lernplattform.core.errors import ValidationFailed

        with pytest.raises(ValidationFailed):
            organisation_headcount_set(by=kreis_admin, organisation=org_tree["garching"], headcount=99999999999)

    def test_headcount_outside_scope_is_not_found(self, client, org_tree, garching_admin):
        client.force_login(garching_admin)
        response = client.post(f"/konto/verwaltung/organisationen/{org_tree['grafing'].pk}/", {"headcount": "1"})
        assert response.status_code == 404
        assert Organisation.objects.get(pk=org_tree["grafing"].pk).headcount == 100

    def test_organisation_list_counts_people_in_bounded_queries(
        self, client, org_tree, make_member, kreis_admin, django_assert_max_num_queries
    ):
        for _ in range(5):
            make_member(org_tree["garching"])
        client.force_login(kreis_admin)
        with django_assert_max_num_queries(14):
            html = client.get("/konto/verwaltung/organisationen/").content.decode()
        assert "Garching b.München" in html
        assert "Grafing" not in html


def test_groups_are_derived_never_kept_by_hand(org_tree, make_member):
    from lernplattform.accounts.services import membership_end, user_groups_sync

    reviewer = make_member(org_tree["kreis"], Membership.Role.REVIEWER)
    stray = Group.objects.create(name="Redaktion-Extra")
    reviewer.groups.add(Group.objects.get_or_create(name="Trainer/innen")[0], stray)

    user_groups_sync(user=reviewer)
    assert set(reviewer.groups.values_list("name", flat=True)) == {"Redaktion", "Redaktion-Extra"}

    membership_end(membership=reviewer.memberships.get())
    assert set(reviewer.groups.values_list("name", flat=True)) == {"Redaktion-Extra"}, "unmanaged groups stay"


def test_nightly_task_removes_groups_of_memberships_that_ended(org_tree, make_member):
    import datetime

    from django.utils import timezone

    from lernplattform.accounts.tasks import memberships_sync_groups

    trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER)
    Membership.objects.filter(user=trainer).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=10), valid_to=timezone.localdate()
    )

    assert memberships_sync_groups.delay().get() == 1
    assert not trainer.groups.exists()


def test_refused_learner_sees_a_german_explanation(client, org_tree, make_member):
    client.force_login(make_member(org_tree["garching"]))
    response = client.get("/konto/verwaltung/")
    assert response.status_code == 403
    assert "der Organisationsverwaltung vorbehalten" in response.content.decode()


class TestRolesOnlyFromTheRightPlace:
    """Issue 10, finding 2: an org admin made herself trainer and reviewer and then read everything."""

    def test_org_admin_cannot_make_herself_trainer_or_reviewer(self, org_tree, kreis_admin):
        for role in ("trainer", "reviewer"):
            with pytest.raises(ScopeError):
                membership_grant(by=kreis_admin, user=kreis_admin, organisation=org_tree["kreis"], role=role)
        assert not kreis_admin.groups.filter(name__in=["Trainer/innen", "Redaktion"]).exists()

    def test_trainer_and_reviewer_are_granted_only_by_platform_admins(self, org_tree, make_member, kreis_admin):
        person = make_member(org_tree["garching"])
        for role in ("trainer", "reviewer"):
            with pytest.raises(ScopeError) as error:
                membership_grant(by=kreis_admin, user=person, organisation=org_tree["garching"], role=role)
            assert error.value.code == "accounts.role_not_grantable"
        assert set(person.memberships.values_list("role", flat=True)) == {"learner"}

    def test_the_grant_form_offers_org_admins_neither_role(self, client, org_tree, kreis_admin):
        client.force_login(kreis_admin)
        choices = dict(client.get("/konto/verwaltung/rolle-vergeben/").context["form"].fields["role"].choices)
        assert set(choices) == {"learner", "org_admin"}

        response = client.post(
            "/konto/verwaltung/rolle-vergeben/",
            {"email": kreis_admin.email, "organisation": org_tree["kreis"].pk, "role": "trainer"},
        )
        assert response.status_code == 200
        assert not kreis_admin.memberships.filter(role="trainer").exists()

    def test_nobody_grants_themselves_a_role_through_the_form(self, client, org_tree, kreis_admin):
        client.force_login(kreis_admin)
        response = client.post(
            "/konto/verwaltung/rolle-vergeben/",
            {"email": kreis_admin.email, "organisation": org_tree["garching"].pk, "role": "org_admin"},
        )
        assert response.status_code == 200
        assert "Sich selbst kann niemand eine Rolle geben" in response.content.decode()
        assert kreis_admin.memberships.count() == 1

    def test_admin_role_is_granted_only_below_ones_own_level(self, org_tree, make_member, kreis_admin, garching_admin):
        person = make_member(org_tree["garching"])
        with pytest.raises(ScopeError):
            membership_grant(by=garching_admin, user=person, organisation=org_tree["garching"], role="org_admin")
        membership_grant(by=kreis_admin, user=person, organisation=org_tree["garching"], role="org_admin")
        assert person.memberships.filter(role="org_admin").exists()

    def test_platform_admin_grants_trainer_but_not_to_herself(self, org_tree, make_member, platform_admin):
        person = make_member(org_tree["garching"])
        membership_grant(by=platform_admin, user=person, organisation=org_tree["garching"], role="trainer")
        assert person.groups.filter(name="Trainer/innen").exists()
        with pytest.raises(ScopeError):
            membership_grant(by=platform_admin, user=platform_admin, organisation=org_tree["land"], role="trainer")


class TestConfirmations:
    """Destructive actions ask first and say what will happen (issue 15)."""

    def test_ending_a_role_shows_what_happens_and_ends_only_on_confirm(
        self, client, org_tree, make_member, garching_admin
    ):
        person = make_member(org_tree["garching"], full_name="Anna Garching")
        membership = person.memberships.get()
        client.force_login(garching_admin)
        people = client.get("/konto/verwaltung/").content.decode()
        assert f'href="/konto/verwaltung/mitgliedschaft/{membership.pk}/beenden/"' in people
        page = client.get(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/beenden/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "Anna Garching" in html and "Lernende/r" in html and "Garching b.München" in html
        assert "bleibt" in html  # what stays: history, progress, certificates
        assert Membership.objects.active().filter(pk=membership.pk).exists()
        response = client.post(f"/konto/verwaltung/mitgliedschaft/{membership.pk}/beenden/")
        assert response.status_code == 302
        assert not Membership.objects.active().filter(pk=membership.pk).exists()

    def test_the_confirmation_page_is_refused_outside_the_scope(self, client, org_tree, make_member, garching_admin):
        neighbour = make_member(org_tree["unterhaching"], full_name="Uwe Unterhaching")
        client.force_login(garching_admin)
        response = client.get(f"/konto/verwaltung/mitgliedschaft/{neighbour.memberships.get().pk}/beenden/")
        assert response.status_code == 403
        assert "Uwe Unterhaching" not in response.content.decode()

    def test_ending_the_last_admin_role_says_why_on_the_page(self, client, org_tree, make_member, kreis_admin):
        only = make_member(org_tree["garching"], Membership.Role.ORG_ADMIN, full_name="Gabi Garching")
        client.force_login(kreis_admin)
        url = f"/konto/verwaltung/mitgliedschaft/{only.memberships.get().pk}/beenden/"
        html = client.get(url).content.decode()
        assert "letzte" in html
        assert 'name="confirm"' not in html
        assert client.post(url).status_code == 403
        assert Membership.objects.active().filter(user=only, role="org_admin").exists()

    def test_the_move_page_lists_the_roles_that_end_and_start(self, client, org_tree, make_member, kreis_admin):
        person = make_member(org_tree["garching"], full_name="Anna Garching")
        client.force_login(kreis_admin)
        html = client.get(f"/konto/verwaltung/person/{person.pk}/wechsel/").content.decode()
        assert "Diese Rollen enden heute" in html
        assert "Garching b.München, Lernende/r" in html


def test_a_learner_confirms_before_leaving_a_course(client, org_tree, make_member):
    from courses.progress.models import Enrolment
    from courses.progress.services import enrolment_create
    from tests.factories.pages import course_create

    learner = make_member(org_tree["garching"])
    course = course_create(title="Datenschutz kompakt", lessons=1)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    url = f"/lernen/einschreibungen/{enrolment.pk}/beenden/"
    assert f'href="{url}"' in client.get(course.url).content.decode()
    html = client.get(url).content.decode()
    assert "Datenschutz kompakt" in html and "Lernstand bleibt" in html
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED


def test_the_leave_confirmation_of_someone_elses_enrolment_is_refused(client, org_tree, make_member):
    from courses.progress.services import enrolment_create
    from tests.factories.pages import course_create

    other = make_member(org_tree["unterhaching"], full_name="Uwe Unterhaching")
    enrolment = enrolment_create(user=other, course=course_create(lessons=1), enrolled_by=other)
    client.force_login(make_member(org_tree["garching"], Membership.Role.ORG_ADMIN))
    response = client.get(f"/lernen/einschreibungen/{enrolment.pk}/beenden/")
    assert response.status_code == 403
    assert "Uwe Unterhaching" not in response.content.decode()
