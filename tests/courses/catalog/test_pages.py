"""Page types, where they may live, their fields and how they render."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses.catalog.models import CatalogPage, CoursePage
from courses.lessons.blocks import ImageBlock, LessonStreamBlock, VideoBlock
from courses.lessons.models import LessonPage
from lernplattform.portal.models import HomePage
from tests.factories.pages import CatalogPageFactory, CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def test_catalogue_lives_under_the_home_page_and_holds_only_courses():
    assert CatalogPage.allowed_parent_page_models() == [HomePage]
    assert CatalogPage.allowed_subpage_models() == [CoursePage]


def test_course_lives_in_the_catalogue_and_holds_activities():
    assert CoursePage.allowed_parent_page_models() == [CatalogPage]
    assert LessonPage in CoursePage.allowed_subpage_models()
    assert all(issubclass(m, Page) for m in CoursePage.allowed_subpage_models())
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []


def test_lesson_knows_its_course():
    lesson = LessonPageFactory()
    assert lesson.course == lesson.get_parent().specific
    assert isinstance(lesson.course, CoursePage)


def test_completion_rule_reads_the_course_settings():
    course = CoursePageFactory(completion_min_score_percent=Decimal("80"), completion_min_required_activities=None)
    rule = course.completion_rule
    assert rule.min_score_percent == Decimal("80")
    assert rule.min_required_activities is None


def test_reading_time_comes_from_the_estimate_or_the_text_length():
    words = " ".join(["Wort"] * 900)
    lesson = LessonPageFactory(body=[{"type": "rich_text", "value": f"<p>{words}</p>"}])
    assert lesson.reading_minutes == 5  # 900 words at 180 per minute
    lesson.estimated_minutes = 12
    assert lesson.reading_minutes == 12


def test_image_block_requires_alt_text():
    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": None, "alt_text": "  ", "caption": ""}))


def test_video_block_requires_a_webvtt_captions_track(django_user_model):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    video = Document.objects.create(title="Video", file=ContentFile(b"0", name="film.mp4"))
    pdf = Document.objects.create(title="PDF", file=ContentFile(b"%PDF", name="untertitel.pdf"))
    vtt = Document.objects.create(title="VTT", file=ContentFile(b"WEBVTT\n", name="untertitel.vtt"))
    block = VideoBlock()
    value = {"title": "Film", "video": video.pk, "captions": pdf.pk, "captions_language": "de", "transcript": ""}
    with pytest.raises(ValidationError):
        block.clean(block.to_python(value))
    block.clean(block.to_python({**value, "captions": vtt.pk}))


def test_every_lesson_block_has_icon_template_and_preview():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template.startswith("blocks/"), name
        if name in ("rich_text", "callout", "glossary_term"):
            assert block.get_preview_value(), name


def test_lesson_renders_blocks_position_and_reading_time(client):
    course = CoursePageFactory()
    first = LessonPageFactory(parent=course, title="Erste Lektion")
    second = LessonPageFactory(parent=course, title="Zweite Lektion")
    response = client.get(second.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aktivität 2 von 2" in html
    assert "Lesezeit etwa" in html
    assert "<dfn>Metadaten</dfn>" in html
    assert 'class="callout callout--tip"' in html
    assert f'href="{first.url}" rel="prev"' in html
    assert 'aria-current="page"' in html


def test_course_page_shows_outline_and_the_real_enrol_action(client):
    course = CoursePageFactory(outcomes=[("item", "Daten schützen")])
    LessonPageFactory(parent=course, title="Datenschutz im Amt")
    html = client.get(course.url).content.decode()
    assert "Datenschutz im Amt" in html
    assert "Daten schützen" in html
    # courses.progress fills the enrol include: anonymous visitors are sent to log in first.
    assert "Anmelden und einschreiben" in html


def test_catalogue_is_reachable_at_a_clean_url(client):
    catalog = CatalogPageFactory()
    assert catalog.url == "/kurse/"
    assert client.get("/kurse/").status_code == 200


def test_course_accepts_every_installed_activity_type():
    from django.apps import apps

    from courses.catalog.models import ACTIVITY_PAGE_TYPES, ActivityPage

    installed = set()
    for name in ACTIVITY_PAGE_TYPES:
        try:
            installed.add(apps.get_model(name))
        except LookupError:
            continue
    allowed = set(CoursePage.allowed_subpage_models())
    assert allowed == installed
    assert all(issubclass(model, ActivityPage) for model in allowed)
    assert all(model.allowed_parent_page_models() == [CoursePage] for model in allowed)
