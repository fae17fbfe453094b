"""generate_scale_data: a real ARS tree on every level, people placed, repeatable with a seed."""

import pytest
from django.core.management import CommandError, call_command

from courses.progress.models import Enrolment
from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.reports.models import OrganisationFigures
from lernplattform.reports.scale import organisations_plan


def test_the_ars_tree_has_every_level_with_consistent_keys():
    import random

    orgs = organisations_plan(random.Random(1), 1)
    by_id = {o.id: o for o in orgs}
    kinds = {o.kind for o in orgs}
    assert kinds == {"land", "regierungsbezirk", "kreis", "kreisfreie_stadt", "gemeindeverband", "gemeinde", "other"}
    assert 10_000 <= len(orgs) <= 12_500
    assert len({o.ars for o in orgs if o.ars}) == len([o for o in orgs if o.ars])  # unique keys
    digits = Organisation.SCOPE_DIGITS
    for org in orgs:
        if org.parent_id is None:
            assert org.kind == "land"
            continue
        parent = by_id[org.parent_id]
        if org.ars:
            assert len(org.ars) == 12 and org.ars.isdigit()
            assert org.ars.startswith(parent.ars[: digits[parent.kind]])
        else:
            assert org.kind == "other" and org.key == parent.ars


@pytest.mark.django_db
def test_a_small_run_fills_the_database_and_refuses_a_second(settings):
    call_command("generate_scale_data", learners=300, enrolments=1500, certificates=200, seed=7)
    assert Organisation.objects.count() > 10_000
    assert User.objects.filter(email__endswith="@scale.lernplattform.example").count() == 304
    assert Membership.objects.filter(role="learner").count() == 300
    assert 1000 <= Enrolment.objects.count() <= 1500
    assert Enrolment.objects.filter(status="completed").exists()
    assert OrganisationFigures.objects.filter(topic__isnull=True).exists()
    with pytest.raises(CommandError, match="schon Organisationen"):
        call_command("generate_scale_data", learners=10, enrolments=10, certificates=0)
