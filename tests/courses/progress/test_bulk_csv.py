"""Reading uploaded CSV files as Excel and LibreOffice write them; writing the report safely."""

import pytest

from courses.progress import bulk_csv
from courses.progress.bulk_csv import CsvFileError, normalise_ars, parse, write_report

HEADER = "E-Mail;Name;Regionalschlüssel;Rolle\r\n"
LINE = "jörg.weiß@garching.de;Jörg Weiß;091840119119;Lernende/r\r\n"


def test_semicolon_utf8_with_bom_as_excel_writes_csv_utf8():
    parsed = parse(("\ufeff" + HEADER + LINE).encode("utf-8"))
    assert parsed.encoding == "UTF-8"
    assert parsed.delimiter == ";"
    [line] = parsed.lines
    assert (line.number, line.email, line.full_name, line.ars, line.role) == (
        2,
        "jörg.weiß@garching.de",
        "Jörg Weiß",
        "091840119119",
        "Lernende/r",
    )


def test_windows_1252_as_excel_writes_plain_csv():
    parsed = parse((HEADER + LINE).encode("cp1252"))
    assert parsed.encoding == "Windows-1252"
    assert parsed.lines[0].full_name == "Jörg Weiß"


def test_utf8_without_bom_and_commas():
    parsed = parse(b'email,full name\nanna@example.org,"Schmidt, Anna"\n')
    assert parsed.encoding == "UTF-8"
    assert parsed.delimiter == ","
    assert parsed.lines[0].full_name == "Schmidt, Anna"


def test_utf16_unicode_text_with_tabs():
    parsed = parse("E-Mail\tName\r\nanna@example.org\tAnna Ölmann\r\n".encode("utf-16"))
    assert parsed.delimiter == "\t"
    assert parsed.lines[0].full_name == "Anna Ölmann"


def test_line_numbers_count_empty_lines_and_multiline_cells():
    content = HEADER + ";;;\r\n" + 'a@example.org;"Anna\r\nSchmidt";;\r\n' + "b@example.org;Ben;;\r\n"
    parsed = parse(content.encode())
    assert [(line.number, line.email) for line in parsed.lines] == [(3, "a@example.org"), (5, "b@example.org")]
    assert parsed.lines[0].full_name == "Anna Schmidt"


def test_first_and_last_name_columns_make_the_full_name():
    parsed = parse(b"Vorname;Nachname;E-Mail-Adresse\nAnna;Schmidt;anna@example.org\n")
    assert parsed.lines[0].full_name == "Anna Schmidt"
    assert parsed.lines[0].email == "anna@example.org"


def test_file_without_header_is_read_in_the_documented_column_order():
    parsed = parse(b"anna@example.org;Anna Schmidt\nben@example.org;Ben Meier\n")
    assert not parsed.has_header
    assert [line.number for line in parsed.lines] == [1, 2]


def test_non_breaking_spaces_and_control_characters_are_cleaned():
    parsed = parse("E-Mail;Name\n anna@example.org\u00a0;Anna\u00a0\x07Schmidt \n".encode())
    assert parsed.lines[0].email == "anna@example.org"
    assert parsed.lines[0].full_name == "Anna Schmidt"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Vorname;Ort\nAnna;Garching\n", "header"),
        (b"E-Mail;Name\n", "no_lines"),
        (b"E-Mail;Name\n" + b"a@example.org;\x81\x8d\x8f\n", "encoding"),
    ],
)
def test_unreadable_files_are_refused_with_a_german_reason(content, code):
    with pytest.raises(CsvFileError) as caught:
        parse(content)
    assert caught.value.kind == code and caught.value.code == f"progress.csv_{code}"
    assert caught.value.message


def test_too_many_lines_are_refused(monkeypatch):
    monkeypatch.setattr(bulk_csv, "MAX_LINES", 3)
    content = "E-Mail;Name\n" + "".join(f"p{n}@example.org;P {n}\n" for n in range(4))
    with pytest.raises(CsvFileError) as caught:
        parse(content.encode())
    assert caught.value.code == "progress.csv_too_many_lines"


def test_excel_dropped_leading_zero_of_the_ars_is_restored():
    assert normalise_ars("91840119119") == "091840119119"
    assert normalise_ars("0918 4011 9119") == "091840119119"
    assert normalise_ars("9,18401E+11") == "9,18401E+11"


def test_report_quotes_cells_excel_would_run_as_formulas():
    data = write_report([[2, '=HYPERLINK("http://evil")', "@SUM(A1)", "-1", "Anna"]], header=["Zeile", "E-Mail"])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == '2;"\'=HYPERLINK(""http://evil"")";\'@SUM(A1);\'-1;Anna'
