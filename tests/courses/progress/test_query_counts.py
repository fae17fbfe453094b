"""The dashboard and the course page cost the same number of queries for few or many courses and activities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.progress.services import enrolment_create, lesson_mark_done
from tests.factories.pages import course_create, lesson_add, path_create

pytestmark = pytest.mark.django_db


def _setup(user, *, courses, lessons):
    made = [course_create(title=f"Kurs {n}", lessons=lessons) for n in range(courses)]
    for course in made:
        enrolment_create(user=user, course=course, enrolled_by=user)
        lesson_mark_done(user=user, lesson=course.get_children().specific().first())
    lesson_mark_done(user=user, lesson=made[0].get_children().specific().last())  # one course completed
    path_create(title="Pfad", courses=made)
    return made


def _count(client, url):
    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_courses_and_activities(client, make_member, org_tree):
    small_user = make_member(org_tree["garching"])
    large_user = make_member(org_tree["garching"])
    _setup(small_user, courses=2, lessons=2)
    _setup(large_user, courses=6, lessons=5)
    client.force_login(small_user)
    small = _count(client, reverse("progress:dashboard"))
    client.force_login(large_user)
    large = _count(client, reverse("progress:dashboard"))
    assert large == small
    assert large <= 25


def test_course_page_queries_do_not_grow_with_activities(client, learner):
    few = _setup(learner, courses=1, lessons=2)[0]
    many = course_create(title="Groß", lessons=12)
    enrolment_create(user=learner, course=many, enrolled_by=learner)
    lesson_mark_done(user=learner, lesson=many.get_children().specific().first())
    client.force_login(learner)
    few_queries, many_queries = _count(client, few.url), _count(client, many.url)
    assert many_queries == few_queries
    assert many_queries <= 30


# "Meine Kurse" and the progress API at 1 and at 50 enrolments: flat, within issue 18's budget.
# The dashboard: user, every enrolment's id and state (one narrow query: page numbers, totals), the
# page's enrolments with their courses' list fields, live learning paths, course completions,
# activity records, roles (shared with the navigation), certificates. The API: user, count, the
# page's enrolments, completions, records. Outlines and the site come from the cache.
DASHBOARD_MAX_QUERIES = 10
PROGRESS_API_MAX_QUERIES = 6


def test_my_courses_and_the_progress_api_stay_flat_from_1_to_50_enrolments(client, make_member, org_tree):
    counts = {}
    for n in (1, 50):
        user = make_member(org_tree["garching"])
        for number in range(n):
            course = course_create(title=f"Kurs {n}-{number}", lessons=1)
            enrolment_create(user=user, course=course, enrolled_by=user)
        client.force_login(user)
        counts[n] = (_count(client, reverse("progress:dashboard")), _count(client, "/api/v1/progress/courses/"))
    assert counts[1] == counts[50]
    dashboard, api = counts[50]
    assert dashboard <= DASHBOARD_MAX_QUERIES
    assert api <= PROGRESS_API_MAX_QUERIES


def test_my_courses_with_a_learning_path_stays_flat_from_1_to_50_enrolments(client, make_member, org_tree):
    # With a live path the dashboard also reads its steps and their prerequisites (the learner's
    # path completion and enrolment come along in the paths' query): two more, still in budget.
    counts = {}
    for n in (1, 50):
        user = make_member(org_tree["garching"])
        courses = [course_create(title=f"Pfadkurs {n}-{number}", lessons=1) for number in range(n)]
        for course in courses:
            enrolment_create(user=user, course=course, enrolled_by=user)
        path_create(title=f"Pfad {n}", courses=courses[:3])
        client.force_login(user)
        counts[n] = _count(client, reverse("progress:dashboard"))
    assert counts[1] == counts[50]
    assert counts[50] <= DASHBOARD_MAX_QUERIES


def test_my_courses_never_shows_another_learners_progress_from_the_cache(client, make_member, org_tree):
    # Outlines are cached for everyone; the marks and percentages are each learner's own.
    course = course_create(title="Geteilt", lessons=2)
    first = course.get_children().specific().first()
    busy, fresh = make_member(org_tree["garching"]), make_member(org_tree["garching"])
    for user in (busy, fresh):
        enrolment_create(user=user, course=course, enrolled_by=user)
    lesson_mark_done(user=busy, lesson=first)
    client.force_login(busy)
    assert "1 von 2 Pflichtaktivitäten erledigt (50 %)" in client.get(reverse("progress:dashboard")).content.decode()
    busy_api = client.get("/api/v1/progress/courses/").json()["results"]
    client.force_login(fresh)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "0 von 2 Pflichtaktivitäten erledigt (0 %)" in html
    assert "50 %" not in html
    fresh_api = client.get("/api/v1/progress/courses/").json()["results"]
    assert (busy_api[0]["percent"], fresh_api[0]["percent"]) == (50, 0)


def test_a_lesson_published_after_the_dashboard_was_cached_shows_at_once(client, learner):
    course = course_create(title="Wachsend", lessons=1)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    assert "0 von 1 Pflichtaktivitäten" in client.get(reverse("progress:dashboard")).content.decode()
    lesson_add(course, title="Neu veröffentlicht")
    assert "0 von 2 Pflichtaktivitäten" in client.get(reverse("progress:dashboard")).content.decode()
    assert client.get("/api/v1/progress/courses/").json()["results"][0]["required_total"] == 2
