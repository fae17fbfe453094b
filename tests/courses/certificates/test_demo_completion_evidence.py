"""Demo: lessons of certifying courses complete on "als erledigt markieren", never on opening (issue 15)."""

from io import StringIO

import pytest
from django.core.management import call_command

from courses.catalog.models import CoursePage
from courses.lessons.models import LessonPage

pytestmark = pytest.mark.django_db


def test_certifying_demo_courses_need_evidence_and_the_seed_stays_idempotent(seeded_demo):
    certifying = CoursePage.objects.filter(certificate_template__isnull=False)
    assert certifying.exists()
    for course in certifying:
        lessons = LessonPage.objects.child_of(course).live()
        assert lessons.exists()
        assert set(lessons.values_list("completion_mode", flat=True)) == {LessonPage.CompletionMode.DONE}, course
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 Lektion(en) neu" in out.getvalue()
