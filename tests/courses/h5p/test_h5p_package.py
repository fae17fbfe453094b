"""Validation and extraction of .h5p packages (pure Python, no database)."""

import io
import json
import struct
import time
import zipfile

import pytest

from courses.h5p import package as pkg
from courses.h5p.builder import (
    CONTENTTYPE_DIR,
    QUIZ_LIBRARY,
    STYLE_LIBRARY,
    H5PPackageBuilder,
    build_quiz_package,
    quiz_package_builder,
)
from courses.h5p.package import LibraryRef, PackageLimits, extract_package, inspect_package


def inspect(data: bytes, **kwargs):
    return inspect_package(io.BytesIO(data), **kwargs)


def refuse(data: bytes, error: type[pkg.H5PPackageError], **kwargs) -> pkg.H5PPackageError:
    started = time.monotonic()
    with pytest.raises(error) as caught:
        inspect(data, **kwargs)
    assert time.monotonic() - started < 5, "refusal must be quick"
    return caught.value


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Make the central directory lie about an entry's unpacked size."""
    raw = bytearray(data)
    marker = b"PK\x01\x02"
    pos = raw.find(marker)
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46 : pos + 46 + name_len].decode() == name:
            struct.pack_into("<I", raw, pos + 24, size)
            return bytes(raw)
        pos = raw.find(marker, pos + 4)
    raise AssertionError(name)


# --------------------------------------------------------------------------- good packages


def test_valid_quiz_package_is_accepted_with_metadata():
    info = inspect(build_quiz_package(title="Phishing erkennen"))

    assert info.title == "Phishing erkennen"
    assert info.main_library == "H5P.LernplattformQuiz"
    assert info.language == "de"
    assert info.license == "CC BY-SA"
    assert info.authors == ({"name": "Team Lernplattform", "role": "Author"},)
    assert {str(lib) for lib in info.libraries} == {
        "H5P.LernplattformQuiz 1.0.0",
        "H5P.LernplattformStyle 1.0.0",
    }
    assert info.content_files == ("content/content.json",)
    assert info.content_json["questions"][0]["id"] == "q1"


def test_package_without_libraries_is_accepted_when_they_are_installed():
    data = quiz_package_builder(with_libraries=False).build()
    installed = {LibraryRef("H5P.LernplattformQuiz", 1, 0), LibraryRef("H5P.LernplattformStyle", 1, 0)}

    info = inspect(data, installed=installed)

    assert info.libraries == ()


def test_installed_libraries_may_be_given_as_callable():
    data = quiz_package_builder(with_libraries=False).build()

    info = inspect(data, installed=lambda ref: ref.machine_name.startswith("H5P.Lernplattform"))

    assert info.main_library_ref == LibraryRef("H5P.LernplattformQuiz", 1, 0)


def test_dot_files_and_macos_clutter_are_ignored_not_extracted():
    data = (
        quiz_package_builder()
        .add_file("__MACOSX/._h5p.json", b"\x00\x05")
        .add_file("content/.DS_Store", b"\x00")
        .build()
    )

    info = inspect(data)

    assert "content/.DS_Store" not in info.content_files


# --------------------------------------------------------------------------- hostile packages


def test_not_a_zip_is_refused():
    error = refuse(b"<html>kein zip</html>", pkg.NotAZipError, package_name="kurs.h5p")

    assert "kein gültiges ZIP-Archiv" in str(error)
    assert str(error).startswith("kurs.h5p: ")
    assert error.rule == "not_zip"


def test_package_errors_follow_the_interface_language():
    from django.utils import translation

    traversal = quiz_package_builder().add_file("../evil.json", "{}").build()
    with translation.override("en"):
        not_zip = refuse(b"<html>kein zip</html>", pkg.NotAZipError)
        outside = refuse(traversal, pkg.PathTraversalError)

    assert str(not_zip) == "The file is not a valid ZIP archive; an H5P package must be a ZIP file."
    assert str(outside) == "“../evil.json”: the path leaves the package (“..” is not allowed)."
    assert "verlässt das Paket" in str(refuse(traversal, pkg.PathTraversalError))


def test_truncated_zip_is_refused():
    refuse(build_quiz_package()[:-200], pkg.NotAZipError)


def test_missing_h5p_json_is_refused():
    error = refuse(quiz_package_builder().remove("h5p.json").build(), pkg.MissingFileError)

    assert "„h5p.json“" in error.message and "Pflichtdatei fehlt" in error.message
    assert error.filename == "h5p.json"


def test_missing_content_json_is_refused():
    error = refuse(quiz_package_builder().remove("content/content.json").build(), pkg.MissingFileError)

    assert "content/content.json" in error.message


def test_broken_json_in_content_is_refused():
    data = quiz_package_builder().add_file("content/content.json", '{"questions": [').build()

    error = refuse(data, pkg.InvalidJSONError)

    assert "„content/content.json“" in error.message and "kein gültiges JSON" in error.message


def test_broken_json_in_h5p_json_is_refused():
    error = refuse(quiz_package_builder().add_file("h5p.json", "{").build(), pkg.InvalidJSONError)

    assert "„h5p.json“" in error.message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "", "„title“"),
        ("mainLibrary", None, "„mainLibrary“"),
        ("language", "deutsch und englisch", "„language“"),
        ("preloadedDependencies", "H5P.LernplattformQuiz", "„preloadedDependencies“"),
        ("mainLibrary", "H5P.Andere", "Hauptbibliothek"),
        ("embedTypes", ["popup"], "„embedTypes“"),
    ],
)
def test_invalid_h5p_json_fields_are_refused(field, value, expected):
    builder = quiz_package_builder()
    meta = pkg.json.loads(builder.entries["h5p.json"].data)
    if value is None:
        del meta[field]
    else:
        meta[field] = value

    error = refuse(builder.h5p_json(meta).build(), pkg.InvalidMetadataError)

    assert expected in error.message and "h5p.json" in error.message


def test_missing_library_is_refused_naming_library_and_file():
    data = quiz_package_builder(with_libraries=False).add_library(QUIZ_LIBRARY).build()

    error = refuse(data, pkg.MissingLibraryError)

    assert "H5P.LernplattformStyle 1.0" in error.message
    assert error.rule == "missing_library"


def test_library_installed_in_other_minor_version_does_not_count():
    data = quiz_package_builder(with_libraries=False).build()
    installed = {LibraryRef("H5P.LernplattformQuiz", 1, 1), LibraryRef("H5P.LernplattformStyle", 1, 0)}

    refuse(data, pkg.MissingLibraryError, installed=installed)


def test_library_folder_without_library_json_is_refused():
    data = quiz_package_builder().add_file("H5P.Fremd-1.0/fremd.js", "1;").build()

    error = refuse(data, pkg.MissingFileError)

    assert "„H5P.Fremd-1.0/library.json“" in error.message


def test_library_json_naming_missing_script_is_refused():
    data = quiz_package_builder().remove(f"{QUIZ_LIBRARY}/quiz.js").build()

    error = refuse(data, pkg.MissingFileError)

    assert "quiz.js" in error.message and "preloadedJs" in error.message


@pytest.mark.parametrize("name", ["content/evil.php", "content/run.exe", "content/page.html", "content/x.js"])
def test_forbidden_content_extension_is_refused(name):
    error = refuse(quiz_package_builder().add_file(name, "x").build(), pkg.ForbiddenExtensionError)

    assert f"„{name}“" in error.message and "nicht erlaubt" in error.message


def test_scripts_are_allowed_in_libraries_but_not_html():
    inspect(quiz_package_builder().add_file(f"{QUIZ_LIBRARY}/extra.js", "1;").build())

    refuse(
        quiz_package_builder().add_file(f"{STYLE_LIBRARY}/x.html", "<p>").build(),
        pkg.ForbiddenExtensionError,
    )


@pytest.mark.parametrize("name", ["../evil.json", "content/../../evil.json", "content/a/../../../x.png"])
def test_path_traversal_is_refused(name):
    error = refuse(quiz_package_builder().add_file(name, "{}").build(), pkg.PathTraversalError)

    assert "„..“" in error.message


@pytest.mark.parametrize("name", ["/etc/cron.d/evil.json", "C:/Windows/evil.json", "c:evil.json"])
def test_absolute_path_is_refused(name):
    error = refuse(quiz_package_builder().add_file(name, "{}").build(), pkg.AbsolutePathError)

    assert error.rule == "absolute_path"


def test_backslash_path_is_refused():
    data = quiz_package_builder().add_file("content\\..\\..\\evil.json", "{}").build()

    error = refuse(data, pkg.UnsafePathError)

    assert "Rückwärtsschrägstriche" in error.message


def test_symlink_is_refused():
    data = quiz_package_builder().add_symlink("content/images/passwd.png", "/etc/passwd").build()

    error = refuse(data, pkg.LinkNotAllowedError)

    assert "„content/images/passwd.png“" in error.message and "Symbolische Links" in error.message


def test_device_file_is_refused():
    data = quiz_package_builder().add_file("content/dev.txt", "", mode=0o020644).build()

    refuse(data, pkg.LinkNotAllowedError)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_entry_is_refused():
    data = quiz_package_builder().add_duplicate("content/content.json", "{}").build()

    refuse(data, pkg.DuplicateEntryError)


def test_too_many_files_is_refused():
    builder = quiz_package_builder()
    for index in range(30):
        builder.add_file(f"content/images/{index}.png", b"\x89PNG")

    error = refuse(builder.build(), pkg.TooManyFilesError, limits=PackageLimits(max_files=20))

    assert "höchstens 20" in error.message


def test_too_large_unpacked_size_is_refused():
    data = quiz_package_builder().add_file("content/video.mp4", b"v" * 2_000_000, compress=zipfile.ZIP_STORED).build()

    error = refuse(data, pkg.TooLargeError, limits=PackageLimits(max_unpacked_bytes=1_000_000))

    assert "„content/video.mp4“" in error.message


def test_zip_bomb_is_refused_from_the_central_directory_within_seconds():
    # 64 MiB of zeros compress to ~64 kB: a 1000x ratio.
    data = quiz_package_builder().add_file("content/bomb.txt", bytes(64 * 1024 * 1024)).build()
    assert len(data) < 1_000_000

    error = refuse(data, pkg.CompressionRatioError)

    assert "ZIP-Bombe" in error.message and "„content/bomb.txt“" in error.message


def test_zip_bomb_declaring_huge_total_is_refused_before_extraction():
    builder = quiz_package_builder()
    for index in range(8):
        builder.add_file(f"content/part{index}.txt", bytes(48 * 1024 * 1024))

    # Ratio checks off: the sum alone (384 MiB > 300 MiB) must stop it.
    refuse(builder.build(), pkg.TooLargeError, limits=PackageLimits(max_ratio=10_000))


def test_encrypted_entry_is_refused():
    data = bytearray(build_quiz_package())
    # Set the "encrypted" flag on the first central directory record.
    pos = data.find(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, pos + 8)[0]
    struct.pack_into("<H", data, pos + 8, flags | 0x1)

    refuse(bytes(data), pkg.EncryptedEntryError)


# --------------------------------------------------------------------------- extraction


def test_extract_writes_content_and_chosen_libraries(tmp_path):
    data = build_quiz_package()
    info = inspect(data)

    extract_package(
        io.BytesIO(data),
        info,
        content_dir=tmp_path / "content",
        library_dirs={QUIZ_LIBRARY: tmp_path / "libs" / QUIZ_LIBRARY},
    )

    assert (tmp_path / "content" / "content.json").is_file()
    assert (tmp_path / "libs" / QUIZ_LIBRARY / "quiz.js").is_file()
    assert not (tmp_path / "libs" / STYLE_LIBRARY).exists()


def test_extraction_stops_at_lying_sizes_and_cleans_up(tmp_path):
    # The central directory claims 100 bytes for a 20 MB file: inspection cannot
    # know, extraction must notice and leave nothing behind.
    real = quiz_package_builder().add_file("content/lie.txt", bytes(20 * 1024 * 1024)).build()
    data = patch_declared_size(real, "content/lie.txt", 100)
    info = inspect(data)
    started = time.monotonic()

    with pytest.raises(pkg.H5PPackageError):
        extract_package(
            io.BytesIO(data),
            info,
            content_dir=tmp_path / "content",
            library_dirs={QUIZ_LIBRARY: tmp_path / "lib"},
        )

    assert time.monotonic() - started < 5
    assert list(tmp_path.iterdir()) == []


def test_extraction_enforces_size_budget_while_streaming(tmp_path):
    data = quiz_package_builder().add_file("content/big.txt", b"x" * 300_000).build()
    info = inspect(data)

    with pytest.raises(pkg.TooLargeError):
        extract_package(
            io.BytesIO(data),
            info,
            content_dir=tmp_path / "content",
            library_dirs={},
            limits=PackageLimits(max_unpacked_bytes=100_000),
        )

    assert list(tmp_path.iterdir()) == []


def test_builder_output_is_a_real_zip_with_unix_modes():
    with zipfile.ZipFile(io.BytesIO(H5PPackageBuilder().add_file("a.txt", "x").build())) as zf:
        assert zf.getinfo("a.txt").external_attr >> 16 == 0o100644


# --- H5P core 1.27 rules ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["content/images/logo.svg", "content/data.xml"])
def test_svg_and_xml_content_files_are_refused_as_in_core_1_27(name):
    data = quiz_package_builder().add_file(name, "<svg xmlns='http://www.w3.org/2000/svg'/>").build()

    error = refuse(data, pkg.ForbiddenExtensionError)

    assert "ist für Inhaltsdateien nicht erlaubt" in error.message and error.filename == name


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_byte_identical_duplicate_entry_is_accepted_once():
    image = b"\x89PNG\r\n\x1a\nidentisch"
    data = quiz_package_builder().add_file("content/images/a.png", image).add_duplicate("content/images/a.png", image)

    info = inspect(data.build())

    assert info.content_files.count("content/images/a.png") == 1


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_conflicting_duplicate_entry_is_still_refused():
    data = (
        quiz_package_builder()
        .add_file("content/images/a.png", b"\x89PNG eins")
        .add_duplicate("content/images/a.png", b"\x89PNG zwei")
    )

    error = refuse(data.build(), pkg.DuplicateEntryError)

    assert "unterschiedlichem Inhalt" in error.message


def test_library_with_invalid_language_json_is_refused():
    name = f"{QUIZ_LIBRARY}/language/de.json"
    data = quiz_package_builder().add_file(name, '{"semantics": [ kaputt').build()

    error = refuse(data, pkg.InvalidLanguageError)

    assert error.filename == name and "Sprachdatei" in error.message


def test_library_with_valid_language_json_is_accepted():
    data = quiz_package_builder().add_json(f"{QUIZ_LIBRARY}/language/de.json", {"semantics": []}).build()

    inspect(data)


def _with_core_api(major: int, minor: int) -> bytes:
    library = json.loads((CONTENTTYPE_DIR / QUIZ_LIBRARY / "library.json").read_text())
    library["coreApi"] = {"majorVersion": major, "minorVersion": minor}
    return quiz_package_builder().add_json(f"{QUIZ_LIBRARY}/library.json", library).build()


def test_library_requiring_a_newer_core_api_is_refused():
    error = refuse(_with_core_api(1, pkg.SUPPORTED_CORE_API[1] + 1), pkg.CoreApiError)

    assert f"{pkg.SUPPORTED_CORE_API[0]}.{pkg.SUPPORTED_CORE_API[1]}" in error.message
    refuse(_with_core_api(2, 0), pkg.CoreApiError)


def test_library_requiring_a_supported_core_api_is_accepted():
    inspect(_with_core_api(*pkg.SUPPORTED_CORE_API))
