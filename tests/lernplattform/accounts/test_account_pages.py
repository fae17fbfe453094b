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

    def _confirm(self, client, message):
        link = re.search(r"http://testserver(/konto/registrieren/bestaetigen/\S+/)", message.body).group(1)
        assert client.get(link).status_code == 200, "the link shows a button; mail scanners only GET"
        return client.post(link)

    def test_registration_creates_learner_in_chosen_organisation_once_the_address_is_confirmed(
        self, client, org_tree, run_on_commit
    ):
        with run_on_commit():
            response = client.post("/konto/registrieren/", self.form(org_tree["garching"]))

        assert response.status_code == 200
        assert "bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
        user = User.objects.get(email="rita@kommune.example")
        assert not user.is_active
        membership = user.memberships.get()
        assert (membership.organisation, membership.role, membership.approved) == (
            org_tree["garching"],
            Membership.Role.LEARNER,
            True,
        )
        [message] = mail.outbox
        assert message.to == ["rita@kommune.example"]

        assert self._confirm(client, message).status_code == 302
        user.refresh_from_db()
        assert user.is_active
        assert client.get("/konto/profil/").status_code == 200

    def test_confirmation_link_works_once(self, client, org_tree, run_on_commit):
        with run_on_commit():
            client.post("/konto/registrieren/", self.form(org_tree["garching"]))
        [message] = mail.outbox
        self._confirm(client, message)
        client.logout()
        link = re.search(r"http://testserver(/konto/registrieren/bestaetigen/\S+/)", message.body).group(1)
        assert client.get(link).status_code == 404
        assert client.post(link).status_code == 404

    def test_organisation_requiring_approval_gets_a_pending_membership_and_its_admin_a_mail(
        self, client, org_tree, make_member, run_on_commit
    ):
        Organisation.objects.filter(pk=org_tree["garching"].pk).update(requires_approval=True)
        make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, email="kreis@kommune.example")

        with run_on_commit():
            client.post("/konto/registrieren/", self.form(org_tree["garching"]))
        [confirmation] = mail.outbox
        with run_on_commit():
            self._confirm(client, confirmation)

        membership = User.objects.get(email="rita@kommune.example").memberships.get()
        assert membership.approved is False
        admin_mail = mail.outbox[1]
        assert admin_mail.to == ["kreis@kommune.example"], "the nearest admin above the Gemeinde"
        assert "Rita Neumann" in admin_mail.subject
        assert "wartet auf Bestätigung" in client.get("/konto/profil/").content.decode()

    def test_existing_address_gets_the_same_answer_and_its_owner_an_email(self, client, org_tree, run_on_commit):
        """Issue 10 (low): registration said "Für diese E-Mail-Adresse gibt es schon ein Konto"."""
        owner = UserFactory(email="rita@kommune.example", full_name="Rita Alt")
        with run_on_commit():
            taken = client.post("/konto/registrieren/", self.form(org_tree["garching"]))
            fresh = client.post("/konto/registrieren/", self.form(org_tree["garching"], email="neu@kommune.example"))

        def text(response):
            html = response.content.decode().replace("rita@kommune.example", "X").replace("neu@kommune.example", "X")
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

        assert taken.status_code == fresh.status_code == 200
        assert text(taken) == text(fresh)
        owner.refresh_from_db()
        assert owner.full_name == "Rita Alt" and owner.memberships.count() == 0
        to_owner = next(m for m in mail.outbox if m.to == ["rita@kommune.example"])
        assert "schon ein Konto" in to_owner.subject
        assert User.objects.count() == 2

    def test_mismatched_passwords_are_refused_in_german(self, client, org_tree):
        html = client.post(
            "/konto/registrieren/", self.form(org_tree["garching"], password2="anderes-Passwort-1")
        ).content.decode()
        assert "stimmen nicht überein" in html
        assert not User.objects.exists()

    def test_registrations_are_rate_limited_per_address(self, client, org_tree, settings):
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            "registration": {"window": 3600, "per_ip": 50, "per_address": 2},
        }
        answers = [client.post("/konto/registrieren/", self.form(org_tree["garching"])).status_code for _ in range(3)]
        assert answers == [200, 200, 429]

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

    def test_resets_are_limited_per_address(self, client, db, settings, run_on_commit):
        """Issue 10 (low): 8 reset mails went out in seconds."""
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            "password_reset": {"window": 3600, "per_ip": 100, "per_address": 3},
        }
        UserFactory(email="anna@kommune.example")
        with run_on_commit():
            answers = [
                client.post("/konto/passwort/vergessen/", {"email": "anna@kommune.example"}).status_code
                for _ in range(8)
            ]
        assert answers == [302, 302, 302, 429, 429, 429, 429, 429]
        assert len(mail.outbox) == 3
        page = client.post("/konto/passwort/vergessen/", {"email": "anna@kommune.example"}).content.decode()
        assert "Zu viele Anfragen" in page

    def test_resets_are_limited_per_client_address_over_many_addresses(self, client, db, settings):
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            "password_reset": {"window": 3600, "per_ip": 5, "per_address": 3},
        }
        answers = [
            client.post("/konto/passwort/vergessen/", {"email": f"p{n}@kommune.example"}).status_code for n in range(7)
        ]
        assert answers == [302] * 5 + [429, 429]
        other_client = client.post(
            "/konto/passwort/vergessen/", {"email": "p9@kommune.example"}, REMOTE_ADDR="192.0.2.99"
        )
        assert other_client.status_code == 302


class TestLoginSpraying:
    """Issue 10 (low): axes locked user+address pairs only, so one password over many users was unlimited."""

    def test_many_accounts_from_one_address_lock_that_address(self, client, db, settings):
        settings.AXES_ENABLED = True
        settings.LOGIN_FAILURES_PER_IP = 10
        victim = UserFactory(email="victim@kommune.example", password=PASSWORD)
        for n in range(10):
            client.post("/konto/anmelden/", {"username": f"user{n}@kommune.example", "password": "Sommer2026!"})

        response = client.post("/konto/anmelden/", {"username": victim.email, "password": PASSWORD})

        assert response.status_code == 429
        assert "Von Ihrem Netzwerk aus" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_other_addresses_still_log_in(self, client, db, settings):
        settings.AXES_ENABLED = True
        settings.LOGIN_FAILURES_PER_IP = 3
        user = UserFactory(email="anna@kommune.example", password=PASSWORD)
        for n in range(3):
            client.post("/konto/anmelden/", {"username": f"user{n}@kommune.example", "password": "x"})

        response = client.post(
            "/konto/anmelden/", {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
        )

        assert response.status_code == 302

    def test_a_spoofed_forwarded_for_header_does_not_give_a_fresh_address(self, client, db, settings):
        settings.AXES_ENABLED = True
        settings.LOGIN_FAILURES_PER_IP = 3
        user = UserFactory(email="anna@kommune.example", password=PASSWORD)
        for n in range(3):
            client.post(
                "/konto/anmelden/",
                {"username": f"user{n}@kommune.example", "password": "x"},
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            )
        response = client.post(
            "/konto/anmelden/", {"username": user.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.50"
        )
        assert response.status_code == 429

    def test_behind_a_trusted_proxy_the_address_it_appended_counts(self, rf, settings):
        from lernplattform.accounts.ratelimit import client_ip

        request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1", REMOTE_ADDR="10.0.0.2")
        assert client_ip(request) == "10.0.0.2"
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_ip(request) == "198.51.100.1", "never the client-chosen entry on the left"


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
