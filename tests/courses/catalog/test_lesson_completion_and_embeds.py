"""Lessons that learners mark as done, and H5P and practice items embedded in a lesson."""

from courses.lessons.models import LessonPage
from courses.progress.models import ActivityCompletion
from courses.progress.services import enrolment_create
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
