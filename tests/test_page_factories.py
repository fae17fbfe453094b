"""Every page the test factories build stands where an editor could put it."""

import pytest
from wagtail.models import Page

from tests.factories import pages, quiz


def _built_pages() -> list[Page]:
    course = pages.course_create(title="Regelkurs", lessons=1, quizzes=1)
    return [
        pages.CatalogPageFactory(),
        course,
        pages.course(title="Zweiter Kurs"),
        pages.LessonPageFactory(),
        pages.QuizPageFactory(),
        quiz.quiz(pages.course(), questions=[quiz.truefalse(quiz.category())]),
        pages.h5p_activity_page(),
        *[page.specific for page in course.get_children()],
    ]


@pytest.mark.django_db
def test_every_factory_page_obeys_the_page_type_rules():
    built = _built_pages()
    assert {type(page).__name__ for page in built} == {
        "CatalogPage",
        "CoursePage",
        "LessonPage",
        "QuizPage",
        "H5PActivityPage",
    }
    for page in built:
        page = type(page).objects.get(pk=page.pk)
        parent = page.get_parent().specific
        where = f"{type(page).__name__} unter {type(parent).__name__}"
        assert type(page).can_exist_under(parent), where
        # A singleton (the catalogue) may not be created twice; every other page could be added again.
        if type(page).max_count is None:
            assert type(page).can_create_at(parent), where
        page.full_clean()


@pytest.mark.django_db
def test_no_course_lives_under_the_home_page():
    from courses.catalog.models import CatalogPage, CoursePage

    pages.course()
    pages.course_create(lessons=0)
    parents = {type(course.get_parent().specific) for course in CoursePage.objects.all()}
    assert parents == {CatalogPage}


@pytest.mark.django_db
def test_learning_path_lists_catalogue_courses_in_order():
    first, second = pages.course_create(lessons=0), pages.course_create(lessons=0)
    path = pages.path_create(courses=[first, second], optional=(1,))
    steps = list(path.steps.order_by("sort_order").values_list("course_id", "is_required"))
    assert steps == [(first.pk, True), (second.pk, False)]
