"""Catalogue, course and lesson pages render in a bounded number of queries, whatever their size."""

import pytest
from django.core.cache import cache

from tests.factories.pages import CatalogPageFactory, CoursePageFactory, LessonPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

# Issue 18's page budgets, whatever the size of course or catalogue. What stays per request: the
# user (logged in), the page by id (routes and sites come from the cache, portal/routing.py) and
# the learner's state for the course (enrolment and records). Cached: outlines, footer and
# navigation links, the view-restriction list (portal/view_restrictions.py) and the roles for the
# navigation (accounts/roles_cache.py), the course's parent with its outline. Before: 8, 10 and 8.
CATALOGUE_MAX_QUERIES = 5
COURSE_MAX_QUERIES = 6
LESSON_MAX_QUERIES = 4


def _warm(client, url):
    # The first request fills per-process caches (site root paths, content types); measure the second.
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("n_courses", [1, 50])
def test_catalogue_queries_do_not_grow_with_courses(client, django_assert_max_num_queries, n_courses):
    catalog = CatalogPageFactory()
    topics = [TopicFactory() for _ in range(3)]
    for i in range(n_courses):
        CoursePageFactory(parent=catalog, topic=topics[i % 3], summary=f"Datenschutz Kurs {i}")
    _warm(client, "/kurse/")
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        assert client.get("/kurse/").status_code == 200
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES + 4):  # plus the course and lesson searches
        assert client.get("/kurse/", {"q": "Datenschutz", "niveau": "grundlagen"}).status_code == 200


@pytest.mark.parametrize("n_courses", [1, 50])
def test_catalogue_for_a_logged_in_learner_stays_within_budget(
    client, django_assert_max_num_queries, org_tree, make_member, n_courses
):
    # Logged in, the page adds the user and their roles for the navigation; the topic facets come
    # from the cache.
    catalog = CatalogPageFactory()
    topics = [TopicFactory() for _ in range(3)]
    for i in range(n_courses):
        CoursePageFactory(parent=catalog, topic=topics[i % 3])
    client.force_login(make_member(org_tree["garching"]))
    _warm(client, "/kurse/")
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        assert client.get("/kurse/").status_code == 200


def test_a_new_topic_shows_in_the_catalogue_facets_at_once(client):
    catalog = CatalogPageFactory()
    CoursePageFactory(parent=catalog, topic=TopicFactory(name="Datenschutz"))
    assert "Datenschutz" in client.get("/kurse/").content.decode()
    TopicFactory(name="Informationssicherheit")
    assert "Informationssicherheit" in client.get("/kurse/").content.decode()


def _enrolled_in_new_course(client, org_tree, make_member, n_lessons):
    """A course with n lessons and a logged-in learner enrolled in it."""
    from courses.progress.services import enrolment_create

    learner = make_member(org_tree["garching"])
    course = CoursePageFactory()
    lessons = [LessonPageFactory(parent=course) for _ in range(n_lessons)]
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    return course, lessons


@pytest.mark.parametrize("n_lessons", [1, 50])
def test_course_page_queries_do_not_grow_with_lessons(client, django_assert_max_num_queries, n_lessons):
    course = CoursePageFactory(outcomes=[("item", "Ziel")])
    for _ in range(n_lessons):
        LessonPageFactory(parent=course)
    _warm(client, course.url)
    with django_assert_max_num_queries(COURSE_MAX_QUERIES):
        assert client.get(course.url).status_code == 200


@pytest.mark.parametrize("n_lessons", [1, 50])
def test_lesson_page_queries_do_not_grow_with_course_size(client, django_assert_max_num_queries, n_lessons):
    course = CoursePageFactory()
    lessons = [LessonPageFactory(parent=course) for _ in range(n_lessons)]
    middle = lessons[len(lessons) // 2]
    _warm(client, middle.url)
    with django_assert_max_num_queries(LESSON_MAX_QUERIES):
        response = client.get(middle.url)
    assert response.status_code == 200
    assert f"Aktivität {len(lessons) // 2 + 1} von {n_lessons}" in response.content.decode()


@pytest.mark.parametrize("n_lessons", [1, 50])
def test_lesson_page_for_an_enrolled_learner_stays_bounded(
    client, django_assert_max_num_queries, org_tree, make_member, n_lessons
):
    course, lessons = _enrolled_in_new_course(client, org_tree, make_member, n_lessons)
    for lesson in lessons:
        _warm(client, lesson.url)
    _warm(client, course.url)
    # A lesson seen before (the usual case): read, nothing written.
    with django_assert_max_num_queries(LESSON_MAX_QUERIES):
        response = client.get(lessons[-1].url)
    html = response.content.decode()
    assert html.count("outline__item--done") == n_lessons


@pytest.mark.parametrize("n_lessons", [1, 50])
def test_completing_a_course_by_opening_its_last_lesson_stays_bounded(
    client, django_assert_max_num_queries, org_tree, make_member, n_lessons
):
    course, lessons = _enrolled_in_new_course(client, org_tree, make_member, n_lessons)
    _warm(client, course.url)
    for lesson in lessons[:-1]:
        _warm(client, lesson.url)
    # Plus the locked write of the first view, the course completion it brings, the "course completed"
    # e-mail scheduled in the outbox (template, opt-out, dedupe check, insert), the certificate check that
    # completion runs (eager Celery in tests: in-process), and the state read again to show it.
    with django_assert_max_num_queries(LESSON_MAX_QUERIES + 36):
        response = client.get(lessons[-1].url)
    html = response.content.decode()
    assert html.count("outline__item--done") == n_lessons  # opening the last one completed it too


def _image(n):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (n * 20 % 255, 80, 120)).save(buffer, format="PNG")
    return Image.objects.create(title=f"Bild {n}", file=ImageFile(buffer, name=f"bild-{n}.png"))


@pytest.mark.parametrize("n_images", [1, 6])
def test_lesson_page_queries_do_not_grow_with_images(client, django_assert_max_num_queries, n_images):
    body = [
        {"type": "image", "value": {"image": _image(i).pk, "alt_text": f"Diagramm {i}", "caption": ""}}
        for i in range(n_images)
    ]
    lesson = LessonPageFactory(body=body)
    _warm(client, lesson.url)  # creates the renditions once
    cache.clear()  # renditions are also cached; measure what a cold cache costs
    # Plus what the cleared cache held: the site and route, the course outline, footer and navigation
    # links, the view-restriction list (2); and the images with all their renditions in one query.
    with django_assert_max_num_queries(LESSON_MAX_QUERIES + 15):
        response = client.get(lesson.url)
    html = response.content.decode()
    assert html.count('alt="Diagramm') == n_images


@pytest.mark.parametrize("n_lessons", [1, 50])
def test_course_page_for_an_enrolled_learner_stays_bounded(
    client, django_assert_max_num_queries, org_tree, make_member, n_lessons
):
    course, lessons = _enrolled_in_new_course(client, org_tree, make_member, n_lessons)
    _warm(client, lessons[0].url)
    _warm(client, course.url)
    with django_assert_max_num_queries(COURSE_MAX_QUERIES):
        response = client.get(course.url)
    assert response.content.decode().count("outline__item--done") == 1


@pytest.mark.parametrize("bank_size", [1, 30])
def test_a_lesson_with_practice_questions_never_reads_the_whole_bank(client, django_assert_max_num_queries, bank_size):
    from courses.questions.services import category_create
    from tests.factories import quiz as quiz_factories

    practice = category_create(name="Übungen", is_practice=True)
    questions = [quiz_factories.multichoice(practice) for _ in range(bank_size)]
    lesson = LessonPageFactory(
        body=[{"type": "practice_questions", "value": {"title": "Zum Üben", "questions": [str(questions[0].pk)]}}]
    )
    _warm(client, lesson.url)
    # Plus the one question shown (practice.practice_items); the editor's list of every practice
    # question in the bank (the block's choices) is not read to show a lesson.
    with django_assert_max_num_queries(LESSON_MAX_QUERIES + 1) as captured:
        response = client.get(lesson.url)
    bank_reads = [q["sql"] for q in captured.captured_queries if '"assessment_question"' in q["sql"]]
    assert len(bank_reads) == 1, bank_reads
    assert f'"assessment_question"."id" IN ({questions[0].pk})' in bank_reads[0]
    assert response.content.decode().count("question__") >= 1
