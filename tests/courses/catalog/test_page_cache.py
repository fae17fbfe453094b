"""Cached course outlines, routes and links: publishing shows at once, and no learner sees another's marks."""

import pytest

from courses.progress.services import enrolment_create, lesson_view_record
from tests.factories.pages import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_republished_lesson_title_shows_at_once_in_the_outline_and_on_the_lesson(client):
    course = CoursePageFactory()
    first = LessonPageFactory(parent=course, title="Grundlagen des Datenschutzes")
    second = LessonPageFactory(parent=course, title="Auskunftsrechte")
    assert "Grundlagen des Datenschutzes" in _html(client, course.url)
    assert "Grundlagen des Datenschutzes" in _html(client, second.url)  # outlines now cached

    first.title = "Datenschutz: die Grundlagen"
    first.save_revision().publish()

    for url in (course.url, second.url, first.url):
        html = _html(client, url)
        assert "Datenschutz: die Grundlagen" in html
        assert "Grundlagen des Datenschutzes" not in html


def test_a_newly_published_lesson_joins_the_outline_and_an_unpublished_one_leaves_it(client):
    course = CoursePageFactory()
    kept = LessonPageFactory(parent=course, title="Bleibt")
    leaving = LessonPageFactory(parent=course, title="Geht")
    assert "Aktivität 1 von 2" in _html(client, kept.url)

    leaving.unpublish()
    assert "Geht" not in _html(client, course.url)
    assert "Aktivität 1 von 1" in _html(client, kept.url)

    LessonPageFactory(parent=course, title="Kommt dazu")
    html = _html(client, kept.url)
    assert "Kommt dazu" in html
    assert "Aktivität 1 von 2" in html


def test_a_renamed_course_moves_its_lessons_and_the_old_address_is_gone(client):
    course = CoursePageFactory(slug="alt")
    lesson = LessonPageFactory(parent=course, title="Lektion eins")
    old_url = lesson.url
    _html(client, old_url)  # route and outline cached

    course.slug = "neu"
    course.save_revision().publish()
    course.refresh_from_db()
    lesson.refresh_from_db()

    assert client.get(old_url).status_code == 404
    assert f'href="{lesson.url}"' in _html(client, course.url)
    assert "Lektion eins" in _html(client, lesson.url)


def test_a_renamed_catalogue_shows_at_once_in_the_course_breadcrumb(client):
    course = CoursePageFactory()
    catalogue = course.get_parent().specific
    assert f'href="{catalogue.url}"' in _html(client, course.url)  # outline with its parent cached

    catalogue.slug = "weiterbildung"
    catalogue.save_revision().publish()
    course.refresh_from_db()

    html = _html(client, course.url)
    assert 'href="/weiterbildung/"' in html
    assert course.url.startswith("/weiterbildung/")


def test_the_course_breadcrumb_asks_the_database_for_no_parent(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = CoursePageFactory()
    _html(client, course.url)
    with CaptureQueriesContext(connection) as queries:
        _html(client, course.url)
    # The page itself is loaded by id; its parent comes with the cached outline.
    assert [q for q in queries.captured_queries if '"wagtailcore_page"."path" =' in q["sql"]] == []


def test_two_learners_never_see_each_others_progress_marks(client, org_tree, make_member):
    anna = make_member(org_tree["garching"])
    ben = make_member(org_tree["garching"])
    course = CoursePageFactory()
    lessons = [LessonPageFactory(parent=course) for _ in range(3)]
    for learner in (anna, ben):
        enrolment_create(user=learner, course=course, enrolled_by=learner)
    for lesson in lessons[:2]:
        lesson_view_record(user=anna, lesson=lesson)

    client.force_login(anna)
    assert _html(client, lessons[2].url).count("outline__item--done") == 3  # opening the third did it
    assert _html(client, course.url).count("outline__item--done") == 3

    client.force_login(ben)
    assert _html(client, course.url).count("outline__item--done") == 0
    assert _html(client, lessons[0].url).count("outline__item--done") == 1  # only what Ben opened

    client.logout()
    assert "outline__item--done" not in _html(client, course.url)


def test_anonymous_visitors_never_see_progress_marks_cached_for_a_learner(client, org_tree, make_member):
    learner = make_member(org_tree["garching"])
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course)
    enrolment_create(user=learner, course=course, enrolled_by=learner)
    client.force_login(learner)
    assert "outline__item--done" in _html(client, lesson.url)
    client.logout()
    assert "outline__item--done" not in _html(client, lesson.url)
    assert "outline__item--done" not in _html(client, course.url)


def _lesson_body(text):
    return [{"type": "rich_text", "value": f"<p>{text}</p>"}]


def test_a_lessons_content_is_rendered_once_per_revision_and_a_publish_shows_at_once(client):
    lesson = LessonPageFactory(intro="<p>Alte Einleitung</p>", body=_lesson_body("Alter Inhalt"))
    html = _html(client, lesson.url)
    assert "Alter Inhalt" in html and "Alte Einleitung" in html

    # Written without a revision (no publish): the content comes from the cache of the live revision.
    type(lesson).objects.filter(pk=lesson.pk).update(intro="<p>Ungeprüft</p>")
    assert "Ungeprüft" not in _html(client, lesson.url)

    lesson.refresh_from_db()
    lesson.intro = "<p>Neue Einleitung</p>"
    lesson.body = _lesson_body("Neuer Inhalt")
    lesson.save_revision().publish()
    html = _html(client, lesson.url)
    assert "Neuer Inhalt" in html and "Neue Einleitung" in html
    assert "Alter Inhalt" not in html and "Ungeprüft" not in html


def test_a_link_in_a_lesson_follows_the_linked_page_when_it_moves(client):
    target = CoursePageFactory(slug="alt")
    link = f'<p><a linktype="page" id="{target.pk}">Kurs</a></p>'
    lesson = LessonPageFactory(body=[{"type": "rich_text", "value": link}])
    assert f'href="{target.url}"' in _html(client, lesson.url)  # content cached with the old address

    target.slug = "neu"
    target.save_revision().publish()
    target.refresh_from_db()
    html = _html(client, lesson.url)
    assert f'href="{target.url}"' in html
    assert "/alt/" not in html


def test_a_replaced_image_shows_at_once_in_a_cached_lesson(client):
    from tests.courses.catalog.test_query_counts import _image

    image = _image(1)
    lesson = LessonPageFactory(
        body=[{"type": "image", "value": {"image": image.pk, "alt_text": "Diagramm", "caption": ""}}]
    )
    assert 'alt="Diagramm"' in _html(client, lesson.url)

    image.delete()
    html = _html(client, lesson.url)
    assert 'alt="Diagramm"' not in html


def test_two_learners_each_get_their_own_practice_token_from_a_cached_lesson(client, org_tree, make_member):
    import re

    from django.core import signing

    from courses.questions.practice import SALT
    from courses.questions.services import category_create
    from tests.factories import quiz as quiz_factories

    question = quiz_factories.multichoice(category_create(name="Übungen", is_practice=True))
    lesson = LessonPageFactory(
        body=[
            *_lesson_body("Vor der Übung"),
            {"type": "practice_questions", "value": {"title": "Zum Üben", "questions": [str(question.pk)]}},
            *_lesson_body("Nach der Übung"),
        ]
    )
    for learner in (make_member(org_tree["garching"]), make_member(org_tree["garching"])):
        client.force_login(learner)
        html = _html(client, lesson.url)
        assert html.index("Vor der Übung") < html.index('name="token"') < html.index("Nach der Übung")
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        assert signing.loads(token, salt=SALT)["u"] == learner.pk


def test_a_restricted_lesson_stays_closed_after_its_content_was_cached(client, org_tree, make_member):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    lesson = LessonPageFactory(body=_lesson_body("Nur für die Pilotgruppe"))
    group = Group.objects.create(name="Pilotgruppe")
    restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group])
    insider = make_member(org_tree["garching"])
    insider.groups.add(group)
    client.force_login(insider)
    assert "Nur für die Pilotgruppe" in _html(client, lesson.url)  # content cached now

    client.force_login(make_member(org_tree["garching"]))
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "Nur für die Pilotgruppe" not in response.content.decode()
    client.logout()
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "Nur für die Pilotgruppe" not in response.content.decode()


def test_a_preview_shows_the_draft_and_never_puts_it_in_the_learners_cache(client):
    lesson = LessonPageFactory(body=_lesson_body("Veröffentlichter Inhalt"))
    assert "Veröffentlichter Inhalt" in _html(client, lesson.url)  # live content cached

    draft = lesson.get_latest_revision_as_object()
    draft.body = _lesson_body("Entwurf im Review")
    draft.save_revision()
    preview = draft.make_preview_request()
    preview.render()
    assert "Entwurf im Review" in preview.content.decode()

    html = _html(client, lesson.url)
    assert "Veröffentlichter Inhalt" in html
    assert "Entwurf im Review" not in html


def test_a_lesson_whose_image_renditions_were_deleted_is_rendered_afresh(client):
    from tests.courses.catalog.test_query_counts import _image

    image = _image(2)
    lesson = LessonPageFactory(
        body=[{"type": "image", "value": {"image": image.pk, "alt_text": "Karte", "caption": ""}}]
    )
    assert 'alt="Karte"' in _html(client, lesson.url)
    old = list(image.renditions.values_list("file", flat=True))
    assert old

    for rendition in image.renditions.all():
        rendition.file.delete(save=False)
        rendition.delete()
    html = _html(client, lesson.url)
    new = list(image.renditions.values_list("file", flat=True))
    assert new  # rendered again, so the rendition was made again
    assert all(name in html for name in [n.rsplit("/", 1)[-1] for n in new])
