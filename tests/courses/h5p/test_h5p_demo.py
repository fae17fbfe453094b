"""The demo's H5P activities: sources under content/demo/ built into packages and uploaded as a trainer would."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from courses.catalog.demo_files import DemoContentError, default_root, split_front_matter
from courses.h5p import demo, package, storage
from courses.h5p.demo_files import load_activities
from courses.h5p.models import H5PActivityPage, H5PContent, H5PLibrary
from tests.factories.pages import course

pytestmark = pytest.mark.django_db

SOURCE = "01-datenmanagement-in-der-kommune/quiz-datenschutz-im-alltag.h5p.md"
COURSE_SLUG = "datenmanagement-in-der-kommune"
PAGE_SLUG = "quiz-datenschutz-im-alltag"
FILENAME = "demo-datenschutz-quiz.h5p"


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the demo folder a test may edit."""
    target = tmp_path / "demo"
    shutil.copytree(default_root(), target)
    return target


def _edit(root: Path, change) -> Path:
    path = root / SOURCE
    data, body, _line = split_front_matter(path, path.read_text("utf-8"))
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body, "utf-8")
    return path


def _media_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_demo_seed_is_idempotent_and_attaches_activity_to_first_demo_course(seeded_demo):
    files = _media_files()  # the fixture's seed
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    content = H5PContent.objects.get(source_filename=FILENAME)
    page = H5PActivityPage.objects.get(slug=PAGE_SLUG)
    assert page.live and page.content == content
    assert page.get_parent().slug == COURSE_SLUG
    assert page.passing_threshold == 60 and page.is_required
    assert page.intro == "<p>Prüfen Sie Ihr Wissen mit drei kurzen Fragen. Ab 60 % ist das Quiz bestanden.</p>"
    assert content.title == "Datenschutz im Alltag"
    assert content.main_library.machine_name == "H5P.LernplattformQuiz"
    assert sorted(lib.machine_name for lib in content.libraries.all()) == [
        "H5P.LernplattformQuiz",
        "H5P.LernplattformStyle",
    ]
    stored = json.loads((storage.content_dir(content.pk) / "content" / "content.json").read_text("utf-8"))
    assert [q["id"] for q in stored["questions"]] == ["dsgvo-rechtsgrundlage", "datenpanne", "offene-daten"]
    assert page.revisions.count() == 1
    assert _media_files() == files
    assert "H5P: 0 hochgeladene Pakete, 0 neue und 0 geänderte Aktivitäten" in out.getvalue()


def test_demo_source_builds_a_real_package_the_upload_validator_accepts():
    (item,) = load_activities()

    info = package.inspect_package(io.BytesIO(item.data), installed=set(), package_name=item.filename)
    with zipfile.ZipFile(io.BytesIO(item.data)) as zf:
        names = set(zf.namelist())
        h5p_json = json.loads(zf.read("h5p.json"))

    assert {"h5p.json", "content/content.json", "H5P.LernplattformQuiz-1.0/library.json"} <= names
    assert "H5P.LernplattformStyle-1.0/library.json" in names
    assert h5p_json["mainLibrary"] == "H5P.LernplattformQuiz"
    assert h5p_json["preloadedDependencies"][0] == {
        "machineName": "H5P.LernplattformQuiz",
        "majorVersion": 1,
        "minorVersion": 0,
    }
    assert h5p_json["license"] == "CC BY-SA" and h5p_json["licenseVersion"] == "4.0"
    assert info.title == "Datenschutz im Alltag"
    assert item.course_slug == COURSE_SLUG


def test_demo_seed_without_courses_only_uploads_the_item():
    out = io.StringIO()

    demo.seed(stdout=out)
    demo.seed(stdout=io.StringIO())

    assert H5PContent.objects.count() == 1
    assert not H5PActivityPage.objects.exists()
    assert "übersprungen" in out.getvalue()


def test_edited_source_gives_a_new_package_version_like_a_reupload(root):
    course(title="Datenmanagement in der Kommune", slug=COURSE_SLUG)
    demo.seed(stdout=io.StringIO(), root=root)
    old = H5PActivityPage.objects.get(slug=PAGE_SLUG).content

    def change(data):
        data["content"]["questions"][0]["text"] = "Wann darf eine Kommune personenbezogene Daten verarbeiten?"

    _edit(root, change)
    out = io.StringIO()
    demo.seed(stdout=out, root=root)
    demo.seed(stdout=io.StringIO(), root=root)

    page = H5PActivityPage.objects.get(slug=PAGE_SLUG)
    assert page.content != old
    assert H5PContent.objects.filter(pk=old.pk).exists()  # results of the old item stay with it
    assert H5PContent.objects.filter(source_filename=FILENAME).count() == 2
    assert page.revisions.count() == 2 and page.live
    stored = json.loads((storage.content_dir(page.content.pk) / "content" / "content.json").read_text("utf-8"))
    assert stored["questions"][0]["text"].startswith("Wann darf eine Kommune")
    assert H5PLibrary.objects.filter(machine_name="H5P.LernplattformQuiz").count() == 1
    assert "1 hochgeladene Pakete, 0 neue und 1 geänderte Aktivitäten" in out.getvalue()


def test_edited_page_settings_give_a_new_revision_without_a_new_upload(root):
    course(title="Datenmanagement in der Kommune", slug=COURSE_SLUG)
    demo.seed(stdout=io.StringIO(), root=root)

    _edit(root, lambda data: data.update(passing_threshold=80, score_policy="letztes_ergebnis"))
    demo.seed(stdout=io.StringIO(), root=root)

    page = H5PActivityPage.objects.get(slug=PAGE_SLUG)
    assert (page.passing_threshold, page.score_policy) == (80, "latest")
    assert page.revisions.count() == 2
    assert H5PContent.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["content"]["questions"][1].pop("text"), "„content.questions.2.text“: Das Pflichtfeld fehlt."),
        (
            lambda d: d["content"]["questions"][2]["answers"].pop(),
            "„content.questions.3.answers“: Die Liste braucht mindestens 2 Einträge (hat 1).",
        ),
        (lambda d: d["content"].update(passPercentage=120), "„content.passPercentage“: Die Zahl ist größer als 100."),
        (
            lambda d: d["content"]["questions"][0]["answers"][0].update(correct="ja"),
            "„content.questions.1.answers.1.correct“: Erwartet wird true oder false.",
        ),
        (lambda d: d["content"].update(fragen=[]), "„content“: Unbekannte Felder: fragen"),
        (lambda d: d["package"].pop("title"), "Das Feld „package.title“ fehlt."),
        (
            lambda d: d["package"].update(main_library="H5P.MultiChoice 1.16"),
            "„package.main_library“: Die Bibliothek H5P.MultiChoice 1.16 gibt es nicht",
        ),
        (lambda d: d["package"].update(main_library="H5P.LernplattformStyle 1.0"), "kein eigenständiger Inhaltstyp"),
        (lambda d: d["package"].update(file="../quiz.zip"), "„package.file“ ist ein Dateiname"),
        (lambda d: d.update(score_policy="immer"), "„score_policy: immer“ ist nicht erlaubt"),
        (lambda d: d.update(passing_threshold=101), "„passing_threshold“ liegt zwischen 0 und 100"),
    ],
)
def test_broken_source_names_file_and_field_and_loads_nothing(root, change, expected):
    course(title="Datenmanagement in der Kommune", slug=COURSE_SLUG)
    path = _edit(root, change)

    with pytest.raises(DemoContentError) as error:
        demo.seed(stdout=io.StringIO(), root=root)

    assert str(path) in error.value.message
    assert expected in error.value.message
    assert error.value.code == "catalog.demo_content_invalid"
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()
    assert not H5PActivityPage.objects.exists()
    assert _media_files() == []


def test_a_broken_second_source_stops_the_seed_before_the_first_is_uploaded(root):
    broken = root / "02-organisationsentwicklung-und-change" / "kaputt.h5p.md"
    broken.write_text("---\ntitle: Kaputt\nslug: kaputt\npackage: {}\ncontent: {}\n---\n", "utf-8")

    with pytest.raises(DemoContentError, match="package.file"):
        demo.seed(stdout=io.StringIO(), root=root)

    assert not H5PContent.objects.exists()
    assert _media_files() == []


def test_h5p_sources_are_not_read_as_lessons():
    from courses.catalog.demo_files import load_courses

    lessons = [lesson["slug"] for data in load_courses() for lesson in data["lessons"]]
    assert PAGE_SLUG not in lessons
