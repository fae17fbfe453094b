"""Build real ``.h5p`` packages in memory from our own content type's source.

Used by the tests (good and deliberately hostile packages) and by the demo data.
Our content type lives as plain source in ``courses/h5p/contenttype/`` - one
folder per library, named ``<machineName>-<major>.<minor>`` as in a package.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTENTTYPE_DIR = Path(__file__).resolve().parent / "contenttype"
QUIZ_LIBRARY = "H5P.LernplattformQuiz-1.0"
STYLE_LIBRARY = "H5P.LernplattformStyle-1.0"

DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "q1",
        "text": "Was schützt ein Passwort am besten?",
        "answers": [
            {"text": "Es ist lang und wird nur für einen Dienst verwendet.", "correct": True},
            {"text": "Es enthält den Namen der Gemeinde.", "correct": False},
            {"text": "Es steht auf einem Zettel am Bildschirm.", "correct": False},
        ],
    },
    {
        "id": "q2",
        "text": "Eine unerwartete E-Mail fordert zur Passworteingabe auf. Was tun Sie?",
        "answers": [
            {"text": "Sofort den Link öffnen und das Passwort eingeben.", "correct": False},
            {"text": "Die E-Mail an die IT-Sicherheit melden.", "correct": True},
        ],
    },
]


def quiz_content(
    *,
    questions: list[dict[str, Any]] | None = None,
    intro: str = "Beantworten Sie die folgenden Fragen.",
    pass_percentage: int = 50,
) -> dict[str, Any]:
    return {
        "intro": intro,
        "questions": questions if questions is not None else DEFAULT_QUESTIONS,
        "passPercentage": pass_percentage,
    }


def quiz_h5p_json(*, title: str = "Sicher im Netz", language: str = "de") -> dict[str, Any]:
    return {
        "title": title,
        "language": language,
        "mainLibrary": "H5P.LernplattformQuiz",
        "embedTypes": ["div", "iframe"],
        "license": "CC BY-SA",
        "licenseVersion": "4.0",
        "authors": [{"name": "Team Lernplattform", "role": "Author"}],
        "preloadedDependencies": [
            {"machineName": "H5P.LernplattformQuiz", "majorVersion": 1, "minorVersion": 0},
            {"machineName": "H5P.LernplattformStyle", "majorVersion": 1, "minorVersion": 0},
        ],
    }


@dataclass
class _Entry:
    name: str
    data: bytes
    mode: int | None = None  # st_mode to store in the external attributes
    compress: int = zipfile.ZIP_DEFLATED


@dataclass
class H5PPackageBuilder:
    """Collects entries and writes a zip; every setter returns ``self`` for chaining."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    extra: list[_Entry] = field(default_factory=list)  # duplicates and other oddities

    def add_file(
        self,
        name: str,
        data: bytes | str,
        *,
        mode: int | None = None,
        compress: int = zipfile.ZIP_DEFLATED,
    ) -> H5PPackageBuilder:
        raw = data.encode() if isinstance(data, str) else data
        self.entries[name] = _Entry(name, raw, mode, compress)
        return self

    def add_duplicate(self, name: str, data: bytes | str) -> H5PPackageBuilder:
        raw = data.encode() if isinstance(data, str) else data
        self.extra.append(_Entry(name, raw))
        return self

    def add_symlink(self, name: str, target: str) -> H5PPackageBuilder:
        return self.add_file(name, target, mode=stat.S_IFLNK | 0o777)

    def add_json(self, name: str, value: Any) -> H5PPackageBuilder:
        return self.add_file(name, json.dumps(value, ensure_ascii=False, indent=2))

    def remove(self, name: str) -> H5PPackageBuilder:
        self.entries.pop(name, None)
        return self

    def h5p_json(self, value: dict[str, Any]) -> H5PPackageBuilder:
        return self.add_json("h5p.json", value)

    def content_json(self, value: dict[str, Any]) -> H5PPackageBuilder:
        return self.add_json("content/content.json", value)

    def add_library_dir(self, source: Path, *, folder: str | None = None) -> H5PPackageBuilder:
        """Add a library from a directory (by default one of ours in contenttype/)."""
        folder = folder or source.name
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.add_file(f"{folder}/{path.relative_to(source).as_posix()}", path.read_bytes())
        return self

    def add_library(self, folder: str) -> H5PPackageBuilder:
        return self.add_library_dir(CONTENTTYPE_DIR / folder)

    def build(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for entry in [*self.entries.values(), *self.extra]:
                info = zipfile.ZipInfo(entry.name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = entry.compress
                mode = entry.mode if entry.mode is not None else (stat.S_IFREG | 0o644)
                info.create_system = 3  # Unix, so that st_mode in external_attr counts
                info.external_attr = (mode & 0xFFFF) << 16
                zf.writestr(info, entry.data)
        return buffer.getvalue()


def quiz_package_builder(
    *,
    title: str = "Sicher im Netz",
    questions: list[dict[str, Any]] | None = None,
    pass_percentage: int = 50,
    with_libraries: bool = True,
) -> H5PPackageBuilder:
    """A builder preloaded with a complete, valid package of our quiz content type."""
    builder = (
        H5PPackageBuilder()
        .h5p_json(quiz_h5p_json(title=title))
        .content_json(quiz_content(questions=questions, pass_percentage=pass_percentage))
    )
    if with_libraries:
        builder.add_library(QUIZ_LIBRARY).add_library(STYLE_LIBRARY)
    return builder


def build_quiz_package(**kwargs: Any) -> bytes:
    return quiz_package_builder(**kwargs).build()
