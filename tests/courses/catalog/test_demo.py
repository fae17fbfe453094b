"""The demo catalogue: three real courses under the home page, seeded idempotently."""

import pytest
from wagtail.models import Revision

from courses.catalog import demo
from courses.catalog.models import CatalogPage, CoursePage, Topic
from courses.lessons.models import LessonPage
from tests.factories.demo import demo_courses_seed

pytestmark = pytest.mark.django_db


def test_seeding_twice_creates_the_catalogue_once(seeded_demo):
    counts = (Topic.objects.count(), CoursePage.objects.count(), LessonPage.objects.count(), Revision.objects.count())
    demo_courses_seed(quizzes=False)
    assert (
        Topic.objects.count(),
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Revision.objects.count(),
    ) == counts
    assert counts[:2] == (3, 3)
    assert counts[2] >= 12
    assert CatalogPage.objects.get().url == "/kurse/"
    assert all(c.live and c.owner and c.owner.email == demo.DEMO_TRAINER_EMAIL for c in CoursePage.objects.all())


def test_demo_lessons_render_in_order(client, seeded_demo):
    course = CoursePage.objects.get(slug="standards-und-interoperabilitaet")
    lessons = list(LessonPage.objects.child_of(course).live())
    assert len(lessons) >= 4
    activities = course.get_children().live().count()  # the lessons, then the final test
    html = client.get(lessons[1].url).content.decode()
    assert f"Aktivität 2 von {activities}" in html
    assert "XRepository" in html
