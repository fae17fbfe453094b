import io

import pytest
from django.core.management import call_command

from courses.h5p import demo
from courses.h5p.models import H5PActivityPage, H5PContent

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_attaches_activity_to_first_demo_course(seeded_demo):
    call_command("seed_demo", stdout=io.StringIO())  # the second run, after the fixture's

    assert H5PContent.objects.filter(source_filename=demo.DEMO_FILENAME).count() == 1
    page = H5PActivityPage.objects.get(slug=demo.DEMO_PAGE_SLUG)
    assert page.live
    assert page.get_parent().slug == "datenmanagement-in-der-kommune"


def test_demo_seed_without_courses_only_uploads_the_item():
    out = io.StringIO()

    demo.seed(stdout=out)

    assert H5PContent.objects.count() == 1
    assert not H5PActivityPage.objects.exists()
    assert "übersprungen" in out.getvalue()
