"""Lessons that learners mark as done, and H5P and practice items embedded in a lesson."""

import re

from courses.h5p.selectors import h5p_activity_iri, h5p_actor_for
from courses.lessons.models import LessonPage
from courses.progress.models import ActivityCompletion
from courses.progress.services import enrolment_create
from courses.questions.services import category_create
from tests.factories.h5p import h5p_content
from tests.factories.pages import course_create, lesson_add
from tests.factories.quiz import category, multichoice


def test_lesson_marked_done_is_not_completed_by_opening_it(client, org_tree, make_member):
    learner = make_member(org_tree["garching"])
    course = course_create(lessons=0)
    lesson = lesson_add(course, title="Zum Abhaken", completion_mode=LessonPage.CompletionMode.DONE)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()
    assert "Als erledigt markieren" in html
    assert not ActivityCompletion.objects.filter(
        user=learner, activity_id=lesson.pk, completed_at__isnull=False
    ).exists()

    response = client.post(f"/lernen/lektionen/{lesson.pk}/erledigt/", {"next": lesson.url})
    assert response.status_code == 302
    assert "Diese Lektion ist erledigt." in client.get(lesson.url).content.decode()


def test_lesson_completed_by_viewing_offers_no_button(client, org_tree, make_member):
    learner = make_member(org_tree["garching"])
    course = course_create(lessons=1)
    lesson = course.get_children().specific().first()
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()
    assert "Als erledigt markieren" not in html
    assert "Diese Lektion ist erledigt." in client.get(lesson.url).content.decode()


def test_h5p_and_practice_questions_render_inside_a_lesson(client, org_tree, make_member):
    learner = make_member(org_tree["garching"])
    content = h5p_content(title="Eingebettetes Quiz")
    question = multichoice(category())
    course = course_create(lessons=0)
    lesson = lesson_add(
        course,
        title="Mit Übungen",
        body=[
            {"type": "h5p", "value": {"content": content.pk}},
            {"type": "practice_questions", "value": {"title": "Zum Üben", "questions": [str(question.pk)]}},
        ],
    )
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()
    assert 'sandbox="allow-scripts"' in html
    assert "Zum Üben" in html


def _practice_form(html):
    token = re.search(r'name="token" value="([^"]*)"', html).group(1)
    prefix = re.search(r'name="prefix" value="([^"]+)"', html).group(1)
    keys = dict(re.findall(r'value="(\d+)">\s*<label for="[^"]+">([^<]+)</label>', html))
    return token, prefix, next(k for k, text in keys.items() if text == "München")


def _h5p_answered(client, lesson, content, learner):
    iri = h5p_activity_iri(page=lesson, content=content)
    statement = {
        "actor": {"objectType": "Agent", "name": "x", "mbox": "mailto:" + h5p_actor_for(learner)["mail"]},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {"id": iri, "objectType": "Activity"},
        "result": {"score": {"raw": 1, "max": 3, "min": 0, "scaled": 1 / 3}, "completion": True},
    }
    payload = {"page": lesson.pk, "content": content.pk, "statement": statement}
    return client.post("/api/v1/h5p/xapi/", payload, content_type="application/json")


def test_a_lesson_with_practice_and_h5p_completes_when_both_are_done(client, org_tree, make_member):
    """Issue 15: a lesson holding practice or H5P items completes when the items are done, not on opening."""
    learner = make_member(org_tree["garching"])
    content = h5p_content(title="Eingebettetes Quiz")
    question = multichoice(category_create(name="Übungen", is_practice=True))
    course = course_create(lessons=0)
    lesson = lesson_add(
        course,
        title="Mit Übungen",
        body=[
            {"type": "h5p", "value": {"content": content.pk}},
            {"type": "practice_questions", "value": {"title": "Zum Üben", "questions": [str(question.pk)]}},
        ],
    )
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()
    assert "0 von 2 erledigt" in html and "Diese Lektion ist erledigt." not in html
    token, prefix, right = _practice_form(html)
    checked = client.post(
        "/tests/uebung/pruefen/",
        {"token": token, "prefix": prefix, f"q{prefix}": right},
        HTTP_ACCEPT="application/json",
    ).json()
    assert checked["state"] == "correct" and checked["lesson_completed"] is False
    assert "1 von 2 erledigt" in client.get(lesson.url).content.decode()

    assert _h5p_answered(client, lesson, content, learner).status_code == 201  # a score, even a low one
    html = client.get(lesson.url).content.decode()
    assert "Diese Lektion ist erledigt." in html
    record = ActivityCompletion.objects.get(user=learner, activity_id=lesson.pk)
    assert record.is_completed and record.items_done == sorted([f"h5p:{content.pk}", f"practice:{question.pk}"])
