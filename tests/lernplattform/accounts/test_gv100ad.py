"""The GV100AD reader: layout, encodings, hierarchy rules and German errors with line numbers.

Pure Python: runs with ``pytest -p no:django`` too.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from lernplattform.accounts.gv100ad import (
    GV100ADError,
    RecordType,
    decode,
    directory_entries,
    parse_line,
    parse_records,
    read_directory,
)

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "gv100ad_sample.txt"


def gv_line(satzart: int, key: str, name: str, seat: str = "", code: str = "", date: str = "20241231") -> str:
    """A line in the published layout: key digits from position 11, name from 23, code at 123."""
    return f"{satzart:02d}{date}{key:<12}{name:<50}{seat:<50}{code:<2}".ljust(220)


def by_ars(entries):
    return {entry.ars: entry for entry in entries}


class TestLayout:
    def test_gemeinde_line_yields_ars_ags_name_and_kind(self):
        record = parse_line(gv_line(60, "150855051365", "Wegeleben, Stadt", code="63"), line_number=7)
        assert record.record_type == RecordType.GEMEINDE
        assert record.ars == "150855051365"
        assert record.ags == "15085365"
        assert record.name == "Wegeleben, Stadt"
        assert record.kind == "gemeinde"
        assert record.kind_label == "Stadt"
        assert record.as_of == datetime.date(2024, 12, 31)
        assert record.line_number == 7

    def test_land_line_fills_unused_key_parts_with_zeros(self):
        record = parse_line(gv_line(10, "15", "Sachsen-Anhalt", "Magdeburg"), line_number=1)
        assert record.ars == "150000000000"
        assert record.kind == "land"
        assert record.seat == "Magdeburg"

    def test_kreis_text_codes_distinguish_landkreis_and_kreisfreie_stadt(self):
        landkreis = parse_line(gv_line(40, "15085", "Harz", code="44"), line_number=1)
        stadt = parse_line(gv_line(40, "15003", "Magdeburg", code="41"), line_number=2)
        stadtkreis = parse_line(gv_line(40, "08111", "Stuttgart", code="42"), line_number=3)
        assert (landkreis.kind, landkreis.kind_label) == ("kreis", "Landkreis")
        assert (stadt.kind, stadt.kind_label) == ("kreisfreie_stadt", "Kreisfreie Stadt")
        assert (stadtkreis.kind, stadtkreis.kind_label) == ("kreisfreie_stadt", "Stadtkreis")

    @pytest.mark.parametrize(
        ("code", "label"),
        [("51", "Amt"), ("52", "Samtgemeinde"), ("53", "Verbandsgemeinde"), ("54", "Verwaltungsgemeinschaft")],
    )
    def test_gemeindeverband_text_codes_give_official_designation(self, code, label):
        record = parse_line(gv_line(50, "150855051", "Vorharz", code=code), line_number=1)
        assert record.kind == "gemeindeverband"
        assert record.kind_label == label
        assert record.ars == "150855051000"

    def test_line_without_trailing_blanks_is_read(self):
        # Editors strip trailing blanks; the fields before them are still there.
        record = parse_line(gv_line(10, "09", "Bayern").rstrip(), line_number=1)
        assert record.name == "Bayern"
        assert record.text_code is None

    def test_blank_lines_are_skipped_and_line_numbers_stay_true(self):
        records = list(parse_records(["", gv_line(10, "09", "Bayern"), "   ", gv_line(10, "15", "Sachsen-Anhalt")]))
        assert [r.line_number for r in records] == [2, 4]


class TestEncoding:
    def test_utf8_with_bom_is_decoded(self):
        assert decode("\ufeffBaden-Württemberg".encode()) == "Baden-Württemberg"

    def test_latin1_edition_is_decoded(self):
        assert decode("Baden-Württemberg, Groß".encode("cp1252")) == "Baden-Württemberg, Groß"

    def test_cp1252_sample_reads_like_utf8_sample(self):
        data = SAMPLE.read_bytes()
        latin = data.decode("utf-8").encode("cp1252")
        assert read_directory(latin) == read_directory(data)


class TestMalformedLines:
    @pytest.mark.parametrize(
        ("line", "fragment"),
        [
            ("60", "zu kurz"),
            (gv_line(70, "15", "Nirgendwo"), "Unbekannte Satzart „70“"),
            (gv_line(10, "15", "Sachsen-Anhalt", date="20241331"), "Gebietsstand „20241331“"),
            (gv_line(40, "150x5", "Harz"), "Schlüsselteil Kreis „x5“ (Stellen 14–15) muss aus 2 Ziffern"),
            (gv_line(40, "15a85", "Harz"), "Regierungsbezirk „a“ (Stelle 13) muss eine Ziffer sein"),
            (gv_line(60, "1508550510", "Ditfurt"), "Schlüsselteil Gemeinde „0  “"),
            (gv_line(10, "15", "   "), "Name"),
            (gv_line(10, "15 85", "Sachsen-Anhalt"), "darf den Schlüsselteil Kreis"),
            (gv_line(40, "15085", "Harz", code="63"), "Textkennzeichen „63“"),
        ],
    )
    def test_bad_line_raises_german_error_with_line_number(self, line, fragment):
        lines = [gv_line(10, "15", "Sachsen-Anhalt"), gv_line(40, "15085", "Harz", code="44"), line]
        with pytest.raises(GV100ADError) as error:
            list(parse_records(lines))
        assert error.value.line_number == 3
        assert str(error.value).startswith("Zeile 3: ")
        assert fragment in str(error.value)

    def test_duplicate_key_names_both_lines(self):
        lines = [gv_line(10, "15", "Sachsen-Anhalt"), gv_line(10, "15", "Sachsen-Anhalt")]
        with pytest.raises(GV100ADError, match=r"^Zeile 2: .*150000000000 kommt doppelt vor \(schon in Zeile 1\)"):
            directory_entries(parse_records(lines))

    def test_missing_land_is_reported_at_the_orphan(self):
        lines = [gv_line(10, "09", "Bayern"), gv_line(40, "15085", "Harz", code="44")]
        with pytest.raises(GV100ADError, match=r"^Zeile 2: Zu „Harz“ .*fehlt die übergeordnete Einheit"):
            directory_entries(parse_records(lines))


class TestHierarchy:
    @pytest.fixture
    def entries(self):
        return by_ars(read_directory(SAMPLE.read_bytes()))

    def test_sample_file_is_read_whole(self, entries):
        assert len(entries) == 20

    def test_gemeinden_of_a_verbandsgemeinde_hang_below_it(self, entries):
        assert entries["150855051090"].parent_ars == "150855051000"
        assert entries["150855051365"].parent_ars == "150855051000"
        assert entries["150855051000"].parent_ars == "150850000000"
        assert entries["150855051000"].kind_label == "Verbandsgemeinde"

    def test_verbandsfreie_gemeinde_hangs_below_its_kreis_and_placeholder_is_skipped(self, entries):
        assert entries["150850135135"].parent_ars == "150850000000"
        assert "150850135000" not in entries

    def test_kreisfreie_stadt_is_one_organisation(self, entries):
        magdeburg = entries["150030000000"]
        assert magdeburg.kind == "kreisfreie_stadt"
        assert magdeburg.parent_ars == "150000000000"

    def test_kreis_hangs_below_its_regierungsbezirk_where_there_is_one(self, entries):
        assert entries["091620000000"].parent_ars == "091000000000"
        assert entries["091000000000"].parent_ars == "090000000000"
        assert entries["150850000000"].parent_ars == "150000000000"

    def test_city_state_collapses_into_the_land(self, entries):
        berlin = entries["110000000000"]
        assert berlin.kind == "land"
        assert berlin.parent_ars is None

    def test_region_and_gemeindefreies_gebiet_are_not_organisations(self, entries):
        assert all(e.kind != "region" for e in entries.values())
        assert "066339200200" not in entries

    def test_parents_come_before_children(self):
        entries = read_directory(SAMPLE.read_bytes())
        seen: set[str] = set()
        for entry in entries:
            assert entry.parent_ars is None or entry.parent_ars in seen
            seen.add(entry.ars)

    def test_partial_file_hangs_below_known_organisations(self):
        lines = [gv_line(60, "150855051090", "Ditfurt", code="64")]
        [entry] = directory_entries(parse_records(lines), known_ars={"150850000000", "150000000000"})
        assert entry.parent_ars == "150850000000"

    def test_higher_record_listed_after_lower_one_still_stands(self):
        lines = [
            gv_line(10, "15", "Sachsen-Anhalt"),
            gv_line(60, "150030000000", "Magdeburg", code="61"),
            gv_line(40, "15003", "Magdeburg", code="41"),
        ]
        entries = by_ars(directory_entries(parse_records(lines)))
        assert entries["150030000000"].kind == "kreisfreie_stadt"
