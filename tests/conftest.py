"""Shared fixtures: organisations in a small but real ARS tree, and people with roles."""

import io

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


# --- The demo, seeded once per session (per xdist worker) --------------------------------------
#
# seed_demo takes several seconds; a test that only needs the demo to be there (or builds on it)
# asks for ``seeded_demo`` instead of seeding it itself. On SQLite (the default, in memory) the
# first such test of a session seeds the demo once into the migrated test database, copies the
# result into a second in-memory database ("the snapshot", attached to the test connection as
# ``demo_snapshot``) and puts the test database back as migrated. Each test asking for the fixture
# then copies the snapshot's rows into the test database inside its own transaction (a few tens of
# milliseconds), so pytest-django's rollback after the test leaves the database empty again for the
# next one. On PostgreSQL (the serial leg of .ci/run) the fixture seeds inside the test's
# transaction, as the tests did before.

DEMO_SNAPSHOT = "demo_snapshot"


class _DemoSnapshots:
    clean = None  # sqlite3.Connection: a copy of the test database as migrated
    seeded = None  # sqlite3.Connection: the attached snapshot after one seed_demo
    tables: list[str] = []  # noqa: RUF012 - the tables to copy, sqlite_sequence included
    media = None  # Path: the files seed_demo wrote (the H5P package)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and on SQLite a copy of it as migrated (see ``seeded_demo``)."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            connection.ensure_connection()
            _DemoSnapshots.clean = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(_DemoSnapshots.clean)
    yield


def _copyable_tables(conn) -> list[str]:
    """Tables whose rows a copy moves: not FTS shadow tables (their virtual table carries them)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name
        for name, _sql in rows
        if (name == "sqlite_sequence" or not name.startswith("sqlite_"))
        and not any(name.startswith(f"{v}_") for v in virtual)
    ]


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """SQLite only: seed the demo once, keep a copy attached, and put the test database back as migrated."""
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    if _DemoSnapshots.clean is None:
        return None
    media = tmp_path_factory.mktemp("demo-media")
    uri = f"file:lp_demo_snapshot_{worker_id}?mode=memory&cache=shared"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        assert not connection.in_atomic_block
        with override_settings(MEDIA_ROOT=media):
            call_command("seed_demo", stdout=io.StringIO())
        _DemoSnapshots.seeded = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.connection.backup(_DemoSnapshots.seeded)
        _DemoSnapshots.tables = _copyable_tables(_DemoSnapshots.seeded)
        _DemoSnapshots.clean.backup(connection.connection)  # as migrated again
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {DEMO_SNAPSHOT}", [uri])
    ContentType.objects.clear_cache()
    cache.clear()
    _DemoSnapshots.media = media
    return _DemoSnapshots


@pytest.fixture
def seeded_demo(_demo_snapshot, db, settings):
    """The database as one ``seed_demo`` left it (people, catalogue, bank, lessons, quizzes, H5P,
    certificates, progress), for tests that read the demo or build on it; rolled back after the test."""
    import shutil

    from django.core.management import call_command
    from django.db import connection

    if _demo_snapshot is None:  # PostgreSQL: seed inside the test's transaction
        call_command("seed_demo", stdout=io.StringIO())
        return
    with connection.cursor() as cursor:
        for table in _demo_snapshot.tables:
            cursor.execute(f'DELETE FROM main."{table}"')
            cursor.execute(f'INSERT INTO main."{table}" SELECT * FROM {DEMO_SNAPSHOT}."{table}"')
    shutil.copytree(_demo_snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
