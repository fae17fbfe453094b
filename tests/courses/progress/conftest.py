import pytest

from lernplattform.accounts.models import Membership


@pytest.fixture
def learner(org_tree, make_member):
    return make_member(org_tree["garching"], Membership.Role.LEARNER)


@pytest.fixture
def kreis_admin(org_tree, make_member):
    """Organisation admin of Landkreis München (Garching and Unterhaching are in scope)."""
    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN)


@pytest.fixture
def outsider(org_tree, make_member):
    """A learner in Grafing (Landkreis Ebersberg): outside the Kreis admin's scope."""
    return make_member(org_tree["grafing"], Membership.Role.LEARNER)
