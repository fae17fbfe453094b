"""Reading the CSV files organisation admins upload for bulk enrolment, and writing the report.

An uploaded file is untrusted input: it is decoded, split and checked here before anything is
stored from it. We accept what Excel and LibreOffice write: `;` (German Excel) or `,` (or tab)
as separator, UTF-8 with or without byte order mark, UTF-16 with BOM ("Unicode-Text") and
Windows-1252 ("CSV (Trennzeichen-getrennt)"). Line numbers are those an admin sees in an
editor, the header being line 1.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 20_000

COLUMN_EMAIL = "email"
COLUMN_NAME = "full_name"
COLUMN_FIRST_NAME = "first_name"
COLUMN_LAST_NAME = "last_name"
COLUMN_ARS = "ars"
COLUMN_ROLE = "role"

# Header spellings, compared after lower-casing and dropping spaces, hyphens, underscores and dots.
HEADERS: dict[str, str] = {
    "email": COLUMN_EMAIL,
    "emailadresse": COLUMN_EMAIL,
    "emailaddress": COLUMN_EMAIL,
    "mail": COLUMN_EMAIL,
    "mailadresse": COLUMN_EMAIL,
    "name": COLUMN_NAME,
    "vollständigername": COLUMN_NAME,
    "vollername": COLUMN_NAME,
    "fullname": COLUMN_NAME,
    "vornamename": COLUMN_NAME,
    "vornameundname": COLUMN_NAME,
    "vorname": COLUMN_FIRST_NAME,
    "firstname": COLUMN_FIRST_NAME,
    "nachname": COLUMN_LAST_NAME,
    "familienname": COLUMN_LAST_NAME,
    "lastname": COLUMN_LAST_NAME,
    "ars": COLUMN_ARS,
    "regionalschlüssel": COLUMN_ARS,
    "amtlicherregionalschlüssel": COLUMN_ARS,
    "organisation": COLUMN_ARS,
    "organisationars": COLUMN_ARS,
    "arsderorganisation": COLUMN_ARS,
    "rolle": COLUMN_ROLE,
    "role": COLUMN_ROLE,
}
POSITIONAL = [COLUMN_EMAIL, COLUMN_NAME, COLUMN_ARS, COLUMN_ROLE]


class CsvFileError(ValidationFailed):
    """The file as a whole cannot be read; the message is German and names what to fix.

    ``kind`` is the rule (binary, encoding, header, ...); ``code`` is ``progress.csv_<kind>``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"progress.csv_{kind}", message)
        self.kind = kind


@dataclass(frozen=True)
class CsvLine:
    """One data line as the admin wrote it (cells trimmed)."""

    number: int
    email: str
    full_name: str
    ars: str
    role: str


@dataclass(frozen=True)
class CsvFile:
    encoding: str
    delimiter: str
    has_header: bool
    lines: list[CsvLine]


def decode(content: bytes) -> tuple[str, str]:
    """The text of an uploaded file and the encoding it was in."""
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError("binary", _("Die Datei ist keine Textdatei. Bitte laden Sie eine CSV-Datei hoch."))
    candidates: list[tuple[str, str]]
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8")]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, label in candidates:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, label
    raise CsvFileError(
        "encoding",
        _(
            "Die Zeichenkodierung der Datei ist unbekannt. Speichern Sie die Datei bitte als "
            "„CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“."
        ),
    )


def _header_key(cell: str) -> str:
    return re.sub(r"[\s\-_.:()/]", "", unicodedata.normalize("NFC", cell).strip().lower())


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _clean(cell: str) -> str:
    # Non-breaking and other odd spaces from copy and paste; control characters never belong in a cell.
    cell = "".join(" " if unicodedata.category(ch) in ("Zs", "Cc") else ch for ch in cell)
    return " ".join(cell.split())


def parse(content: bytes) -> CsvFile:
    """Decode and split an uploaded file into lines; raise CsvFileError when it cannot be read."""
    if not content.strip():
        raise CsvFileError("empty", _("Die Datei ist leer."))
    if len(content) > MAX_BYTES:
        raise CsvFileError(
            "too_large",
            _("Die Datei ist größer als %(mb)d MB. Bitte teilen Sie sie auf.") % {"mb": MAX_BYTES // (1024 * 1024)},
        )
    text, encoding = decode(content)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        rows = _numbered_rows(reader)
        header_number, header = next(rows, (0, []))
    except csv.Error as error:
        raise CsvFileError("syntax", _("Die Datei ist keine gültige CSV-Datei: %(error)s") % {"error": error}) from None
    columns = [HEADERS.get(_header_key(cell)) for cell in header]
    has_header = COLUMN_EMAIL in columns
    pending: list[tuple[int, list[str]]] = []
    if not has_header:
        if any("@" in cell for cell in header):
            columns = POSITIONAL[: max(len(header), 1)]
            pending.append((header_number, header))
        else:
            raise CsvFileError(
                "header",
                _(
                    "Die erste Zeile muss die Spaltenüberschriften enthalten, mindestens „E-Mail“ und „Name“ "
                    "(optional „Regionalschlüssel“ und „Rolle“)."
                ),
            )
    lines: list[CsvLine] = []
    try:
        for number, row in _chain(pending, rows):
            if not any(cell.strip() for cell in row):
                continue  # empty lines (Excel writes ";;;" for them) are not data
            if len(lines) >= MAX_LINES:
                raise CsvFileError(
                    "too_many_lines",
                    _("Die Datei hat mehr als %(max)d Zeilen. Bitte teilen Sie sie auf.") % {"max": MAX_LINES},
                )
            values: dict[str, str] = {}
            for column, cell in zip(columns, row, strict=False):
                if column and not values.get(column):
                    values[column] = _clean(cell)
            full_name = values.get(COLUMN_NAME, "")
            if not full_name:
                full_name = " ".join(p for p in (values.get(COLUMN_FIRST_NAME), values.get(COLUMN_LAST_NAME)) if p)
            lines.append(
                CsvLine(
                    number=number,
                    email=values.get(COLUMN_EMAIL, ""),
                    full_name=full_name,
                    ars=values.get(COLUMN_ARS, ""),
                    role=values.get(COLUMN_ROLE, ""),
                )
            )
    except csv.Error as error:
        raise CsvFileError("syntax", _("Die Datei ist keine gültige CSV-Datei: %(error)s") % {"error": error}) from None
    if not lines:
        raise CsvFileError("no_lines", _("Die Datei enthält keine Personen, nur die Kopfzeile."))
    return CsvFile(encoding=encoding, delimiter=delimiter, has_header=has_header, lines=lines)


def _numbered_rows(reader: Iterable[list[str]]):
    """Rows with the editor line number they start on (a quoted cell may span lines)."""
    last = 0
    for row in reader:
        yield last + 1, row
        last = reader.line_num  # type: ignore[attr-defined]


def _chain(first, rest):
    yield from first
    yield from rest


def normalise_ars(value: str) -> str:
    """An ARS as typed or as Excel mangled it: spaces removed, the leading zero Excel drops restored."""
    digits = value.replace(" ", "").replace(".", "")
    if len(digits) == 11 and digits.isdigit():
        digits = "0" + digits  # Schleswig-Holstein … Saarland start with 0; Excel strips it from numbers
    return digits


def safe_cell(value: object) -> str:
    """A cell for a spreadsheet: text that Excel would run as a formula is quoted (CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def write_report(rows: Iterable[Iterable[object]], *, header: Iterable[str]) -> bytes:
    """A report as German Excel opens it by double click: UTF-8 with BOM, `;` between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
