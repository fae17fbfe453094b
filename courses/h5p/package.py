"""Inspection and safe extraction of uploaded ``.h5p`` packages.

An ``.h5p`` file is a zip archive made by someone we do not know. Everything here
runs *before* anything is stored: the central directory is checked first (paths,
links, sizes, counts, compression ratio), then the few JSON files are read with a
size cap, and only then may :func:`extract_package` write files - while it writes
it counts again, because the sizes in a zip's directory are claims, not facts.

Plain Python apart from Django's gettext (the messages are translatable) and the platform's
error family, so that the management command, the admin upload and the tests share exactly
one set of rules.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed

# H5P core's default whitelists (H5PCore::$defaultContentWhitelist and
# $defaultLibraryWhitelistExtras in h5p-php-library). As core 1.27 does, content files may
# no longer be "svg" or "xml" (scriptable formats); libraries keep them for their own icons.
# We also drop "swf": Flash is dead and an active format we never want to serve.
CONTENT_EXTENSIONS: frozenset[str] = frozenset(
    (
        "json png jpg jpeg gif bmp tif tiff eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav"
        " txt pdf rtf doc docx xls xlsx ppt pptx odt ods odp csv diff patch md textile"
        " vtt webvtt gltf glb"
    ).split()
)
LIBRARY_EXTENSIONS: frozenset[str] = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}

# The newest H5P core API (library.json "coreApi") the bundled player provides.
SUPPORTED_CORE_API: tuple[int, int] = (1, 27)

# Same patterns H5P core uses for h5p.json / library.json.
MACHINE_NAME_RE = re.compile(r"^[\w\-.]{1,255}$")
LANGUAGE_RE = re.compile(r"^[-a-zA-Z]{1,10}$")
DRIVE_RE = re.compile(r"^[A-Za-z]:")
EMBED_TYPES = {"div", "iframe"}
DEPENDENCY_KINDS = ("preloadedDependencies", "dynamicDependencies")

CONTENT_DIR = "content"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class PackageLimits:
    """Upper bounds for one package; the defaults fit real H5P content with video."""

    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_files: int = 3000
    # Per entry: unpacked / compressed. Text compresses ~5-20x, JSON full of
    # repeated keys rarely beyond 60x; zip bombs reach 1000x and more.
    max_ratio: float = 100.0
    # Tiny files may show absurd ratios (a 10 kB run of spaces) without harm.
    ratio_min_bytes: int = 1024 * 1024
    max_json_bytes: int = 16 * 1024 * 1024
    # Wall-clock cap for extraction; a bomb that slips through is stopped here.
    max_extract_seconds: float = 60.0


DEFAULT_LIMITS = PackageLimits()


# --------------------------------------------------------------------------- errors


class H5PPackageError(ValidationFailed):
    """A package broke a rule. ``message`` is German and names file and rule; code ``h5p.package_<rule>``."""

    rule = "invalid"

    def __init__(self, message: str, *, filename: str | None = None) -> None:
        super().__init__(f"h5p.package_{self.rule}", message, extra={"file": filename} if filename else None)
        self.filename = filename
        self.package_name: str | None = None

    def __str__(self) -> str:
        if self.package_name:
            return f"{self.package_name}: {self.message}"
        return self.message


class NotAZipError(H5PPackageError):
    rule = "not_zip"


class CorruptArchiveError(H5PPackageError):
    rule = "corrupt"


class UnsafePathError(H5PPackageError):
    rule = "unsafe_path"


class PathTraversalError(UnsafePathError):
    rule = "path_traversal"


class AbsolutePathError(UnsafePathError):
    rule = "absolute_path"


class LinkNotAllowedError(H5PPackageError):
    rule = "link"


class EncryptedEntryError(H5PPackageError):
    rule = "encrypted"


class DuplicateEntryError(H5PPackageError):
    rule = "duplicate"


class InvalidLanguageError(H5PPackageError):
    rule = "invalid_language"


class CoreApiError(H5PPackageError):
    rule = "core_api"


class ForbiddenExtensionError(H5PPackageError):
    rule = "forbidden_extension"


class TooManyFilesError(H5PPackageError):
    rule = "too_many_files"


class TooLargeError(H5PPackageError):
    rule = "too_large"


class CompressionRatioError(H5PPackageError):
    rule = "compression_ratio"


class MissingFileError(H5PPackageError):
    rule = "missing_file"


class InvalidJSONError(H5PPackageError):
    rule = "invalid_json"


class InvalidMetadataError(H5PPackageError):
    rule = "invalid_metadata"


class InvalidLibraryError(H5PPackageError):
    rule = "invalid_library"


class MissingLibraryError(H5PPackageError):
    rule = "missing_library"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, order=True)
class LibraryRef:
    """A dependency: machine name plus major.minor (patch never matters for lookup)."""

    machine_name: str
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass(frozen=True)
class LibraryInfo:
    machine_name: str
    major: int
    minor: int
    patch: int
    title: str
    runnable: bool
    folder: str  # folder name inside the package
    data: dict[str, Any]  # the parsed library.json
    files: tuple[str, ...]  # archive names below the folder, directories excluded
    dependencies: tuple[LibraryRef, ...]

    @property
    def ref(self) -> LibraryRef:
        return LibraryRef(self.machine_name, self.major, self.minor)

    @property
    def version(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True)
class PackageInfo:
    title: str
    main_library: str
    main_library_ref: LibraryRef
    language: str
    license: str
    license_version: str
    authors: tuple[dict[str, str], ...]
    embed_types: tuple[str, ...]
    h5p_json: dict[str, Any]
    content_json: dict[str, Any]
    dependencies: tuple[LibraryRef, ...]
    libraries: tuple[LibraryInfo, ...]
    content_files: tuple[str, ...]  # archive names below content/, directories excluded
    file_count: int
    unpacked_bytes: int
    warnings: list[str] = field(default_factory=list)


InstalledLibraries = Callable[[LibraryRef], bool] | Collection[LibraryRef] | None


# --------------------------------------------------------------------------- inspection


def _q(name: str) -> str:
    return _("„%(name)s“") % {"name": name}


def _is_ignored(name: str) -> bool:
    """macOS/Windows clutter and dot files: H5P core skips them, so do we (not extracted)."""
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts) or parts[-1] in {
        "Thumbs.db",
        "desktop.ini",
    }


def _check_path(info: zipfile.ZipInfo) -> None:
    # zipfile already turns "\" into "/" in ZipInfo.filename on Windows-made archives
    # only when the archive says so; ``orig_filename`` keeps what the archive holds.
    raw = info.orig_filename
    name = info.filename
    if "\x00" in raw:
        raise UnsafePathError(
            _("%(file)s: Dateinamen mit Nullzeichen sind nicht erlaubt.") % {"file": _q(raw)}, filename=raw
        )
    if "\\" in raw:
        raise UnsafePathError(
            _("%(file)s: Rückwärtsschrägstriche (\\) in Pfaden sind nicht erlaubt.") % {"file": _q(raw)}, filename=raw
        )
    if DRIVE_RE.match(raw) or DRIVE_RE.match(name):
        raise AbsolutePathError(
            _("%(file)s: Laufwerksbuchstaben in Pfaden sind nicht erlaubt (absoluter Pfad).") % {"file": _q(raw)},
            filename=raw,
        )
    if raw.startswith("/") or name.startswith("/"):
        raise AbsolutePathError(
            _("%(file)s: Absolute Pfade sind nicht erlaubt; alle Dateien müssen im Paket liegen.") % {"file": _q(raw)},
            filename=raw,
        )
    parts = raw.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise PathTraversalError(
            _("%(file)s: Der Pfad verlässt das Paket („..“ ist nicht erlaubt).") % {"file": _q(raw)}, filename=raw
        )
    if any(part in {"", "."} for part in parts):
        raise UnsafePathError(
            _("%(file)s: Leere Pfadteile oder „.“ sind nicht erlaubt.") % {"file": _q(raw)}, filename=raw
        )


def _check_entry_type(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    # Only archives made on Unix (create_system 3) carry a meaningful st_mode. Other
    # systems cannot express links in a zip, but a crafted archive can still set the
    # bits - so we look at them whenever they are non-zero.
    if mode:
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            raise LinkNotAllowedError(
                _("%(file)s: Symbolische Links sind im Paket nicht erlaubt.") % {"file": _q(info.filename)},
                filename=info.filename,
            )
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise LinkNotAllowedError(
                _("%(file)s: Nur normale Dateien und Ordner sind erlaubt (keine Geräte, Pipes oder Links).")
                % {"file": _q(info.filename)},
                filename=info.filename,
            )
    if info.flag_bits & 0x1:
        raise EncryptedEntryError(
            _("%(file)s: Verschlüsselte Dateien können nicht geprüft werden und sind nicht erlaubt.")
            % {"file": _q(info.filename)},
            filename=info.filename,
        )


def _check_extension(name: str) -> None:
    top = name.split("/", 1)[0]
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if name == "h5p.json":
        return
    if top == CONTENT_DIR or "/" not in name:
        allowed, where = CONTENT_EXTENSIONS, _("Inhaltsdateien")
    else:
        allowed, where = LIBRARY_EXTENSIONS, _("Bibliotheksdateien")
    if suffix not in allowed:
        shown = f".{suffix}" if suffix else _("ohne Endung")
        raise ForbiddenExtensionError(
            _(
                "%(file)s: Der Dateityp %(type)s ist für %(where)s nicht erlaubt "
                "(nur die Dateitypen, die H5P selbst zulässt)."
            )
            % {"file": _q(name), "type": shown, "where": where},
            filename=name,
        )


def _read_json(zf: zipfile.ZipFile, name: str, limits: PackageLimits) -> Any:
    info = zf.getinfo(name)
    if info.file_size > limits.max_json_bytes:
        raise TooLargeError(
            _("%(file)s: Die Datei ist größer als erlaubt (%(mb)s MB).")
            % {"file": _q(name), "mb": limits.max_json_bytes // (1024 * 1024)},
            filename=name,
        )
    try:
        with zf.open(info) as fh:
            raw = fh.read(limits.max_json_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise CorruptArchiveError(
            _("%(file)s: Die Datei lässt sich nicht entpacken (%(error)s).") % {"file": _q(name), "error": exc},
            filename=name,
        ) from exc
    if len(raw) > limits.max_json_bytes:
        raise TooLargeError(
            _("%(file)s: Die Datei ist größer als im Archiv angegeben.") % {"file": _q(name)}, filename=name
        )
    try:
        text = raw.decode("utf-8-sig")
        return json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidJSONError(
            _("%(file)s: Die Datei ist kein gültiges JSON (%(error)s).") % {"file": _q(name), "error": exc},
            filename=name,
        ) from exc


def _int_field(data: dict[str, Any], key: str, *, name: str, error: type[H5PPackageError]) -> int:
    value = data.get(key)
    # bool is an int subclass; "1" strings are what sloppy exporters write.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise error(
            _("%(file)s: „%(key)s“ fehlt oder ist keine ganze Zahl.") % {"file": _q(name), "key": key}, filename=name
        )
    try:
        number = int(value)
    except ValueError as exc:
        raise error(
            _("%(file)s: „%(key)s“ ist keine ganze Zahl.") % {"file": _q(name), "key": key}, filename=name
        ) from exc
    if number < 0:
        raise error(_("%(file)s: „%(key)s“ darf nicht negativ sein.") % {"file": _q(name), "key": key}, filename=name)
    return number


def _dependencies(data: dict[str, Any], key: str, *, name: str, error: type[H5PPackageError]) -> list[LibraryRef]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise error(_("%(file)s: „%(key)s“ muss eine Liste sein.") % {"file": _q(name), "key": key}, filename=name)
    refs = []
    for item in value:
        if not isinstance(item, dict):
            raise error(
                _("%(file)s: Einträge in „%(key)s“ müssen Objekte sein.") % {"file": _q(name), "key": key},
                filename=name,
            )
        machine = item.get("machineName")
        if not isinstance(machine, str) or not MACHINE_NAME_RE.match(machine):
            raise error(
                _("%(file)s: „%(key)s“ enthält einen ungültigen „machineName“.") % {"file": _q(name), "key": key},
                filename=name,
            )
        refs.append(
            LibraryRef(
                machine,
                _int_field(item, "majorVersion", name=name, error=error),
                _int_field(item, "minorVersion", name=name, error=error),
            )
        )
    return refs


def _parse_h5p_json(data: Any) -> dict[str, Any]:
    name = "h5p.json"
    err = InvalidMetadataError
    if not isinstance(data, dict):
        raise err(_("%(file)s: Die Datei muss ein JSON-Objekt enthalten.") % {"file": _q(name)}, filename=name)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 255:
        raise err(
            _("%(file)s: „title“ fehlt oder ist ungültig (1 bis 255 Zeichen).") % {"file": _q(name)}, filename=name
        )
    main = data.get("mainLibrary")
    if not isinstance(main, str) or not MACHINE_NAME_RE.match(main):
        raise err(_("%(file)s: „mainLibrary“ fehlt oder ist ungültig.") % {"file": _q(name)}, filename=name)
    language = data.get("language")
    if not isinstance(language, str) or not LANGUAGE_RE.match(language):
        raise err(
            _("%(file)s: „language“ fehlt oder ist kein Sprachkürzel (z. B. „de“).") % {"file": _q(name)},
            filename=name,
        )
    if "preloadedDependencies" not in data:
        raise err(f"{_q(name)}: „preloadedDependencies“ fehlt.", filename=name)
    deps = _dependencies(data, "preloadedDependencies", name=name, error=err)
    main_refs = [ref for ref in deps if ref.machine_name == main]
    if not main_refs:
        raise err(
            _("%(file)s: Die Hauptbibliothek „%(library)s“ steht nicht in „preloadedDependencies“.")
            % {"file": _q(name), "library": main},
            filename=name,
        )
    embed = data.get("embedTypes", ["div", "iframe"])
    if not isinstance(embed, list) or not embed or not set(embed) <= EMBED_TYPES:
        raise err(
            _("%(file)s: „embedTypes“ darf nur „div“ und „iframe“ enthalten.") % {"file": _q(name)}, filename=name
        )
    authors = data.get("authors", [])
    if not isinstance(authors, list) or not all(
        isinstance(a, dict) and isinstance(a.get("name", ""), str) for a in authors
    ):
        raise err(_("%(file)s: „authors“ muss eine Liste von Personen sein.") % {"file": _q(name)}, filename=name)
    for key in ("license", "licenseVersion"):
        if key in data and not isinstance(data[key], str):
            raise err(_("%(file)s: „%(key)s“ muss ein Text sein.") % {"file": _q(name), "key": key}, filename=name)
    return {
        "title": title.strip(),
        "main": main,
        "main_ref": main_refs[0],
        "language": language,
        "deps": deps,
        "embed": tuple(embed),
        "authors": tuple({"name": str(a.get("name", "")), "role": str(a.get("role", ""))} for a in authors),
        "license": data.get("license", "") or "",
        "license_version": data.get("licenseVersion", "") or "",
    }


def _check_core_api(data: dict[str, Any], *, name: str) -> None:
    core_api = data.get("coreApi")
    if core_api is None:
        return
    if not isinstance(core_api, dict):
        raise InvalidLibraryError(_("%(file)s: „coreApi“ muss ein Objekt sein.") % {"file": _q(name)}, filename=name)
    major = _int_field(core_api, "majorVersion", name=name, error=InvalidLibraryError)
    minor = _int_field(core_api, "minorVersion", name=name, error=InvalidLibraryError)
    if (major, minor) > SUPPORTED_CORE_API:
        supported = f"{SUPPORTED_CORE_API[0]}.{SUPPORTED_CORE_API[1]}"
        raise CoreApiError(
            _(
                "%(file)s: Die Bibliothek benötigt H5P-Core %(major)s.%(minor)s; "
                "die Plattform unterstützt höchstens H5P-Core %(supported)s."
            )
            % {"file": _q(name), "major": major, "minor": minor, "supported": supported},
            filename=name,
        )


def _parse_library(
    zf: zipfile.ZipFile, folder: str, files: list[str], names: set[str], limits: PackageLimits
) -> LibraryInfo:
    name = f"{folder}/library.json"
    err = InvalidLibraryError
    if name not in names:
        raise MissingFileError(
            _("%(file)s: Der Bibliotheksordner %(folder)s enthält keine library.json.")
            % {"file": _q(name), "folder": _q(folder)},
            filename=name,
        )
    data = _read_json(zf, name, limits)
    if not isinstance(data, dict):
        raise err(_("%(file)s: Die Datei muss ein JSON-Objekt enthalten.") % {"file": _q(name)}, filename=name)
    machine = data.get("machineName")
    if not isinstance(machine, str) or not MACHINE_NAME_RE.match(machine):
        raise err(_("%(file)s: „machineName“ fehlt oder ist ungültig.") % {"file": _q(name)}, filename=name)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise err(f"{_q(name)}: „title“ fehlt.", filename=name)
    major = _int_field(data, "majorVersion", name=name, error=err)
    minor = _int_field(data, "minorVersion", name=name, error=err)
    patch = _int_field(data, "patchVersion", name=name, error=err)
    runnable = data.get("runnable", 0)
    if runnable not in (0, 1, True, False):
        raise err(f"{_q(name)}: „runnable“ muss 0 oder 1 sein.", filename=name)
    if folder not in {machine, f"{machine}-{major}.{minor}"}:
        raise err(
            _("%(file)s: Der Ordnername %(folder)s passt nicht zu „%(machine)s-%(major)s.%(minor)s“.")
            % {"file": _q(name), "folder": _q(folder), "machine": machine, "major": major, "minor": minor},
            filename=name,
        )
    for key in ("preloadedJs", "preloadedCss"):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            raise err(_("%(file)s: „%(key)s“ muss eine Liste sein.") % {"file": _q(name), "key": key}, filename=name)
        for entry in entries:
            path = entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(path, str) or f"{folder}/{path}" not in names:
                raise MissingFileError(
                    f"{_q(name)}: Die in „{key}“ genannte Datei {_q(str(path))} fehlt im Paket.",
                    filename=name,
                )
    _check_core_api(data, name=name)
    for path in files:
        if PurePosixPath(path).parent.as_posix() == f"{folder}/language" and path.lower().endswith(".json"):
            try:
                translation = _read_json(zf, path, limits)
            except InvalidJSONError as exc:
                raise InvalidLanguageError(
                    _("%(file)s: Die Sprachdatei der Bibliothek ist kein gültiges JSON.") % {"file": _q(path)},
                    filename=path,
                ) from exc
            if not isinstance(translation, dict):
                raise InvalidLanguageError(
                    _("%(file)s: Die Sprachdatei der Bibliothek muss ein JSON-Objekt enthalten.") % {"file": _q(path)},
                    filename=path,
                )
    deps: list[LibraryRef] = []
    for kind in DEPENDENCY_KINDS:
        deps.extend(_dependencies(data, kind, name=name, error=err))
    return LibraryInfo(
        machine_name=machine,
        major=major,
        minor=minor,
        patch=patch,
        title=title.strip(),
        runnable=bool(runnable),
        folder=folder,
        data=data,
        files=tuple(files),
        dependencies=tuple(deps),
    )


def _installed_check(installed: InstalledLibraries) -> Callable[[LibraryRef], bool]:
    if installed is None:
        return lambda ref: False
    if callable(installed):
        return installed
    known = set(installed)
    return lambda ref: ref in known


def _open_zip(source: IO[bytes] | str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise NotAZipError(
            _("Die Datei ist kein gültiges ZIP-Archiv; ein H5P-Paket muss eine ZIP-Datei sein."),
        ) from exc
    except OSError as exc:
        raise NotAZipError(_("Die Datei lässt sich nicht als ZIP-Archiv lesen (%(error)s).") % {"error": exc}) from exc


def _same_bytes(zf: zipfile.ZipFile, first: zipfile.ZipInfo, second: zipfile.ZipInfo) -> bool:
    if (first.file_size, first.CRC) != (second.file_size, second.CRC):
        return False
    try:
        with zf.open(first) as a, zf.open(second) as b:
            while True:
                chunk = a.read(CHUNK)
                if chunk != b.read(CHUNK):
                    return False
                if not chunk:
                    return True
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise CorruptArchiveError(
            _("%(file)s: Die Datei lässt sich nicht entpacken (%(error)s).")
            % {"file": _q(second.filename), "error": exc},
            filename=second.filename,
        ) from exc


def _check_directory(
    infos: list[zipfile.ZipInfo], limits: PackageLimits, zf: zipfile.ZipFile | None = None
) -> tuple[list[zipfile.ZipInfo], int]:
    """Checks that need only the central directory; returns the entries to keep.

    The same name twice is accepted only when both entries are byte-identical (H5P core simply
    overwrites; the result is the same); differing content or names differing only in case are refused.
    """
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.max_files:
        raise TooManyFilesError(
            _("Das Paket enthält %(count)s Dateien; erlaubt sind höchstens %(max)s.")
            % {"count": len(files), "max": limits.max_files},
        )
    seen: dict[str, zipfile.ZipInfo] = {}
    total = 0
    kept = []
    for info in infos:
        _check_path(info)
        _check_entry_type(info)
        key = info.filename.rstrip("/").casefold()
        if key in seen:
            earlier = seen[key]
            if earlier.filename == info.filename and (
                info.is_dir() or (zf is not None and not earlier.is_dir() and _same_bytes(zf, earlier, info))
            ):
                continue
            raise DuplicateEntryError(
                _("%(file)s: Die Datei kommt im Paket mehrfach mit unterschiedlichem Inhalt vor.")
                % {"file": _q(info.filename)},
                filename=info.filename,
            )
        seen[key] = info
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise TooLargeError(
                _("%(file)s: Entpackt wäre das Paket größer als erlaubt (%(mb)s MB).")
                % {"file": _q(info.filename), "mb": limits.max_unpacked_bytes // (1024 * 1024)},
                filename=info.filename,
            )
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise CompressionRatioError(
                _(
                    "%(file)s: Die Datei ist verdächtig stark komprimiert (mehr als %(ratio)s-fach; "
                    "Verdacht auf ZIP-Bombe)."
                )
                % {"file": _q(info.filename), "ratio": f"{limits.max_ratio:g}"},
                filename=info.filename,
            )
        if _is_ignored(info.filename):
            continue
        _check_extension(info.filename)
        kept.append(info)
    return kept, total


def inspect_package(
    source: IO[bytes] | str | Path,
    *,
    installed: InstalledLibraries = None,
    limits: PackageLimits = DEFAULT_LIMITS,
    package_name: str | None = None,
) -> PackageInfo:
    """Validate a package without writing anything; raise ``H5PPackageError`` on the first fault.

    ``installed`` tells which libraries the platform already has: a collection of
    :class:`LibraryRef` or a callable taking one.
    """
    try:
        with _open_zip(source) as zf:
            return _inspect(zf, installed=installed, limits=limits)
    except H5PPackageError as exc:
        exc.package_name = package_name
        raise


def _inspect(zf: zipfile.ZipFile, *, installed: InstalledLibraries, limits: PackageLimits) -> PackageInfo:
    kept, total = _check_directory(zf.infolist(), limits, zf)
    names = {i.filename for i in kept}
    if "h5p.json" not in names:
        raise MissingFileError(
            _("„h5p.json“: Die Pflichtdatei fehlt im Hauptordner des Pakets (kein H5P-Paket oder falsch gepackt)."),
            filename="h5p.json",
        )
    h5p_json = _read_json(zf, "h5p.json", limits)
    meta = _parse_h5p_json(h5p_json)
    content_name = f"{CONTENT_DIR}/content.json"
    if content_name not in names:
        raise MissingFileError(
            _("%(file)s: Die Pflichtdatei mit dem Inhalt fehlt.") % {"file": _q(content_name)}, filename=content_name
        )
    content = _read_json(zf, content_name, limits)
    if not isinstance(content, dict):
        raise InvalidJSONError(
            _("%(file)s: Die Datei muss ein JSON-Objekt enthalten.") % {"file": _q(content_name)},
            filename=content_name,
        )

    by_folder: dict[str, list[str]] = {}
    content_files: list[str] = []
    for name in sorted(names):
        if "/" not in name:
            continue  # h5p.json and harmless root files (already extension-checked)
        top = name.split("/", 1)[0]
        if top == CONTENT_DIR:
            content_files.append(name)
        else:
            by_folder.setdefault(top, []).append(name)
    libraries = [_parse_library(zf, folder, files, names, limits) for folder, files in sorted(by_folder.items())]
    in_package: dict[LibraryRef, LibraryInfo] = {}
    for lib in libraries:
        if lib.ref in in_package:
            raise DuplicateEntryError(
                _("%(file)s: Die Bibliothek %(library)s liegt mehrfach im Paket.")
                % {"file": _q(lib.folder + "/library.json"), "library": lib.ref},
                filename=f"{lib.folder}/library.json",
            )
        in_package[lib.ref] = lib

    is_installed = _installed_check(installed)
    needs: list[tuple[LibraryRef, str]] = [(ref, "h5p.json") for ref in meta["deps"]]
    for lib in libraries:
        needs.extend((ref, f"{lib.folder}/library.json") for ref in lib.dependencies)
    for ref, wanted_by in needs:
        if ref not in in_package and not is_installed(ref):
            raise MissingLibraryError(
                _(
                    "%(file)s: Die benötigte Bibliothek „%(library)s“ fehlt im Paket "
                    "und ist auf der Plattform nicht installiert."
                )
                % {"file": _q(wanted_by), "library": ref},
                filename=wanted_by,
            )

    return PackageInfo(
        title=meta["title"],
        main_library=meta["main"],
        main_library_ref=meta["main_ref"],
        language=meta["language"],
        license=meta["license"],
        license_version=meta["license_version"],
        authors=meta["authors"],
        embed_types=meta["embed"],
        h5p_json=h5p_json,
        content_json=content,
        dependencies=tuple(meta["deps"]),
        libraries=tuple(libraries),
        content_files=tuple(content_files),
        file_count=len(kept),
        unpacked_bytes=total,
    )


# --------------------------------------------------------------------------- extraction


@dataclass
class _Budget:
    limits: PackageLimits
    started: float = field(default_factory=time.monotonic)
    written: int = 0
    files: int = 0

    def add_file(self, name: str) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise TooManyFilesError(
                _("%(file)s: Beim Entpacken wurden mehr als %(max)s Dateien erreicht.")
                % {"file": _q(name), "max": self.limits.max_files},
                filename=name,
            )

    def add_bytes(self, name: str, count: int) -> None:
        self.written += count
        if self.written > self.limits.max_unpacked_bytes:
            raise TooLargeError(
                _(
                    "%(file)s: Beim Entpacken wurde die erlaubte Größe (%(mb)s MB) überschritten; "
                    "Verdacht auf ZIP-Bombe."
                )
                % {"file": _q(name), "mb": self.limits.max_unpacked_bytes // (1024 * 1024)},
                filename=name,
            )
        if time.monotonic() - self.started > self.limits.max_extract_seconds:
            raise TooLargeError(
                _("%(file)s: Das Entpacken dauert zu lange; Verdacht auf ZIP-Bombe.") % {"file": _q(name)},
                filename=name,
            )


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget) -> None:
    budget.add_file(info.filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with zf.open(info) as src, open(target, "xb") as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                # The directory entry said file_size; more than that is a lie.
                if written > info.file_size:
                    raise CompressionRatioError(
                        _("%(file)s: Die Datei ist größer als im Archiv angegeben (Verdacht auf ZIP-Bombe).")
                        % {"file": _q(info.filename)},
                        filename=info.filename,
                    )
                budget.add_bytes(info.filename, len(chunk))
                dst.write(chunk)
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        raise CorruptArchiveError(
            _("%(file)s: Die Datei ist beschädigt und lässt sich nicht entpacken (%(error)s).")
            % {"file": _q(info.filename), "error": exc},
            filename=info.filename,
        ) from exc


def _safe_target(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        # _check_path makes this unreachable; kept as the last line of defence.
        raise PathTraversalError(
            _("%(file)s: Der Pfad verlässt das Zielverzeichnis.") % {"file": _q(relative)}, filename=relative
        )
    return target


def iter_members(info: PackageInfo) -> Iterator[tuple[str, str]]:
    """(archive name, kind) for everything extract_package may write."""
    for name in info.content_files:
        yield name, "content"
    for lib in info.libraries:
        for name in lib.files:
            yield name, lib.folder


def extract_package(
    source: IO[bytes] | str | Path,
    info: PackageInfo,
    *,
    content_dir: Path,
    library_dirs: dict[str, Path],
    limits: PackageLimits = DEFAULT_LIMITS,
) -> None:
    """Write the content files and the chosen libraries of an inspected package.

    ``content_dir`` receives what lies below ``content/``; ``library_dirs`` maps a
    library folder name of the package to the directory it is written to (folders
    left out are not extracted - the platform already has them). All targets must
    not exist yet: the caller extracts into a fresh staging area and moves it into
    place, and removes it if this raises.
    """
    budget = _Budget(limits)
    try:
        with _open_zip(source) as zf:
            for name in info.content_files:
                relative = name.split("/", 1)[1]
                _copy_member(zf, zf.getinfo(name), _safe_target(content_dir, relative), budget)
            for lib in info.libraries:
                root = library_dirs.get(lib.folder)
                if root is None:
                    continue
                for name in lib.files:
                    relative = name.split("/", 1)[1]
                    _copy_member(zf, zf.getinfo(name), _safe_target(root, relative), budget)
    except BaseException:
        for path in [content_dir, *library_dirs.values()]:
            shutil.rmtree(path, ignore_errors=True)
        raise


def library_refs(libraries: Iterable[LibraryInfo]) -> set[LibraryRef]:
    return {lib.ref for lib in libraries}
