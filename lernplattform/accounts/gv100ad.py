"""Reader for the Destatis Gemeindeverzeichnis GV100AD (fixed-width text, as published).

Pure Python on purpose: no Django import, so the parser can be tested and reused alone.
``import_organisations`` turns the entries into ``Organisation`` rows.

The record layout (Datensatzbeschreibung GV100AD; positions are 1-based and inclusive,
counted in characters of the decoded text):

====  =========  ==========================================================
pos   length     field
====  =========  ==========================================================
1     2          Satzart: 10 Land, 20 Regierungsbezirk, 30 Region (only
                 Baden-Württemberg), 40 Kreis, 50 Gemeindeverband, 60 Gemeinde
3     8          Gebietsstand, JJJJMMTT
11    2          Land
13    1          Regierungsbezirk (Satzart 30: 13 RB, 14 Region)
14    2          Kreis
16    4          Gemeindeverband
20    3          Gemeinde
23    50         Name
73    50         Sitz der Verwaltung (Satzart 10-50; blank for 60)
123   2          Textkennzeichen (Satzart 40, 50, 60)
125   ...        area, population, postcode etc. (Satzart 60; not read here)
====  =========  ==========================================================

Key fields a record type does not use are blank (or zero); they count as zeros in the
12-digit Amtlicher Regionalschlüssel (ARS): Land 2, RB 1, Kreis 2, Gemeindeverband 4,
Gemeinde 3.

The published file is UTF-8 since 2021; older editions are Latin-1/Windows-1252. Both are
accepted, because administrations keep old editions around.

How records become organisations (``directory_entries``):

* A Region (Satzart 30) is a planning region, not an administration with staff, and has no
  place in the ARS; it is skipped.
* A Gemeindeverband record with Textkennzeichen 50 ("verbandsfreie Gemeinde") or the key
  0000 is a placeholder the directory needs for its own structure, not a body of its own;
  its Gemeinden hang directly below the Kreis.
* Gemeindefreie Gebiete (Textkennzeichen 65/66) have no administration, so nobody can work
  there; they are skipped.
* Where a lower record has the same ARS as a higher one (the Gemeinde of a kreisfreie
  Stadt, the Kreis and Gemeinde records of Berlin and Hamburg), it is the same body; the
  higher record stands.
* The parent is the nearest higher record present (Gemeindeverband, Kreis,
  Regierungsbezirk, Land), so a Kreis in a Land without Regierungsbezirke hangs below the
  Land.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum


class GV100ADError(ValueError):
    """A malformed line or an inconsistent directory; the message is German and names the line."""

    def __init__(self, message: str, *, line_number: int | None = None) -> None:
        self.line_number = line_number
        self.detail = message
        super().__init__(f"Zeile {line_number}: {message}" if line_number else message)


class RecordType(IntEnum):
    LAND = 10
    REGIERUNGSBEZIRK = 20
    REGION = 30
    KREIS = 40
    GEMEINDEVERBAND = 50
    GEMEINDE = 60


# Kind values are those of ``Organisation.Kind`` (kept as plain strings: no Django here).
KIND_LAND = "land"
KIND_REGIERUNGSBEZIRK = "regierungsbezirk"
KIND_KREIS = "kreis"
KIND_KREISFREIE_STADT = "kreisfreie_stadt"
KIND_GEMEINDEVERBAND = "gemeindeverband"
KIND_GEMEINDE = "gemeinde"

# Textkennzeichen -> (kind, official designation). Codes from the Datensatzbeschreibung.
TEXT_CODES: dict[int, tuple[str, str]] = {
    41: (KIND_KREISFREIE_STADT, "Kreisfreie Stadt"),
    42: (KIND_KREISFREIE_STADT, "Stadtkreis"),
    43: (KIND_KREIS, "Kreis"),
    44: (KIND_KREIS, "Landkreis"),
    45: (KIND_KREIS, "Regionalverband"),
    50: (KIND_GEMEINDEVERBAND, "Verbandsfreie Gemeinde"),
    51: (KIND_GEMEINDEVERBAND, "Amt"),
    52: (KIND_GEMEINDEVERBAND, "Samtgemeinde"),
    53: (KIND_GEMEINDEVERBAND, "Verbandsgemeinde"),
    54: (KIND_GEMEINDEVERBAND, "Verwaltungsgemeinschaft"),
    55: (KIND_GEMEINDEVERBAND, "Kirchspielslandgemeinde"),
    56: (KIND_GEMEINDEVERBAND, "Verwaltungsverband"),
    57: (KIND_GEMEINDEVERBAND, "Verwaltungsgemeinschaft (Trägermodell)"),
    58: (KIND_GEMEINDEVERBAND, "Erfüllende Gemeinde"),
    60: (KIND_GEMEINDE, "Markt"),
    61: (KIND_GEMEINDE, "Kreisfreie Stadt"),
    62: (KIND_GEMEINDE, "Stadtkreis"),
    63: (KIND_GEMEINDE, "Stadt"),
    64: (KIND_GEMEINDE, "Gemeinde"),
    65: (KIND_GEMEINDE, "Gemeindefreies Gebiet, bewohnt"),
    66: (KIND_GEMEINDE, "Gemeindefreies Gebiet, unbewohnt"),
    67: (KIND_GEMEINDE, "Große Kreisstadt"),
}
TEXT_CODES_BY_TYPE: dict[RecordType, range] = {
    RecordType.KREIS: range(41, 46),
    RecordType.GEMEINDEVERBAND: range(50, 59),
    RecordType.GEMEINDE: range(60, 68),
}
VERBANDSFREI = 50
GEMEINDEFREI = {65, 66}

DEFAULT_KIND: dict[RecordType, tuple[str, str]] = {
    RecordType.LAND: (KIND_LAND, "Land"),
    RecordType.REGIERUNGSBEZIRK: (KIND_REGIERUNGSBEZIRK, "Regierungsbezirk"),
    RecordType.REGION: ("region", "Region"),
    RecordType.KREIS: (KIND_KREIS, "Kreis"),
    RecordType.GEMEINDEVERBAND: (KIND_GEMEINDEVERBAND, "Gemeindeverband"),
    RecordType.GEMEINDE: (KIND_GEMEINDE, "Gemeinde"),
}

# Which key fields (start, length, German name) each record type must fill with digits.
_KEY_FIELDS: dict[str, tuple[int, int, str]] = {
    "land": (11, 2, "Land"),
    "rb": (13, 1, "Regierungsbezirk"),
    "region": (14, 1, "Region"),
    "kreis": (14, 2, "Kreis"),
    "verband": (16, 4, "Gemeindeverband"),
    "gemeinde": (20, 3, "Gemeinde"),
}
_REQUIRED_KEYS: dict[RecordType, tuple[str, ...]] = {
    RecordType.LAND: ("land",),
    RecordType.REGIERUNGSBEZIRK: ("land", "rb"),
    RecordType.REGION: ("land", "rb", "region"),
    RecordType.KREIS: ("land", "rb", "kreis"),
    RecordType.GEMEINDEVERBAND: ("land", "rb", "kreis", "verband"),
    RecordType.GEMEINDE: ("land", "rb", "kreis", "verband", "gemeinde"),
}
NAME_START, NAME_LENGTH = 23, 50
SEAT_START, SEAT_LENGTH = 73, 50
TEXT_CODE_START, TEXT_CODE_LENGTH = 123, 2
MIN_LINE_LENGTH = NAME_START - 1 + 1  # at least one character of the name


@dataclass(frozen=True)
class GV100Record:
    """One line of the directory, as written."""

    line_number: int
    record_type: RecordType
    as_of: datetime.date
    land: str
    rb: str
    kreis: str
    verband: str
    gemeinde: str
    name: str
    seat: str
    text_code: int | None

    @property
    def ars(self) -> str:
        """The 12-digit Amtlicher Regionalschlüssel; unused parts are zeros."""
        return f"{self.land}{self.rb}{self.kreis}{self.verband}{self.gemeinde}"

    @property
    def ags(self) -> str:
        """The 8-digit Amtlicher Gemeindeschlüssel (Land, RB, Kreis, Gemeinde)."""
        return f"{self.land}{self.rb}{self.kreis}{self.gemeinde}"

    @property
    def kind(self) -> str:
        return TEXT_CODES.get(self.text_code or 0, DEFAULT_KIND[self.record_type])[0]

    @property
    def kind_label(self) -> str:
        return TEXT_CODES.get(self.text_code or 0, DEFAULT_KIND[self.record_type])[1]

    def ancestor_candidates(self) -> list[str]:
        """The ARS of every possible parent, nearest first (Gemeindeverband, Kreis, RB, Land)."""
        ars = self.ars
        candidates = [ars[:9] + "000", ars[:5] + "0000000", ars[:3] + "000000000", ars[:2] + "0000000000"]
        depth = {
            RecordType.LAND: 4,
            RecordType.REGIERUNGSBEZIRK: 3,
            RecordType.REGION: 3,
            RecordType.KREIS: 2,
            RecordType.GEMEINDEVERBAND: 1,
            RecordType.GEMEINDE: 0,
        }[self.record_type]
        return [c for c in dict.fromkeys(candidates[depth:]) if c != ars]


@dataclass(frozen=True)
class DirectoryEntry:
    """One organisation the directory describes, with its parent resolved."""

    ars: str
    name: str
    kind: str
    kind_label: str
    parent_ars: str | None
    line_number: int
    as_of: datetime.date

    @property
    def ags(self) -> str:
        return self.ars[:5] + self.ars[9:]


def decode(data: bytes) -> str:
    """Decode the file as published: UTF-8 (with or without BOM), else Windows-1252/Latin-1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 leaves five byte values undefined; Latin-1 maps every byte. Names in
        # the directory use only characters that both agree on.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return text


def _field(line: str, start: int, length: int) -> str:
    return line[start - 1 : start - 1 + length]


def parse_line(line: str, *, line_number: int) -> GV100Record:
    """Parse one line; raise ``GV100ADError`` naming the line and the rule it breaks."""
    line = line.rstrip("\r\n")
    if len(line) < MIN_LINE_LENGTH:
        raise GV100ADError(
            f"Die Zeile ist zu kurz ({len(line)} Zeichen); ein Datensatz hat mindestens "
            f"{MIN_LINE_LENGTH} Zeichen (Satzart, Gebietsstand, Schlüssel und Name).",
            line_number=line_number,
        )
    raw_type = _field(line, 1, 2)
    try:
        record_type = RecordType(int(raw_type))
    except ValueError:
        raise GV100ADError(
            f"Unbekannte Satzart „{raw_type}“; erwartet wird 10, 20, 30, 40, 50 oder 60.",
            line_number=line_number,
        ) from None

    raw_date = _field(line, 3, 8)
    try:
        if not raw_date.isdigit():
            raise ValueError
        as_of = datetime.date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:8]))
    except ValueError:
        raise GV100ADError(
            f"Der Gebietsstand „{raw_date}“ ist kein gültiges Datum (JJJJMMTT, Stellen 3–10).",
            line_number=line_number,
        ) from None

    keys: dict[str, str] = {}
    required = _REQUIRED_KEYS[record_type]
    for key, (start, length, label) in _KEY_FIELDS.items():
        if record_type == RecordType.REGION and key == "kreis":
            continue  # positions 14-15 hold the Region digit and a blank here
        if record_type != RecordType.REGION and key == "region":
            continue
        value = _field(line, start, length)
        if key in required:
            if not (len(value) == length and value.isdigit()):
                where = f"Stelle {start}" if length == 1 else f"Stellen {start}–{start + length - 1}"
                rule = "eine Ziffer sein" if length == 1 else f"aus {length} Ziffern bestehen"
                raise GV100ADError(
                    f"Der Schlüsselteil {label} „{value}“ ({where}) muss {rule}.",
                    line_number=line_number,
                )
            keys[key] = value
        elif value.strip() in ("", "0" * length):
            keys[key] = "0" * length
        else:
            raise GV100ADError(
                f"Ein Datensatz der Satzart {record_type.value} darf den Schlüsselteil {label} "
                f"(Stellen {start}–{start + length - 1}) nicht füllen, gefunden „{value}“.",
                line_number=line_number,
            )
    if record_type == RecordType.REGION:
        # A Region has no place in the ARS; it is read (and later skipped) with Kreis 00.
        keys["kreis"] = "00"

    name = _field(line, NAME_START, NAME_LENGTH).strip()
    if not name:
        raise GV100ADError(
            f"Der Name (Stellen {NAME_START}–{NAME_START + NAME_LENGTH - 1}) ist leer.",
            line_number=line_number,
        )
    seat = _field(line, SEAT_START, SEAT_LENGTH).strip()

    text_code: int | None = None
    raw_code = _field(line, TEXT_CODE_START, TEXT_CODE_LENGTH).strip()
    if raw_code:
        allowed = TEXT_CODES_BY_TYPE.get(record_type)
        if not raw_code.isdigit() or allowed is None or int(raw_code) not in allowed:
            raise GV100ADError(
                f"Das Textkennzeichen „{raw_code}“ (Stellen 123–124) passt nicht zur Satzart {record_type.value}.",
                line_number=line_number,
            )
        text_code = int(raw_code)

    return GV100Record(
        line_number=line_number,
        record_type=record_type,
        as_of=as_of,
        land=keys["land"],
        rb=keys["rb"],
        kreis=keys["kreis"],
        verband=keys["verband"],
        gemeinde=keys["gemeinde"],
        name=name,
        seat=seat,
        text_code=text_code,
    )


def parse_records(lines: Iterable[str]) -> Iterator[GV100Record]:
    """Every record of the file; blank lines are ignored, the first bad line raises."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield parse_line(line, line_number=number)


def _is_organisation(record: GV100Record) -> bool:
    if record.record_type == RecordType.REGION:
        return False
    if record.record_type == RecordType.GEMEINDEVERBAND and (
        record.text_code == VERBANDSFREI or record.verband == "0000"
    ):
        return False
    return not (record.record_type == RecordType.GEMEINDE and record.text_code in GEMEINDEFREI)


def directory_entries(records: Iterable[GV100Record], *, known_ars: Iterable[str] = ()) -> list[DirectoryEntry]:
    """Turn records into organisations with resolved parents (rules in the module docstring).

    ``known_ars`` are organisations that exist already (e.g. in the database), so a file
    holding only part of the directory can still hang its records below them.
    """
    by_ars: dict[str, GV100Record] = {}
    for record in records:
        if not _is_organisation(record):
            continue
        earlier = by_ars.get(record.ars)
        if earlier is not None:
            if earlier.record_type == record.record_type:
                raise GV100ADError(
                    f"Der Regionalschlüssel {record.ars} kommt doppelt vor (schon in Zeile {earlier.line_number}).",
                    line_number=record.line_number,
                )
            if earlier.record_type > record.record_type:
                by_ars[record.ars] = record  # a higher level listed later still stands
            continue
        by_ars[record.ars] = record

    known = set(known_ars)
    entries = []
    for record in sorted(by_ars.values(), key=lambda r: r.line_number):
        parent_ars = None
        if record.record_type != RecordType.LAND:
            parent_ars = next(
                (c for c in record.ancestor_candidates() if c in by_ars or c in known),
                None,
            )
            if parent_ars is None:
                raise GV100ADError(
                    f"Zu „{record.name}“ ({record.ars}) fehlt die übergeordnete Einheit "
                    f"(Land {record.land} ist weder in der Datei noch schon angelegt).",
                    line_number=record.line_number,
                )
        entries.append(
            DirectoryEntry(
                ars=record.ars,
                name=record.name,
                kind=record.kind,
                kind_label=record.kind_label,
                parent_ars=parent_ars,
                line_number=record.line_number,
                as_of=record.as_of,
            )
        )
    return entries


def read_directory(data: bytes, *, known_ars: Iterable[str] = ()) -> list[DirectoryEntry]:
    """Decode, parse and resolve a whole GV100AD file; parents come before their children."""
    entries = directory_entries(parse_records(decode(data).splitlines()), known_ars=known_ars)
    depth = {KIND_LAND: 0, KIND_REGIERUNGSBEZIRK: 1, KIND_KREIS: 2, KIND_KREISFREIE_STADT: 2,
             KIND_GEMEINDEVERBAND: 3, KIND_GEMEINDE: 4}  # fmt: skip
    return sorted(entries, key=lambda e: (depth.get(e.kind, 5), e.ars))


__all__ = [
    "DirectoryEntry",
    "GV100ADError",
    "GV100Record",
    "RecordType",
    "decode",
    "directory_entries",
    "parse_line",
    "parse_records",
    "read_directory",
]
