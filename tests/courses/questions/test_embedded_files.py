"""Images embedded in Moodle XML question texts (``<file encoding="base64">``): read, checked like
every upload, stored in the Wagtail media library, shown to learners and written back as ``<file>``."""

import base64
from pathlib import Path

import pytest
from wagtail.images import get_image_model

from courses.questions.formats import FormatError, read_moodle_xml, write_gift, write_moodle_xml
from courses.questions.services import questions_export, questions_import
from tests.factories import quiz as f

FILE = (Path(__file__).parent / "data" / "moodle_embedded_files.xml").read_bytes()
SVG = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').decode()


def test_the_files_of_a_question_text_are_read_and_written_back_as_moodle_writes_them():
    parsed = read_moodle_xml(FILE)
    q = parsed.questions[0]
    assert [(f.name, f.path) for f in q.text_files] == [("wappen rot.png", "/"), ("karte.jpg", "/")]
    assert parsed.warnings == []  # kept, so no "nicht übernommen" note
    written = write_moodle_xml(parsed.questions, parsed.categories)
    assert '<file name="wappen rot.png" path="/" encoding="base64">' in written.content
    assert read_moodle_xml(written.content).questions == parsed.questions
    assert "eingebettete Bilder" in write_gift(parsed.questions).losses[0]


def test_files_elsewhere_are_still_named_as_not_kept():
    other = FILE.decode().replace(
        '<generalfeedback format="html">\n      <text></text>',
        '<generalfeedback format="html">\n      <text></text>\n      <file name="a.png" encoding="base64">AA==</file>',
    )
    assert read_moodle_xml(other).warnings == ["Eingebettete Dateien (Bilder, Anhänge) werden nicht übernommen."]


@pytest.mark.django_db
def test_import_puts_the_images_into_the_media_library_and_export_brings_them_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = f.category("Bilder")
    report = questions_import(content=FILE, fmt="moodlexml", category=root)
    content = report.created[0].current_version.content
    images = get_image_model().objects.order_by("pk")
    assert [i.title for i in images] == ["wappen rot.png", "karte.jpg"]
    assert "@@PLUGINFILE@@" not in content.text.text
    assert f'<img src="{images[0].file.url}"' in content.text.text
    assert [(f.image_id, f.content) for f in content.text_files] == [(images[0].pk, ""), (images[1].pk, "")]
    exported = questions_export(category=root, fmt="moodlexml")
    assert exported.losses == []
    again = read_moodle_xml(exported.content).questions[0]
    original = read_moodle_xml(FILE).questions[0]
    assert again.text_files == original.text_files
    assert again.text.text == original.text.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("bild.svg", SVG, "SVG-Grafiken können Skripte enthalten"),
        ("bild.png", SVG, "SVG-Grafiken können Skripte enthalten"),
        ("bild.png", base64.b64encode(b"kein Bild").decode(), "kein lesbares Bild"),
        ("bild.png", "%%%", "kein gültiges Base64"),
    ],
)
def test_a_file_that_is_not_an_allowed_image_refuses_the_import_and_nothing_is_saved(
    settings, tmp_path, name, content, why
):
    settings.MEDIA_ROOT = tmp_path
    parsed = read_moodle_xml(FILE)
    bad = (
        FILE.decode()
        .replace(parsed.questions[0].text_files[1].content, content)
        .replace('name="karte.jpg"', f'name="{name}"')
    )
    root = f.category("Bilder")
    with pytest.raises(FormatError, match=why) as error:
        questions_import(content=bad.encode(), fmt="moodlexml", category=root)
    assert f"Frage „Wappen erkennen“: Die eingebettete Datei „{name}“ wird nicht übernommen" in str(error.value)
    assert not root.questions.exists() and not get_image_model().objects.exists()
