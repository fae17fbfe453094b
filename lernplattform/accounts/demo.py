"""Demo organisations (true keys, see demo_organisations.py) and one user per role.

The logins are documented in README.md; all share DEMO_PASSWORD.
"""

from django.db import transaction

from .demo_organisations import DEMO_ORGANISATIONS
from .models import Membership, Organisation, User
from .services import membership_start

DEMO_PASSWORD = "Demo-Passwort-2026"  # noqa: S105 – documented demo login, never used in production

# (e-mail, full name, role, organisation ARS)
USERS = [
    ("plattform@demo.lernplattform.de", "Petra Plattner", Membership.Role.PLATFORM_ADMIN, "090000000000"),
    ("verwaltung@demo.lernplattform.de", "Oskar Ortmann", Membership.Role.ORG_ADMIN, "091840000000"),
    ("gemeinde@demo.lernplattform.de", "Gisela Gemeiner", Membership.Role.ORG_ADMIN, "091840119119"),
    ("trainerin@demo.lernplattform.de", "Tanja Trainer", Membership.Role.TRAINER, "090000000000"),
    ("redaktion@demo.lernplattform.de", "Rainer Redlich", Membership.Role.REVIEWER, "090000000000"),
    ("lernende@demo.lernplattform.de", "Lena Lernwillig", Membership.Role.LEARNER, "091840119119"),
    # Colleagues, so that the admins have people to see (and the boundaries can be tried out).
    ("kollege.garching@demo.lernplattform.de", "Konrad Kollmann", Membership.Role.LEARNER, "091840119119"),
    ("taufkirchen@demo.lernplattform.de", "Theresa Tauber", Membership.Role.LEARNER, "091840145145"),
    ("wegeleben@demo.lernplattform.de", "Werner Wegner", Membership.Role.LEARNER, "150855051365"),
]


def organisations_seed() -> dict[str, Organisation]:
    """Create or refresh the demo organisations; returns them by ARS (and bodies without ARS by name)."""
    by_key: dict[str, Organisation] = {}
    for demo in DEMO_ORGANISATIONS:  # parents are listed before their children
        parent = by_key[demo.parent_ars] if demo.parent_ars else None
        values = {
            "name": demo.name,
            "kind": demo.kind,
            "kind_label": demo.kind_label,
            "parent": parent,
            "headcount": demo.headcount,
            "requires_approval": demo.requires_approval,
        }
        if demo.ars:
            org, _ = Organisation.objects.update_or_create(ars=demo.ars, defaults=values)
            by_key[demo.ars] = org
        else:
            org, _ = Organisation.objects.update_or_create(ars=None, name=demo.name, parent=parent, defaults=values)
            by_key[demo.name] = org
    return by_key


@transaction.atomic
def seed(*, stdout) -> None:
    by_key = organisations_seed()
    for email, full_name, role, ars in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        membership_start(user=user, organisation=by_key[ars], role=role)
    stdout.write(f"  {len(DEMO_ORGANISATIONS)} Organisationen, {len(USERS)} Demo-Konten (Passwort: {DEMO_PASSWORD})")
