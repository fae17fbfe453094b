"""A platform admin created on the command line keeps their rights after logging in."""

import pytest
from django.core.management import CommandError, call_command

from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import user_is_platform_admin
from lernplattform.accounts.services import user_groups_sync


def test_created_platform_admin_stays_superuser_after_group_sync(org_tree, monkeypatch):
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "Ein-sicheres-Passwort-42")
    call_command("create_platform_admin", "Chefin@Land.example", name="Clara Chefin", organisation="090000000000")

    user = User.objects.get(email="chefin@land.example")
    user_groups_sync(user=user)  # what every login does
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    assert user_is_platform_admin(user=user)
    assert user.check_password("Ein-sicheres-Passwort-42")


def test_unknown_organisation_is_refused_in_german_and_creates_nobody(db, monkeypatch):
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "Ein-sicheres-Passwort-42")
    with pytest.raises(CommandError, match="Keine Organisation"):
        call_command("create_platform_admin", "x@land.example", name="X", organisation="999999999999")
    assert not User.objects.filter(email="x@land.example").exists()


def test_weak_password_is_refused(org_tree, monkeypatch):
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="nicht sicher genug"):
        call_command("create_platform_admin", "y@land.example", name="Y", organisation="090000000000")
    assert not User.objects.filter(email="y@land.example").exists()
