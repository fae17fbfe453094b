import pytest

from lernplattform.accounts.models import Membership


@pytest.fixture
def outsider(org_tree, make_member):
    """A learner in Grafing (Landkreis Ebersberg): outside the Kreis admin's scope."""
    return make_member(org_tree["grafing"], Membership.Role.LEARNER)
