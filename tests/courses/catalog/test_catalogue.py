"""Catalogue search and filters: what a learner finds, with counts per filter option."""

from decimal import Decimal

import pytest

from courses.catalog.models import CoursePage, Topic
from courses.catalog.selectors import catalog_search
from tests.factories.pages import CatalogPageFactory, CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    catalog = CatalogPageFactory()
    data = Topic.objects.get(slug="datenmanagement")  # seeded by migration
    change = Topic.objects.get(slug="organisationsentwicklung-und-change")
    return {
        "catalog": catalog,
        "data": data,
        "change": change,
        "privacy": CoursePageFactory(
            parent=catalog,
            title="Datenschutz in der Kommune",
            summary="Grundlagen der DSGVO für die Verwaltung.",
            topic=data,
            level=CoursePage.Level.BASIC,
            estimated_hours=Decimal("1.5"),
        ),
        "open_data": CoursePageFactory(
            parent=catalog,
            title="Offene Daten veröffentlichen",
            summary="Metadaten nach DCAT-AP.de und GovData.",
            topic=data,
            level=CoursePage.Level.ADVANCED,
            estimated_hours=Decimal("4"),
        ),
        "cdo": CoursePageFactory(
            parent=catalog,
            title="Die Rolle des Chief Digital Officer",
            summary="Mandat, Verortung und Aufgaben.",
            topic=change,
            level=CoursePage.Level.BASIC,
            estimated_hours=Decimal("6"),
        ),
        "draft": CoursePageFactory(parent=catalog, title="Datenschutz Entwurf", topic=data, live=False),
    }


def test_search_finds_published_courses_by_word(courses):
    result = catalog_search(query="Datenschutz")
    assert [c.pk for c in result.courses] == [courses["privacy"].pk]


def test_filters_combine_and_counts_follow_the_other_filters(courses):
    result = catalog_search(topic=courses["data"], level=CoursePage.Level.BASIC)
    assert [c.pk for c in result.courses] == [courses["privacy"].pk]
    topics = {o.value: o.count for o in result.topics}
    # basic courses per topic; the third seeded topic has none
    assert topics == {
        "datenmanagement": 1,
        "organisationsentwicklung-und-change": 1,
        "standards-und-interoperabilitaet": 0,
    }
    levels = {o.value: o.count for o in result.levels}
    assert levels == {"grundlagen": 1, "fortgeschritten": 1, "expertise": 0}  # data courses per level
    durations = {o.value: o.count for o in result.durations}
    assert durations == {"bis-2-stunden": 1, "2-bis-5-stunden": 0, "ueber-5-stunden": 0}


def test_duration_bands(courses):
    found = {b: {c.pk for c in catalog_search(duration=b).courses} for b in ("bis-2-stunden", "ueber-5-stunden")}
    assert found == {"bis-2-stunden": {courses["privacy"].pk}, "ueber-5-stunden": {courses["cdo"].pk}}


def test_unknown_filter_values_are_ignored(courses):
    assert catalog_search(level="meister", duration="ewig").total == 3


def test_catalogue_urls_are_clean(client, courses):
    response = client.get("/kurse/thema/datenmanagement/", {"niveau": "fortgeschritten"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Offene Daten veröffentlichen" in html
    assert "Datenschutz in der Kommune" not in html
    assert client.get("/kurse/thema/gibt-es-nicht/").status_code == 404
    redirect = client.get("/kurse/", {"thema": "datenmanagement", "q": "Daten"})
    assert redirect.status_code == 302
    assert redirect["Location"] == "/kurse/thema/datenmanagement/?q=Daten"


def test_search_result_page_lists_matches(client, courses):
    html = client.get("/kurse/", {"q": "GovData"}).content.decode()
    assert "Offene Daten veröffentlichen" in html
    assert "1 Kurs gefunden" in html


def test_inflected_german_word_finds_the_course(courses):
    """German word forms match on the embedded default (SQLite) as on PostgreSQL's german configuration."""
    result = catalog_search(query="Datenschutzes")
    assert [c.pk for c in result.courses] == [courses["privacy"].pk]
    assert [c.pk for c in catalog_search(query="Kommunen").courses] == [courses["privacy"].pk]
    assert [c.pk for c in catalog_search(query="Verwaltungen").courses] == [courses["privacy"].pk]


def test_part_of_a_hyphenated_or_dotted_name_finds_the_course(courses):
    assert [c.pk for c in catalog_search(query="DCAT").courses] == [courses["open_data"].pk]
    assert [c.pk for c in catalog_search(query="dcat-ap.de").courses] == [courses["open_data"].pk]


def test_one_typo_is_tolerated_when_nothing_matches_exactly(courses):
    result = catalog_search(query="Datenschuts")
    assert [c.pk for c in result.courses] == [courses["privacy"].pk]
    assert result.corrected_query == "datenschutz"
    assert catalog_search(query="Datenschutz").corrected_query == ""


def test_a_typo_page_says_what_was_searched_instead(client, courses):
    html = client.get("/kurse/", {"q": "Datenschuts"}).content.decode()
    assert "Datenschutz in der Kommune" in html
    assert "Ergebnisse für" in html and "datenschutz" in html


def test_words_in_lessons_are_stemmed_too(courses):
    from tests.factories.pages import LessonPageFactory

    LessonPageFactory(
        parent=courses["cdo"],
        title="Die Digitalagentur aufbauen",
        body=[{"type": "rich_text", "value": "<p>Eine Stabsstelle beim Oberbürgermeister.</p>"}],
    )
    assert [c.pk for c in catalog_search(query="Stabsstellen").courses] == [courses["cdo"].pk]


def test_search_finds_courses_through_their_lessons(client, courses):
    from tests.factories.pages import LessonPageFactory

    LessonPageFactory(
        parent=courses["cdo"],
        title="Die Digitalagentur aufbauen",
        body=[{"type": "rich_text", "value": "<p>Eine Stabsstelle beim Oberbürgermeister.</p>"}],
    )
    result = catalog_search(query="Stabsstelle")
    assert [c.pk for c in result.courses] == [courses["cdo"].pk]
    assert [lesson.title for lesson in result.lesson_hits[courses["cdo"].pk]] == ["Die Digitalagentur aufbauen"]
    html = client.get("/kurse/", {"q": "Stabsstelle"}).content.decode()
    assert "Gefunden in:" in html and "Die Digitalagentur aufbauen" in html


def test_catalogue_pages_through_many_courses(client, courses, monkeypatch):
    from courses.catalog import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = client.get("/kurse/").content.decode()
    assert "3 Kurse gefunden" in first and "Seite 1 von 2" in first
    assert 'href="/kurse/?seite=2" rel="next"' in first
    second = client.get("/kurse/", {"seite": "2"}).content.decode()
    assert "Seite 2 von 2" in second
    assert client.get("/kurse/", {"seite": "keine-zahl"}).status_code == 200
