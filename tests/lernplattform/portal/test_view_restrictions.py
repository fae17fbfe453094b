"""Wagtail's view restrictions hold with the cached restriction list (portal/view_restrictions.py):
a restricted page is refused to those without access, a change to restrictions counts at once,
and a page without restrictions costs no restriction query."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories.pages import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def _restrict(page, kind, groups=()):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind)
    restriction.groups.set(groups)
    return restriction


def test_a_login_restricted_course_and_its_lessons_redirect_anonymous_visitors(client, org_tree, make_member):
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    _restrict(course, PageViewRestriction.LOGIN)
    for url in (course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 302
        assert f"next={url}" in response["Location"].replace("%2F", "/")
    client.force_login(make_member(org_tree["garching"]))
    assert client.get(course.url).status_code == 200
    assert client.get(lesson.url).status_code == 200


def test_a_group_restricted_lesson_is_refused_outside_the_group(client, org_tree, make_member):
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    group = Group.objects.create(name="Pilotgruppe")
    _restrict(lesson, PageViewRestriction.GROUPS, groups=[group])
    learner = make_member(org_tree["garching"])
    client.force_login(learner)
    assert client.get(course.url).status_code == 200  # the restriction is on the lesson only
    assert client.get(lesson.url).status_code == 302
    learner.groups.add(group)
    assert client.get(lesson.url).status_code == 200


@pytest.mark.parametrize("after_commit", [False, True])
def test_a_restriction_added_after_a_view_counts_at_once_and_its_removal_too(
    client, django_capture_on_commit_callbacks, after_commit
):
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    assert client.get(lesson.url).status_code == 200  # the (empty) restriction list is cached now
    with django_capture_on_commit_callbacks(execute=after_commit):
        restriction = _restrict(course, PageViewRestriction.LOGIN)
    assert client.get(lesson.url).status_code == 302
    with django_capture_on_commit_callbacks(execute=after_commit):
        restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_a_page_moved_below_a_restricted_page_is_restricted_at_once(client):
    open_course = CoursePageFactory()
    closed_course = CoursePageFactory()
    lesson = LessonPageFactory(parent=open_course)
    _restrict(closed_course, PageViewRestriction.LOGIN)
    assert client.get(lesson.url).status_code == 200
    lesson.move(closed_course, pos="last-child")
    lesson.refresh_from_db()
    assert client.get(lesson.url).status_code == 302


def test_an_alias_of_a_restricted_page_is_restricted_like_its_source(client):
    course = CoursePageFactory()
    other_course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    assert client.get(course.url).status_code == 200
    _restrict(lesson, PageViewRestriction.LOGIN)
    alias = lesson.create_alias(parent=other_course, update_slug="lektion-als-alias")
    assert client.get(alias.url).status_code == 302


def test_a_page_without_restrictions_asks_the_database_for_none(client):
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    assert client.get(lesson.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    asked = [q["sql"] for q in queries.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    assert asked == []
