"""The session's seeded demo (tests/conftest.py, ``seeded_demo``) is there for the tests that ask for
it and gone for the next test; a test's writes on top of it are rolled back."""

import pytest

DEMO_LEARNER = "lernende@demo.lernplattform.de"


def test_a_test_asking_for_the_demo_finds_it_and_may_change_it(seeded_demo):
    from courses.catalog.models import CoursePage
    from lernplattform.accounts.models import User

    assert CoursePage.objects.live().count() == 3
    User.objects.filter(email=DEMO_LEARNER).update(full_name="Geändert im Test")
    assert User.objects.get(email=DEMO_LEARNER).full_name == "Geändert im Test"


def test_it_finds_the_demo_again_as_seeded(seeded_demo):
    from lernplattform.accounts.models import User

    assert User.objects.get(email=DEMO_LEARNER).full_name != "Geändert im Test"


@pytest.mark.django_db
def test_the_next_test_starts_on_the_migrated_empty_database():
    from wagtail.models import Page

    from courses.catalog.models import CoursePage
    from lernplattform.accounts.models import User

    assert not User.objects.exists()
    assert not CoursePage.objects.exists()
    assert Page.objects.filter(depth=1).exists()  # the tree's root from the migrations is still there
