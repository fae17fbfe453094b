"""Demo organisations and one user per role (logins are documented in README.md)."""

from django.db import transaction

from .models import Membership, Organisation, User
from .services import membership_start

DEMO_PASSWORD = "Demo-Passwort-2026"

# (ARS, name, kind, kind label, parent ARS, headcount)
ORGANISATIONS = [
    ("090000000000", "Bayern", Organisation.Kind.LAND, "Freistaat", None, None),
    ("091000000000", "Oberbayern", Organisation.Kind.REGIERUNGSBEZIRK, "Regierungsbezirk", "090000000000", None),
    ("091620000000", "München", Organisation.Kind.KREISFREIE_STADT, "Kreisfreie Stadt", "091000000000", 43000),
    ("091840000000", "München", Organisation.Kind.KREIS, "Landkreis", "091000000000", 1400),
]

# (e-mail, full name, role, organisation ARS)
USERS = [
    ("plattform@demo.lernplattform.de", "Petra Plattner", Membership.Role.PLATFORM_ADMIN, "090000000000"),
    ("verwaltung@demo.lernplattform.de", "Oskar Ortmann", Membership.Role.ORG_ADMIN, "091840000000"),
    ("trainerin@demo.lernplattform.de", "Tanja Trainer", Membership.Role.TRAINER, "090000000000"),
    ("redaktion@demo.lernplattform.de", "Rainer Redlich", Membership.Role.REVIEWER, "090000000000"),
    ("lernende@demo.lernplattform.de", "Lena Lernwillig", Membership.Role.LEARNER, "091840000000"),
]


@transaction.atomic
def seed(*, stdout) -> None:
    by_ars: dict[str, Organisation] = {}
    for ars, name, kind, label, parent_ars, headcount in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            ars=ars,
            defaults={
                "name": name,
                "kind": kind,
                "kind_label": label,
                "parent": by_ars.get(parent_ars) if parent_ars else None,
                "headcount": headcount,
            },
        )
        by_ars[ars] = org
    for email, full_name, role, ars in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        membership_start(user=user, organisation=by_ars[ars], role=role)
    stdout.write(f"  {len(ORGANISATIONS)} Organisationen, {len(USERS)} Demo-Konten (Passwort: {DEMO_PASSWORD})")
