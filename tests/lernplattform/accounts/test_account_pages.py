"""Login, lockout, registration, password reset and profile, as a person would use them."""

import re

import pytest
from django.core import mail

from lernplattform.accounts.models import Membership, Organisation, User
from tests.factories.accounts import UserFactory

PASSWORD = "Sicheres-Passwort-42"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Use as ``with run_on_commit():`` around a request whose after-commit work should run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestLogin:
    def test_login_with_email_and_logout(self, client, db):
        UserFactory(email="anna@kommune.example", password=PASSWORD)
        response = client.post("/konto/anmelden/", {"username": "Anna@Kommune.example", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/konto/profil/").status_code == 200
        client.post("/konto/abmelden/")
        assert client.get("/konto/profil/").status_code == 302

    def test_login_leads_to_my_courses_or_the_page_asked_for(self, client, db):
        from django.urls import reverse

        UserFactory(email="anna@kommune.example", password=PASSWORD)
        response = client.post("/konto/anmelden/", {"username": "anna@kommune.example", "password": PASSWORD})
        assert response["Location"] == reverse("progress:dashboard")
        client.post("/konto/abmelden/")
        response = client.post(
            "/konto/anmelden/?next=/kurse/", {"username": "anna@kommune.example", "password": PASSWORD}
        )
        assert response["Location"] == "/kurse/"

    def test_wrong_password_shows_german_error(self, client, db):
        UserFactory(email="anna@kommune.example")
        html = client.post("/konto/anmelden/", {"username": "anna@kommune.example", "password": "falsch"}).content
        assert "E-Mail-Adresse oder Passwort ist falsch" in html.decode()

    def test_lockout_after_repeated_failures(self, client, db, settings):
        settings.AXES_ENABLED = True
        UserFactory(email="anna@kommune.example", password=PASSWORD)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/konto/anmelden/", {"username": "anna@kommune.example", "password": "falsch"})

        response = client.post("/konto/anmelden/", {"username": "anna@kommune.example", "password": PASSWORD})

        assert response.status_code == 429
        assert "vorübergehend gesperrt" in response.content.decode()

    def test_login_derives_groups_from_memberships(self, client, org_tree, make_member):
        trainer = make_member(org_tree["kreis"], Membership.Role.TRAINER, password=PASSWORD)
        trainer.groups.clear()  # e.g. someone edited groups by hand
        client.post("/konto/anmelden/", {"username": trainer.email, "password": PASSWORD})
        assert list(trainer.groups.values_list("name", flat=True)) == ["Trainer/innen"]


class TestRegistration:
    def form(self, organisation, **extra):
        return {
            "full_name": "Rita Neumann",
            "email": "rita@kommune.example",
            "organisation": organisation.pk,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        }

    def test_registration_creates_learner_in_chosen_organisation(self, client, org_tree):
        response = client.post("/konto/registrieren/", self.form(org_tree["garching"]))

        assert response.status_code == 302
        user = User.objects.get(email="rita@kommune.example")
        membership = user.memberships.get()
        assert (membership.organisation, membership.role, membership.approved) == (
            org_tree["garching"],
            Membership.Role.LEARNER,
            True,
        )
        assert client.get("/konto/profil/").status_code == 200

    def test_organisation_requiring_approval_gets_a_pending_membership_and_its_admin_a_mail(
        self, client, org_tree, make_member, run_on_commit
    ):
        Organisation.objects.filter(pk=org_tree["garching"].pk).update(requires_approval=True)
        make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, email="kreis@kommune.example")

        with run_on_commit():
            client.post("/konto/registrieren/", self.form(org_tree["garching"]))

        membership = User.objects.get(email="rita@kommune.example").memberships.get()
        assert membership.approved is False
        [message] = mail.outbox
        assert message.to == ["kreis@kommune.example"], "the nearest admin above the Gemeinde"
        assert "Rita Neumann" in message.subject
        assert "wartet auf Bestätigung" in client.get("/konto/profil/").content.decode()

    def test_existing_email_and_mismatched_passwords_are_refused_in_german(self, client, org_tree):
        UserFactory(email="rita@kommune.example")
        html = client.post(
            "/konto/registrieren/", self.form(org_tree["garching"], password2="anderes-Passwort-1")
        ).content.decode()
        assert "gibt es schon ein Konto" in html
        assert "stimmen nicht überein" in html
        assert User.objects.count() == 1

    def test_weak_password_is_refused(self, client, org_tree):
        html = client.post(
            "/konto/registrieren/", self.form(org_tree["garching"], password1="12345678", password2="12345678")
        ).content.decode()
        assert not User.objects.filter(email="rita@kommune.example").exists()
        assert "zu kurz" in html or "nur aus Zahlen" in html

    def test_organisation_search_by_name_and_by_ags(self, client, org_tree):
        by_name = client.get("/konto/registrieren/?suche=Garching").content.decode()
        assert "Garching b.München (Gemeinde / Stadt, 09184119)" in by_name
        assert "Unterhaching" not in by_name
        by_ags = client.get("/konto/registrieren/?suche=09184148").content.decode()
        assert "Unterhaching (Gemeinde / Stadt, 09184148)" in by_ags
        assert "Garching b.München (" not in by_ags


class TestPasswordReset:
    def test_reset_mail_goes_through_notifications_and_link_sets_new_password(self, client, db, run_on_commit):
        user = UserFactory(email="anna@kommune.example")

        with run_on_commit():
            response = client.post("/konto/passwort/vergessen/", {"email": "anna@kommune.example"})

        assert response.status_code == 302
        [message] = mail.outbox
        assert message.subject == "Passwort zurücksetzen – Lernplattform"
        link = re.search(r"http://testserver(/konto/passwort/neu/\S+/)", message.body).group(1)
        form_url = client.get(link)["Location"]
        response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password(PASSWORD)
        from lernplattform.notifications.models import Notification

        assert Notification.objects.get().topic == "password_reset"

    def test_unknown_address_reveals_nothing(self, client, db, run_on_commit):
        with run_on_commit():
            response = client.post("/konto/passwort/vergessen/", {"email": "niemand@kommune.example"})
        assert response.status_code == 302
        assert not mail.outbox


class TestProfile:
    def test_profile_changes_name_and_shows_membership_history(self, client, org_tree, make_member):
        from lernplattform.accounts.services import user_move_organisation

        user = make_member(org_tree["garching"], password=PASSWORD)
        user_move_organisation(user=user, organisation=org_tree["unterhaching"])
        client.force_login(user)

        client.post("/konto/profil/", {"full_name": "Anna Beispiel-Neu"})
        html = client.get("/konto/profil/").content.decode()

        user.refresh_from_db()
        assert user.full_name == "Anna Beispiel-Neu"
        assert "Garching b.München" in html and "Unterhaching" in html

    def test_profile_needs_login(self, client, db):
        assert client.get("/konto/profil/")["Location"].startswith("/konto/anmelden/")
