"""The demo content files: read into blocks, broken front matter named by file and line, seeded idempotently."""

import shutil
from pathlib import Path

import pytest
from wagtail.models import Revision

from courses.catalog import demo_files
from courses.catalog.demo_files import DemoContentError, load_lesson, parse_body
from courses.lessons.models import LessonPage
from tests.factories.demo import demo_courses_seed

LESSON = """---
title: Probe
slug: probe
order: 1
estimated_minutes: 10
intro: Eine Probe.
---

## Überschrift

Text mit **fett**, *kursiv* und [Link](https://example.org).

::: tipp Ein Tipp
Kurz und *klar*.
:::

::: begriff Wort
Die Erklärung
über zwei Zeilen.
:::
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "01-probe.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lesson_file_becomes_rich_text_callout_and_glossary_blocks(tmp_path):
    lesson = load_lesson(_write(tmp_path, LESSON))
    assert (lesson["slug"], lesson["minutes"], lesson["intro"]) == ("probe", 10, "Eine Probe.")
    assert lesson["body"] == [
        {
            "type": "rich_text",
            "value": '<h2>Überschrift</h2> <p>Text mit <b>fett</b>, <i>kursiv</i> und <a href="https://example.org">Link</a>.</p>',
        },
        {"type": "callout", "value": {"kind": "tip", "title": "Ein Tipp", "text": "<p>Kurz und <i>klar</i>.</p>"}},
        {"type": "glossary_term", "value": {"term": "Wort", "definition": "Die Erklärung über zwei Zeilen."}},
    ]


def test_markdown_is_cleaned():
    html = demo_files.markdown_to_html('Hallo <script>alert(1)</script> <a href="javascript:x" onclick="y">z</a>')
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html


def test_broken_yaml_names_file_and_line(tmp_path):
    path = _write(tmp_path, LESSON.replace("order: 1", "order: [1"))
    with pytest.raises(DemoContentError) as error:
        load_lesson(path)
    assert str(path) in error.value.message
    assert "Zeile 5" in error.value.message
    assert error.value.code == "catalog.demo_content_invalid"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("estimated_minutes: 10\n", ""), "fehlt das Feld „estimated_minutes“"),
        (lambda t: t.replace("order: 1", "order: eins"), "„order“ hat einen falschen Typ"),
        (lambda t: t.replace("order: 1", "order: 1\nfarbe: rot"), "Unbekannte Felder im Front Matter: farbe"),
        (lambda t: t[4:], "beginnt nicht mit einer Zeile"),
        (lambda t: t.replace("---\n\n##", "\n##"), "nicht mit einer Zeile „---“ beendet"),
    ],
)
def test_broken_front_matter_is_reported_in_german(tmp_path, change, expected):
    with pytest.raises(DemoContentError, match=expected):
        load_lesson(_write(tmp_path, change(LESSON)))


def test_an_unclosed_block_names_its_opening_line(tmp_path):
    path = Path("x.md")
    with pytest.raises(DemoContentError, match=r"x\.md, Zeile 12: Der Block „tipp“ wird nicht"):
        parse_body(path, "Text\n\n::: tipp Titel\nohne Ende\n", first_line=10)
    with pytest.raises(DemoContentError, match="Unbekannter Block „kasten“"):
        parse_body(path, "::: kasten Titel\nx\n:::\n", first_line=1)


@pytest.mark.django_db
def test_reseeding_after_editing_a_lesson_file_updates_only_that_lesson(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(demo_files.default_root(), root)
    demo_courses_seed(root)
    revisions = Revision.objects.count()
    demo_courses_seed(root)
    assert Revision.objects.count() == revisions

    path = next(root.glob("03-*/02-xoev-*.md"))
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("## ", "## Geändert: ", 1)
        .replace("estimated_minutes: ", "estimated_minutes: 1", 1),
        encoding="utf-8",
    )
    out = demo_courses_seed(root)
    assert Revision.objects.count() == revisions + 1
    assert "1 geänderte Lektionen" in out
    lesson = LessonPage.objects.get(slug="xoev-und-xrepository")
    assert lesson.live and not lesson.has_unpublished_changes
    assert "<h2>Geändert: " in str(lesson.body)
