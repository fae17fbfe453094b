"""The demo seeds three learning paths and a learner part-way through one course and finished with another."""

from io import StringIO

import pytest
from django.core.management import call_command

from courses.progress.models import ActivityCompletion, CourseCompletion, Enrolment, LearningPath
from courses.progress.selectors import learner_dashboard
from lernplattform.accounts.models import User

pytestmark = pytest.mark.django_db


def _snapshot(learner):
    return (
        LearningPath.objects.count(),
        Enrolment.objects.filter(user=learner).count(),
        ActivityCompletion.objects.filter(user=learner, state="completed").count(),
        CourseCompletion.objects.filter(user=learner).count(),
    )


def test_demo_progress_is_seeded_once(client, seeded_demo):
    learner = User.objects.get(email="lernende@demo.lernplattform.de")
    first = _snapshot(learner)
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot(learner) == first

    assert set(LearningPath.objects.values_list("title", flat=True)) == {
        "Einstieg Digitalisierung",
        "Datenverantwortliche",
        "Digitalisierungsverantwortliche / CDO",
    }
    dashboard = learner_dashboard(user=learner)
    assert len(dashboard.completed) == 1
    assert len(dashboard.in_progress) == 1
    ongoing = dashboard.in_progress[0]
    assert ongoing.required_done == 2
    assert ongoing.enrolment.due_date is not None
    assert ongoing.next_activity is not None
    einstieg = next(p for p in dashboard.paths if p.path.slug == "einstieg-digitalisierung")
    assert einstieg.steps[1].unlocked

    client.force_login(learner)
    for url in (
        "/lernen/",
        "/lernen/lernpfade/",
        "/lernen/lernpfade/digitalisierungsverantwortliche-cdo/",
        ongoing.course.url,
        dashboard.completed[0].course.url,
    ):
        assert client.get(url).status_code == 200, url
