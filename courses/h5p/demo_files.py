"""The demo's H5P activities as files, built into real ``.h5p`` packages without touching the database.

Layout (see docs/demo-content.md for trainers)::

    content/demo/<NN>-<course>/<name>.h5p.md
        front matter: the activity page (title, slug, passing_threshold, score_policy, required),
                      ``package`` (what h5p.json says: file, title, main_library, language,
                      license, license_version, authors) and ``content`` (content/content.json);
        body:         the page's introduction in Markdown

The main library and what it preloads come from our own content types in
``courses/h5p/contenttype/`` (real content types arrive only inside uploaded packages).
``content`` is checked against the main library's semantics.json, then the package is built as
a zip exactly as the H5P editor would export it and checked by the upload's own validator
(:func:`courses.h5p.package.inspect_package`); any problem raises ``DemoContentError`` naming the
file and the field.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from courses.catalog.demo_files import (
    H5P_SUFFIX,
    DemoContentError,
    default_root,
    markdown_to_html,
    split_front_matter,
)

from . import package as pkg
from .builder import CONTENTTYPE_DIR, H5PPackageBuilder
from .semantics import SemanticsError, check_content

ACTIVITY_REQUIRED: dict[str, Any] = {"title": str, "slug": str, "package": dict, "content": dict}
ACTIVITY_OPTIONAL: dict[str, Any] = {"passing_threshold": int, "score_policy": str, "required": bool}
PACKAGE_REQUIRED: dict[str, Any] = {"file": str, "title": str, "main_library": str}
PACKAGE_OPTIONAL: dict[str, Any] = {"language": str, "license": str, "license_version": str, "authors": list}
# The words a trainer writes and the ScorePolicy values they stand for.
SCORE_POLICIES = {"bestes_ergebnis": "best", "letztes_ergebnis": "latest"}


@dataclass
class DemoPackage:
    """One activity file, read and built: the page's fields and the package's bytes."""

    path: Path
    course_slug: str
    title: str
    slug: str
    intro: str
    passing_threshold: int | None
    score_policy: str | None
    required: bool | None
    filename: str
    h5p_json: dict[str, Any]
    content: dict[str, Any]
    data: bytes


def _check(path: Path, data: dict[str, Any], required: dict[str, Any], optional: dict[str, Any], where: str) -> None:
    for name, kind in [*required.items(), *optional.items()]:
        field = f"{where}{name}"
        if name not in data:
            if name in optional:
                continue
            raise DemoContentError(path, _("Das Feld „%(field)s“ fehlt.") % {"field": field}, line=1)
        value = data[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise DemoContentError(path, _("Das Feld „%(field)s“ hat einen falschen Typ.") % {"field": field}, line=1)
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise DemoContentError(
            path,
            _("Unbekannte Felder: %(fields)s") % {"fields": ", ".join(f"{where}{name}" for name in unknown)},
            line=1,
        )


def _library_ref(path: Path, text: str, field: str) -> pkg.LibraryRef:
    name, _space, version = text.strip().rpartition(" ")
    major, _dot, minor = version.partition(".")
    if not name or not major.isdigit() or not minor.isdigit():
        raise DemoContentError(
            path,
            _("Das Feld „%(field)s“ nennt Bibliothek und Version, z. B. „H5P.LernplattformQuiz 1.0“.")
            % {"field": field},
            line=1,
        )
    return pkg.LibraryRef(name, int(major), int(minor))


def _library_json(ref: pkg.LibraryRef) -> dict[str, Any] | None:
    folder = CONTENTTYPE_DIR / ref.folder_name
    if not (folder / "library.json").is_file():
        return None
    return json.loads((folder / "library.json").read_text(encoding="utf-8"))


def _dependencies(path: Path, main: pkg.LibraryRef) -> list[pkg.LibraryRef]:
    """The main library and everything it preloads, as h5p.json's preloadedDependencies lists them."""
    order: list[pkg.LibraryRef] = []
    todo = [main]
    while todo:
        ref = todo.pop(0)
        if ref in order:
            continue
        metadata = _library_json(ref)
        if metadata is None:
            raise DemoContentError(
                path,
                _(
                    "Das Feld „package.main_library“: Die Bibliothek %(library)s gibt es nicht unter "
                    "courses/h5p/contenttype/ (vorhanden: %(known)s)."
                )
                % {"library": ref, "known": ", ".join(sorted(p.name for p in CONTENTTYPE_DIR.iterdir() if p.is_dir()))},
                line=1,
            )
        order.append(ref)
        for dep in metadata.get("preloadedDependencies", []) or []:
            todo.append(pkg.LibraryRef(dep["machineName"], int(dep["majorVersion"]), int(dep["minorVersion"])))
    return order


def _semantics(ref: pkg.LibraryRef) -> list[Any]:
    source = CONTENTTYPE_DIR / ref.folder_name / "semantics.json"
    return json.loads(source.read_text(encoding="utf-8")) if source.is_file() else []


def build_h5p_json(package: dict[str, Any], dependencies: list[pkg.LibraryRef]) -> dict[str, Any]:
    """h5p.json as the H5P editor writes it for the package's fields."""
    data: dict[str, Any] = {
        "title": " ".join(package["title"].split()),
        "language": package.get("language", "de"),
        "mainLibrary": dependencies[0].machine_name,
        "embedTypes": ["div", "iframe"],
        "license": package.get("license", "U"),
    }
    if package.get("license_version"):
        data["licenseVersion"] = package["license_version"]
    if package.get("authors"):
        data["authors"] = package["authors"]
    data["preloadedDependencies"] = [
        {"machineName": ref.machine_name, "majorVersion": ref.major, "minorVersion": ref.minor} for ref in dependencies
    ]
    return data


def build_package(h5p_json: dict[str, Any], content: dict[str, Any], dependencies: list[pkg.LibraryRef]) -> bytes:
    builder = H5PPackageBuilder().h5p_json(h5p_json).content_json(content)
    for ref in dependencies:
        builder.add_library(ref.folder_name)
    return builder.build()


def load_activity(path: Path, *, course_slug: str) -> DemoPackage:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DemoContentError(path, _("Die Datei ist nicht in UTF-8 gespeichert.")) from None
    data, body, _first = split_front_matter(path, text)
    _check(path, data, ACTIVITY_REQUIRED, ACTIVITY_OPTIONAL, "")
    package = data["package"]
    _check(path, package, PACKAGE_REQUIRED, PACKAGE_OPTIONAL, "package.")
    filename = package["file"].strip()
    if not filename.endswith(".h5p") or "/" in filename or "\\" in filename:
        raise DemoContentError(
            path, _("Das Feld „package.file“ ist ein Dateiname, der auf .h5p endet (ohne Ordner)."), line=1
        )
    authors = package.get("authors", [])
    if not all(isinstance(a, dict) and isinstance(a.get("name"), str) for a in authors):
        raise DemoContentError(
            path, _("Das Feld „package.authors“ ist eine Liste mit „name“ (und „role“) je Person."), line=1
        )
    threshold = data.get("passing_threshold")
    if threshold is not None and not 0 <= threshold <= 100:
        raise DemoContentError(path, _("Das Feld „passing_threshold“ liegt zwischen 0 und 100."), line=1)
    policy = data.get("score_policy")
    if policy is not None and policy not in SCORE_POLICIES:
        raise DemoContentError(
            path,
            _("„score_policy: %(value)s“ ist nicht erlaubt (erlaubt: bestes_ergebnis, letztes_ergebnis).")
            % {"value": policy},
            line=1,
        )

    main = _library_ref(path, package["main_library"], "package.main_library")
    dependencies = _dependencies(path, main)
    main_json = _library_json(main) or {}
    if not main_json.get("runnable"):
        raise DemoContentError(
            path,
            _("Das Feld „package.main_library“: %(library)s ist kein eigenständiger Inhaltstyp (runnable).")
            % {"library": main},
            line=1,
        )
    try:
        check_content(_semantics(main), data["content"])
    except SemanticsError as error:
        raise DemoContentError(
            path, _("Das Feld „%(field)s“: %(message)s") % {"field": error.field, "message": error.message}, line=1
        ) from None

    h5p_json = build_h5p_json(package, dependencies)
    built = build_package(h5p_json, data["content"], dependencies)
    try:
        # The upload's own validator, with nothing installed: the package must carry what it needs.
        pkg.inspect_package(io.BytesIO(built), installed=set(), package_name=filename)
    except pkg.H5PPackageError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise DemoContentError(
            path,
            _("Das daraus gebaute Paket wird abgelehnt%(where)s: %(message)s")
            % {"where": where, "message": error.message},
        ) from None
    return DemoPackage(
        path=path,
        course_slug=course_slug,
        title=" ".join(data["title"].split()),
        slug=data["slug"],
        intro=markdown_to_html(body) if body.strip() else "",
        passing_threshold=threshold,
        score_policy=SCORE_POLICIES[policy] if policy is not None else None,
        required=data.get("required"),
        filename=filename,
        h5p_json=h5p_json,
        content=data["content"],
        data=built,
    )


def load_activities(root: Path | None = None) -> list[DemoPackage]:
    """Every ``*.h5p.md`` of every course folder, read, checked and built; slugs unique per course."""
    root = root or default_root()
    found: list[DemoPackage] = []
    for folder in sorted(root.iterdir()):
        course_file = folder / "course.md"
        if not folder.is_dir() or not course_file.exists():
            continue
        course, _body, _first = split_front_matter(course_file, course_file.read_text(encoding="utf-8"))
        slug = course.get("slug")
        course_slug = slug if isinstance(slug, str) else folder.name
        seen: dict[str, Path] = {}
        for path in sorted(folder.glob(f"*{H5P_SUFFIX}")):
            item = load_activity(path, course_slug=course_slug)
            if item.slug in seen:
                raise DemoContentError(
                    path,
                    _("Der slug „%(slug)s“ steht schon in %(other)s.")
                    % {"slug": item.slug, "other": seen[item.slug].name},
                    line=1,
                )
            seen[item.slug] = path
            found.append(item)
    return found
