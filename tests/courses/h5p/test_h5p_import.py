"""Importing .h5p packages: storage, library sharing, and refusing hostile packages untouched."""

import io
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command

from courses.h5p import package as pkg
from courses.h5p.builder import QUIZ_LIBRARY, STYLE_LIBRARY, build_quiz_package, quiz_package_builder
from courses.h5p.models import H5PContent, H5PLibrary
from courses.h5p.services import H5PContentInUseError, h5p_content_delete, h5p_content_import, h5p_library_prune
from tests.factories.h5p import h5p_content
from tests.factories.pages import h5p_activity_page

pytestmark = pytest.mark.django_db


def media_snapshot(settings) -> dict[str, bytes]:
    root = settings.MEDIA_ROOT
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()} | {
        str(p.relative_to(root)) + "/": b"" for p in root.rglob("*") if p.is_dir()
    }


def import_bytes(data: bytes, filename: str = "quiz.h5p", **kwargs) -> H5PContent:
    return h5p_content_import(file=io.BytesIO(data), filename=filename, **kwargs)


def test_import_stores_content_and_libraries_under_media(settings):
    content = import_bytes(build_quiz_package(title="Phishing erkennen"))

    root = settings.MEDIA_ROOT / "h5p"
    assert content.title == "Phishing erkennen"
    assert content.license_display == "CC BY-SA 4.0"
    assert content.authors_display == "Team Lernplattform"
    assert str(content.main_library) == "H5P.LernplattformQuiz 1.0.0"
    assert (root / "content" / str(content.pk) / "h5p.json").is_file()
    assert (root / "content" / str(content.pk) / "content" / "content.json").is_file()
    assert (root / "libraries" / QUIZ_LIBRARY / "quiz.js").is_file()
    assert (root / "libraries" / STYLE_LIBRARY / "style.css").is_file()
    assert not (root / ".staging").exists()
    assert {lib.machine_name for lib in content.libraries.all()} == {
        "H5P.LernplattformQuiz",
        "H5P.LernplattformStyle",
    }


def test_title_option_overrides_title_from_package():
    content = import_bytes(build_quiz_package(title="Aus dem Paket"), title="Eigener Titel")

    assert content.title == "Eigener Titel"


def test_libraries_are_stored_once_and_shared():
    first = import_bytes(build_quiz_package(title="Eins"))
    second = import_bytes(quiz_package_builder(title="Zwei", with_libraries=False).build())

    assert H5PLibrary.objects.count() == 2
    assert set(first.libraries.all()) == set(second.libraries.all())


def test_newer_patch_waits_for_approval_and_older_patch_is_ignored(settings):
    """A newer patch never replaces the installed library on upload (issue 10, finding 3)."""
    import_bytes(build_quiz_package())
    original = (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").read_text()
    newer = quiz_package_builder()
    meta = pkg.json.loads(newer.entries[f"{QUIZ_LIBRARY}/library.json"].data)
    newer.add_json(f"{QUIZ_LIBRARY}/library.json", {**meta, "patchVersion": 3})
    newer.add_file(f"{QUIZ_LIBRARY}/quiz.js", "/* patched */")
    import_bytes(newer.build())

    lib = H5PLibrary.objects.get(machine_name="H5P.LernplattformQuiz")
    assert lib.patch_version == 0
    assert (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").read_text() == original
    assert lib.upgrades.get().patch_version == 3

    import_bytes(build_quiz_package())  # patch 0 again

    lib.refresh_from_db()
    assert lib.patch_version == 0
    assert lib.upgrades.count() == 1
    assert H5PLibrary.objects.count() == 2


def test_deleting_content_keeps_other_content_and_shared_libraries(settings, django_capture_on_commit_callbacks):
    first = h5p_content(title="Eins")
    second = h5p_content(title="Zwei")
    first_dir = settings.MEDIA_ROOT / "h5p/content" / str(first.pk)

    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_delete(content=first)

    assert not first_dir.exists()
    assert not H5PContent.objects.filter(pk=first.pk).exists()
    assert (settings.MEDIA_ROOT / "h5p/content" / str(second.pk) / "content/content.json").is_file()
    assert (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY / "quiz.js").is_file()
    assert h5p_library_prune() == []


def test_unused_libraries_are_pruned_after_last_content_is_deleted(settings, django_capture_on_commit_callbacks):
    content = h5p_content()
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_delete(content=content)
        removed = h5p_library_prune()

    assert sorted(removed) == ["H5P.LernplattformQuiz 1.0.0", "H5P.LernplattformStyle 1.0.0"]
    assert not (settings.MEDIA_ROOT / "h5p/libraries" / QUIZ_LIBRARY).exists()


def test_content_used_by_an_activity_cannot_be_deleted():
    page = h5p_activity_page()

    with pytest.raises(H5PContentInUseError, match="wird noch in Kursen verwendet"):
        h5p_content_delete(content=page.content)

    assert H5PContent.objects.filter(pk=page.content.pk).exists()


def test_import_command_creates_content(tmp_path, capsys):
    path = tmp_path / "quiz.h5p"
    path.write_bytes(build_quiz_package())

    call_command("import_h5p", str(path), "--title", "Kommando-Quiz")

    assert H5PContent.objects.get().title == "Kommando-Quiz"
    assert "angelegt" in capsys.readouterr().out


def _with_unknown_dependency():
    builder = quiz_package_builder()
    meta = pkg.json.loads(builder.entries["h5p.json"].data)
    meta["preloadedDependencies"].append(
        {"machineName": "H5P.NirgendsInstalliert", "majorVersion": 1, "minorVersion": 0}
    )
    return builder.h5p_json(meta).build()


def _many_files():
    builder = quiz_package_builder()
    for index in range(40):
        builder.add_file(f"content/images/{index}.png", b"\x89PNG")
    return builder.build()


HOSTILE = {
    "path_traversal": (
        lambda: quiz_package_builder().add_file("content/../../../etc/evil.json", "{}").build(),
        "„..“ ist nicht erlaubt",
    ),
    "absolute_path": (
        lambda: quiz_package_builder().add_file("/tmp/evil.json", "{}").build(),
        "Absolute Pfade sind nicht erlaubt",
    ),
    "zip_bomb": (
        lambda: quiz_package_builder().add_file("content/bomb.txt", bytes(64 * 1024 * 1024)).build(),
        "Verdacht auf ZIP-Bombe",
    ),
    "symlink": (
        lambda: quiz_package_builder().add_symlink("content/passwd.txt", "/etc/passwd").build(),
        "Symbolische Links sind im Paket nicht erlaubt",
    ),
    "missing_h5p_json": (
        lambda: quiz_package_builder().remove("h5p.json").build(),
        "„h5p.json“: Die Pflichtdatei fehlt",
    ),
    "forbidden_extension": (
        lambda: quiz_package_builder().add_file("content/shell.php", "<?php").build(),
        "Der Dateityp .php ist für Inhaltsdateien nicht erlaubt",
    ),
    "missing_library": (
        lambda: _with_unknown_dependency(),
        "Die benötigte Bibliothek „H5P.NirgendsInstalliert 1.0“ fehlt",
    ),
    "broken_json": (
        lambda: quiz_package_builder().add_file("content/content.json", "{kaputt").build(),
        "„content/content.json“: Die Datei ist kein gültiges JSON",
    ),
    "too_many_files": (_many_files, "erlaubt sind höchstens 30"),
    "not_a_zip": (lambda: b"%PDF-1.4 kein zip", "kein gültiges ZIP-Archiv"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_package_is_refused_by_command_and_leaves_media_unchanged(case, settings, tmp_path):
    settings.H5P_PACKAGE_LIMITS = {"max_files": 30}
    h5p_content(title="Schon vorhanden")  # the media folder is not empty
    before = media_snapshot(settings)
    counts = (H5PContent.objects.count(), H5PLibrary.objects.count())
    build, expected = HOSTILE[case]
    path = tmp_path / f"{case}.h5p"
    path.write_bytes(build())
    started = time.monotonic()

    with pytest.raises(CommandError) as caught:
        call_command("import_h5p", str(path))

    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(f"{case}.h5p: ")
    assert expected in message
    assert media_snapshot(settings) == before
    assert (H5PContent.objects.count(), H5PLibrary.objects.count()) == counts


def test_each_hostile_package_has_its_own_message():
    assert len({expected for _build, expected in HOSTILE.values()}) == len(HOSTILE)


def test_import_failing_during_extraction_leaves_media_and_database_unchanged(settings):
    h5p_content(title="Schon vorhanden")
    before = media_snapshot(settings)
    data = quiz_package_builder().add_file("content/lie.txt", bytes(5 * 1024 * 1024)).build()
    # Let the central directory claim 10 bytes: only streaming extraction can notice.
    raw = bytearray(data)
    pos = raw.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = int.from_bytes(raw[pos + 28 : pos + 30], "little")
        if raw[pos + 46 : pos + 46 + name_len] == b"content/lie.txt":
            raw[pos + 24 : pos + 28] = (10).to_bytes(4, "little")
        pos = raw.find(b"PK\x01\x02", pos + 4)

    with pytest.raises(pkg.H5PPackageError):
        import_bytes(bytes(raw))

    assert media_snapshot(settings) == before
    assert H5PContent.objects.count() == 1


def test_stored_h5p_json_is_a_clean_copy(settings):
    content = import_bytes(build_quiz_package())

    stored = (settings.MEDIA_ROOT / "h5p/content" / str(content.pk) / "h5p.json").read_text()

    assert pkg.json.loads(stored)["mainLibrary"] == "H5P.LernplattformQuiz"
    assert zipfile.is_zipfile(io.BytesIO(build_quiz_package()))
