"""Shared fixtures: organisations in a small but real ARS tree, and people with roles."""

import pytest

# Django models are imported inside the fixtures, so that the pure-Python tests (the GV100AD
# reader, the demo keys) also run without Django: ``pytest -p no:django tests/...``.


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """No test sees what another test cached (e.g. the catalogue URL in the navigation)."""
    if request.config.pluginmanager.has_plugin("django"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _default_language(request):
    """Every test starts in German: a request in English leaves English active on the thread
    (LocaleMiddleware does not switch back), and messages translated later would follow it."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield
        return
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(request, tmp_path):
    """Every test writes media into its own folder."""
    if not request.config.pluginmanager.has_plugin("django"):
        return  # pure-Python run (-p no:django)
    request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org_tree(db):
    """Bayern > Oberbayern > Landkreis München > two Gemeinden, plus a Gemeinde in another Kreis."""
    from lernplattform.accounts.models import Organisation
    from tests.factories.accounts import OrganisationFactory

    land = OrganisationFactory(ars="090000000000", name="Bayern", kind=Organisation.Kind.LAND)
    rb = OrganisationFactory(
        ars="091000000000", name="Oberbayern", kind=Organisation.Kind.REGIERUNGSBEZIRK, parent=land
    )
    kreis = OrganisationFactory(ars="091840000000", name="Landkreis München", kind=Organisation.Kind.KREIS, parent=rb)
    garching = OrganisationFactory(ars="091840119119", name="Garching b.München", parent=kreis)
    unterhaching = OrganisationFactory(ars="091840148148", name="Unterhaching", parent=kreis)
    ebersberg_kreis = OrganisationFactory(
        ars="091750000000", name="Landkreis Ebersberg", kind=Organisation.Kind.KREIS, parent=rb
    )
    grafing = OrganisationFactory(ars="091750122122", name="Grafing b.München", parent=ebersberg_kreis)
    return {
        "land": land,
        "rb": rb,
        "kreis": kreis,
        "garching": garching,
        "unterhaching": unterhaching,
        "other_kreis": ebersberg_kreis,
        "grafing": grafing,
    }


@pytest.fixture
def make_member(db):
    """Create a person with a role in an organisation: make_member(org, role)."""
    from lernplattform.accounts.models import Membership
    from lernplattform.accounts.services import membership_start
    from tests.factories.accounts import UserFactory

    def make(organisation, role=Membership.Role.LEARNER, **user_fields):
        user = UserFactory(**user_fields)
        membership_start(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def platform_admin(org_tree, make_member):
    from lernplattform.accounts.models import Membership

    return make_member(org_tree["land"], Membership.Role.PLATFORM_ADMIN)


@pytest.fixture
def learner(org_tree, make_member):
    """An approved learner of the Gemeinde Garching (Landkreis München)."""
    from lernplattform.accounts.models import Membership

    return make_member(org_tree["garching"], Membership.Role.LEARNER)


@pytest.fixture
def kreis_admin(org_tree, make_member):
    """Organisation admin of Landkreis München (Garching and Unterhaching in scope, Grafing outside)."""
    from lernplattform.accounts.models import Membership

    return make_member(org_tree["kreis"], Membership.Role.ORG_ADMIN, full_name="Kreis Verwaltung")


@pytest.fixture
def needs_postgresql():
    """Skips the test on SQLite, which serialises writers: the concurrency tests (tests/concurrency.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent transactions")
