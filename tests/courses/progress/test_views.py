"""Learner pages: enrolling from the course page, "Meine Kurse", continue links, learning paths."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.lessons.models import LessonPage
from courses.progress.models import ActivityCompletion, Enrolment
from courses.progress.services import enrolment_create, lesson_mark_done, lesson_view_record
from tests.factories.pages import course_create, lesson_add, path_create

pytestmark = pytest.mark.django_db


def _lessons(course):
    return list(course.get_children().specific())


def test_course_page_offers_enrolment_and_enrol_action_enrols(client, learner):
    course = course_create(lessons=1)
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert reverse("progress:enrol", args=[course.pk]) in html
    response = client.post(reverse("progress:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner, course=course, status="active").exists()
    html = client.get(course.url).content.decode()
    assert "0 von 1 Pflichtaktivitäten erledigt (0 %)" in html
    assert "Kurs beginnen" in html


def test_anonymous_visitor_is_asked_to_log_in(client):
    course = course_create(lessons=1)
    html = client.get(course.url).content.decode()
    assert "Anmelden und einschreiben" in html
    assert client.post(reverse("progress:enrol", args=[course.pk])).status_code == 302
    assert not Enrolment.objects.exists()


def test_enrol_action_needs_post(client, learner):
    course = course_create(lessons=1)
    client.force_login(learner)
    assert client.get(reverse("progress:enrol", args=[course.pk])).status_code == 405


def test_opening_a_lesson_records_the_view_for_enrolled_learners(client, learner):
    course = course_create(lessons=2)
    first, _second = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    assert client.get(first.url).status_code == 200
    record = ActivityCompletion.objects.get(user=learner, activity_id=first.pk)
    assert record.state == ActivityCompletion.State.COMPLETED


def test_dashboard_continue_link_lands_on_the_next_activity(client, learner):
    course = course_create(lessons=3)
    first, second, third = _lessons(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'class="button continue-link" href="{first.url}"' in html
    client.get(first.url)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'class="button continue-link" href="{second.url}"' in html
    client.get(third.url)  # jumping ahead: the skipped lesson is what remains
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'class="button continue-link" href="{second.url}"' in html
    assert "2 von 3 Pflichtaktivitäten erledigt (66 %)" in html


def test_continue_link_returns_to_an_unfinished_activity(client, learner):
    course = course_create(lessons=0)
    first = lesson_add(course, completion_mode=LessonPage.CompletionMode.DONE)
    lesson_add(course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    lesson_view_record(user=learner, lesson=first)  # opened, not yet marked done
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert f'class="button continue-link" href="{first.url}"' in html


def test_dashboard_shows_due_date_completed_courses_and_recommended_paths(client, learner, kreis_admin):
    due_course = course_create(title="Datenschutz", lessons=1)
    done_course = course_create(title="Grundlagen", lessons=1)
    path_create(title="Einstieg Digitalisierung", courses=[done_course, due_course])
    other = course_create(title="Offene Daten", lessons=1)
    path_create(title="Datenverantwortliche", courses=[other])
    due = timezone.localdate() + datetime.timedelta(days=14)
    enrolment_create(user=learner, course=due_course, enrolled_by=kreis_admin, due_date=due)
    lesson_mark_done(user=learner, lesson=_lessons(done_course)[0])
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "Zu erledigen bis" in html
    assert "Grundlagen" in html and "Abgeschlossen am" in html
    assert "Meine Lernpfade" in html and "Einstieg Digitalisierung" in html
    assert "Empfohlene Lernpfade" in html and "Datenverantwortliche" in html


def test_my_courses_come_a_page_at_a_time_with_german_page_links_that_keep_the_query(client, learner):
    from courses.progress.selectors import LEARNER_COURSES_PAGE_SIZE

    done = course_create(title="Schon erledigt", lessons=1)
    lesson_mark_done(user=learner, lesson=_lessons(done)[0])
    for number in range(LEARNER_COURSES_PAGE_SIZE):
        enrolment_create(user=learner, course=course_create(title=f"Offen {number}", lessons=0), enrolled_by=learner)
    client.force_login(learner)
    url = reverse("progress:dashboard")
    first = client.get(url, {"ansicht": "kompakt"}).content.decode()
    assert first.count('<li class="card">') == LEARNER_COURSES_PAGE_SIZE
    assert '<nav class="pagination" aria-label="Seiten der Kursliste">' in first
    assert "Seite 1 von 2" in first and 'rel="prev"' not in first
    assert 'href="?ansicht=kompakt&amp;seite=2" rel="next">Nächste Seite</a>' in first
    assert "Schon erledigt" not in first
    assert "Ihr abgeschlossener Kurs steht auf der nächsten Seite." in first
    second = client.get(url, {"ansicht": "kompakt", "seite": 2}).content.decode()
    assert "Schon erledigt" in second and "Abgeschlossen am" in second
    assert 'href="?ansicht=kompakt&amp;seite=1" rel="prev">Vorherige Seite</a>' in second
    assert "Seite 2 von 2" in second and 'rel="next"' not in second
    assert "Sie haben gerade keinen Kurs in Bearbeitung." not in second  # they are on page 1
    assert f"Ihre {LEARNER_COURSES_PAGE_SIZE} Kurse in Bearbeitung stehen auf den vorherigen Seiten." in second
    assert client.get(url, {"seite": "99"}).status_code == 200  # out of range: the last page


def test_my_courses_on_one_page_show_no_page_links(client, learner):
    enrolment_create(user=learner, course=course_create(title="Einzeln", lessons=1), enrolled_by=learner)
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "Einzeln" in html and 'class="pagination"' not in html


def test_completed_course_page_says_what_changed(client, learner):
    course = course_create(lessons=1)
    lesson_mark_done(user=learner, lesson=_lessons(course)[0])
    lesson_add(course, title="Neu: KI in der Verwaltung")
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert "Was sich seit Ihrem Abschluss geändert hat" in html
    assert "Neu: KI in der Verwaltung" in html
    assert "Abgeschlossen (100 %)" in html


def test_unenrol_from_course_page(client, learner):
    course = course_create(lessons=1)
    enrolment = enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    client.post(reverse("progress:unenrol", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED


def test_someone_elses_enrolment_cannot_be_cancelled(client, learner, outsider):
    course = course_create(lessons=1)
    enrolment = enrolment_create(user=outsider, course=course, enrolled_by=outsider)
    client.force_login(learner)
    client.post(reverse("progress:unenrol", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_path_page_shows_locked_steps_and_enrols_unlocked_ones(client, learner):
    first, second = (course_create(title=f"Schritt {n}", lessons=1) for n in (1, 2))
    path = path_create(title="Einstieg", courses=[first, second])
    client.force_login(learner)
    html = client.get(reverse("progress:path_detail", args=[path.slug])).content.decode()
    assert "Gesperrt" in html
    assert html.count('name="path"') == 1
    client.post(reverse("progress:enrol", args=[second.pk]), {"path": path.pk})
    assert not Enrolment.objects.filter(course=second).exists()
    lesson_mark_done(user=learner, lesson=_lessons(first)[0])
    client.post(reverse("progress:enrol", args=[second.pk]), {"path": path.pk})
    assert Enrolment.objects.filter(user=learner, course=second).exists()


def test_mark_done_action(client, learner):
    course = course_create(lessons=1)
    lesson = _lessons(course)[0]
    client.force_login(learner)
    client.post(reverse("progress:lesson_done", args=[lesson.pk]))
    assert ActivityCompletion.objects.get(user=learner, activity_id=lesson.pk).is_completed


def test_a_quiz_cannot_be_marked_done_through_the_lesson_action(client, learner):
    """The "als erledigt markieren" action is for activities that complete by reading; a quiz completes
    only with its graded result (since lessons moved to their own app the view checks the activity
    contract instead of the page class)."""
    course = course_create(lessons=1, quizzes=1)
    quiz = next(p for p in course.get_children().specific() if not isinstance(p, LessonPage))
    client.force_login(learner)
    response = client.post(reverse("progress:lesson_done", args=[quiz.pk]))
    assert response.status_code == 404
    assert not ActivityCompletion.objects.filter(user=learner, activity_id=quiz.pk).exists()


def test_a_course_page_cannot_be_marked_done_through_the_lesson_action(client, learner):
    course = course_create(lessons=1)
    client.force_login(learner)
    assert client.post(reverse("progress:lesson_done", args=[course.pk])).status_code == 404
    assert not ActivityCompletion.objects.filter(user=learner).exists()


def test_lesson_completion_tag_offers_mark_done_where_the_lesson_asks_for_it(rf, learner):
    from django.template import Context, Template

    course = course_create(lessons=0)
    lesson = lesson_add(course, completion_mode=LessonPage.CompletionMode.DONE)
    request = rf.get(lesson.url)
    request.user = learner
    template = Template("{% load progress_tags %}{% lesson_completion lesson %}")
    html = template.render(Context({"request": request, "lesson": lesson}))
    assert reverse("progress:lesson_done", args=[lesson.pk]) in html
    lesson_mark_done(user=learner, lesson=lesson)
    request = rf.get(lesson.url)  # the next request (the learner's state is read once per request)
    request.user = learner
    html = template.render(Context({"request": request, "lesson": lesson}))
    assert "Diese Lektion ist erledigt." in html


def test_the_outline_marks_what_the_learner_has_done_on_course_and_lesson_pages(client, learner):
    """catalog's outline asks progress through its template tag (catalog does not import progress)."""
    course = course_create(lessons=2)
    first, second = _lessons(course)
    lesson_mark_done(user=learner, lesson=first)
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert html.count('<span class="outline__done">') == 1
    # Opening the second lesson completes it (it completes on viewing): both are marked there.
    html = client.get(second.url).content.decode()
    assert html.count('<span class="outline__done">') == 2
