"""Create (or promote) a platform admin through a membership, the one permission layer.

`createsuperuser` is not enough here: superuser and staff flags are derived from memberships at
every login, so an account without a platform-admin membership would lose them again.
"""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.services import membership_start


class Command(BaseCommand):
    help = "Legt eine Plattformverwaltung an (Benutzer plus Mitgliedschaft) oder ernennt ein bestehendes Konto dazu."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse (Anmeldename)")
        parser.add_argument("--name", required=True, help="Vollständiger Name")
        parser.add_argument("--organisation", required=True, metavar="ARS", help="ARS der Organisation (12 Ziffern)")

    def handle(self, *args, email: str, name: str, organisation: str, **options) -> None:
        org = Organisation.objects.filter(ars=organisation).first()
        if org is None:
            raise CommandError(
                f"Keine Organisation mit dem Regionalschlüssel {organisation}. "
                "Zuerst import_organisations ausführen oder den Schlüssel prüfen."
            )
        user = User.objects.filter(email=email.lower()).first()
        password = None
        if user is None:
            password = os.environ.get("PLATFORM_ADMIN_PASSWORD") or getpass.getpass("Passwort: ")
            try:
                validate_password(password, User(email=email, full_name=name))
            except ValidationError as exc:
                raise CommandError("Das Passwort ist nicht sicher genug: " + " ".join(exc.messages)) from exc
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email=email, password=password, full_name=name)
            membership_start(user=user, organisation=org, role=Membership.Role.PLATFORM_ADMIN)
        self.stdout.write(self.style.SUCCESS(f"{user.email} ist Plattformverwaltung ({org.name})."))
