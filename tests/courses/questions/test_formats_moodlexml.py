"""Moodle XML reading and writing (pure Python)."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from courses.questions.formats import FormatError, read_gift, read_moodle_xml, write_moodle_xml
from courses.questions.formats.ir import (
    CategoryInfo,
    ClozeKind,
    ClozeLayout,
    FormattedText,
    QuestionType,
    TextFormat,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return read_moodle_xml((DATA / "moodle_export.xml").read_bytes())


@pytest.fixture(scope="module")
def by_name(parsed):
    return {q.name: q for q in parsed.questions}


def test_supported_questions_are_read_and_unsupported_listed(parsed):
    assert len(parsed.questions) == 10
    assert [(u.qtype, u.name, u.line) for u in parsed.unsupported] == [
        ("calculatedmulti", "Bußgeld berechnen", 406),
        ("ddimageortext", "Begriffe ziehen", 434),
    ]
    assert parsed.unsupported[1].label == "Drag-and-Drop auf Bild"


def test_category_paths_drop_context_and_top(parsed, by_name):
    assert by_name["Rechtsgrundlage"].category_path == ["Standard für Verwaltungsrecht", "Datenschutz"]
    assert parsed.categories[0].info.text == "<p>Fragen zur DSGVO</p>"
    assert parsed.categories[1].path[-1] == "Berechnungen"


def test_multichoice_fields(by_name):
    q = by_name["Rechtsgrundlage"]
    assert q.qtype is QuestionType.MULTICHOICE
    assert q.default_mark == 2
    assert q.penalty == Decimal("0.3333333")
    assert q.idnumber == "DS-01"
    assert q.tags == ["DSGVO", "Rechtsgrundlage"]
    assert q.show_standard_instruction is False
    assert q.correct_feedback.text == "Die Antwort ist richtig."
    assert q.show_num_correct is True
    assert [a.fraction for a in q.answers] == [1, 0, 0]
    assert q.answers[1].feedback.text == "<p>Gilt nicht für Behörden in Erfüllung ihrer Aufgaben.</p>"
    assert len(q.hints) == 2
    assert q.hints[1].clear_wrong and q.hints[1].show_num_correct
    assert q.source_line == 15


def test_multi_answer_fractions_and_hidden(by_name):
    q = by_name["Betroffenenrechte"]
    assert q.single is False
    assert q.hidden is True
    assert q.answer_numbering == "123"
    assert [a.fraction for a in q.answers] == [Decimal("0.3333333")] * 3 + [-1]


def test_truefalse(by_name):
    q = by_name["Einwilligung widerrufbar"]
    assert [(a.text, a.fraction) for a in q.answers] == [("true", 1), ("false", 0)]
    assert q.text.format is TextFormat.MOODLE


def test_shortanswer_usecase_and_wildcard(by_name):
    q = by_name["Abkürzung DSGVO"]
    assert q.case_sensitive is True
    assert q.answers[0].text == "Datenschutzbeauftragte*"


def test_numerical_with_units(by_name):
    q = by_name["Meldefrist"]
    assert [(a.text, a.tolerance) for a in q.answers] == [("72", 0), ("*", 0)]
    assert [(u.name, u.multiplier) for u in q.units] == [("h", 1), ("d", Decimal("0.0416667"))]
    assert q.unit_grading_type == 1
    assert q.unit_penalty == Decimal("0.1")
    assert q.show_units == 0
    assert q.unit_instructions.text == "<p>Antwort als Zahl mit Einheit, z. B. 24 h.</p>"


def test_matching_with_distractor(by_name):
    q = by_name["Grundsätze"]
    assert [p.answer for p in q.match_pairs] == [
        "Datenminimierung",
        "Zweckbindung",
        "Speicherbegrenzung",
        "Transparenzregister",
    ]
    assert q.match_pairs[3].question.text == ""


def test_ordering_items_in_order(by_name):
    q = by_name["Ablauf Auskunftsersuchen"]
    assert [a.text for a in q.answers] == ["Identität prüfen", "Daten zusammenstellen", "Auskunft erteilen"]
    assert q.grading_type == "RELATIVE_NEXT_EXCLUDE_LAST"
    assert q.numbering_style == "123"


def test_cloze_parts(by_name):
    q = by_name["Lückentext DSGVO"]
    assert q.text.text.startswith("<p>Die DSGVO gilt seit {#1} in der ganzen {#2}.")
    kinds = [(p.kind, p.weight) for p in q.cloze_parts]
    assert kinds == [
        (ClozeKind.NUMERICAL, 1),
        (ClozeKind.MULTICHOICE, 2),
        (ClozeKind.SHORTANSWER, 1),
        (ClozeKind.MULTICHOICE, 2),
        (ClozeKind.SHORTANSWER, 1),
    ]
    assert q.default_mark == 7
    numerical = q.cloze_parts[0]
    assert [(a.text, a.tolerance, a.fraction) for a in numerical.answers] == [
        ("2018", 0, 1),
        ("2018", 1, Decimal("0.5")),
    ]
    assert q.cloze_parts[1].answers[1].feedback.text == "Nein, EU-weit"
    multi = q.cloze_parts[3]
    assert multi.single is False and multi.layout is ClozeLayout.VERTICAL
    # Moodle: positive weights share 1, unweighted wrong answers cancel one right one.
    assert [a.fraction for a in multi.answers] == [Decimal("0.5"), Decimal("0.5"), Decimal("-0.5")]
    assert q.cloze_parts[4].case_sensitive is True
    assert q.cloze_parts[4].answers[0].text == "DSGVO } mit Klammer"


def test_essay_fields(by_name):
    q = by_name["Datenpanne beschreiben"]
    assert q.response_field_lines == 10
    assert q.min_word_limit == 50
    assert q.max_word_limit is None
    assert q.grader_info.text.startswith("<p>Meldung binnen 72 Stunden")
    assert q.default_mark == 5


# Types with a fixture of their own (and their own round-trip test there).
TYPE_FIXTURES = (
    "moodle_multichoiceset.xml",
    "moodle_gapselect.xml",
    "moodle_calculated.xml",
    "moodle_ddwtos.xml",
    "moodle_randomsamatch.xml",
)


def test_export_then_import_is_identical_for_every_type(parsed):
    types = {q.qtype for q in parsed.questions}
    for name in TYPE_FIXTURES:
        types |= {q.qtype for q in read_moodle_xml((DATA / name).read_bytes()).questions}
    assert types == set(QuestionType)
    exported = write_moodle_xml(parsed.questions, parsed.categories).content
    again = read_moodle_xml(exported)
    assert again.questions == parsed.questions
    assert again.categories[: len(parsed.categories)] == parsed.categories or {
        tuple(c.path) for c in again.categories
    } == {tuple(c.path) for c in parsed.categories}


def test_export_escapes_cdata_end_marker(parsed):
    question = copy.deepcopy(parsed.questions[0])
    question.text.text = "<p>a]]>b</p>"
    again = read_moodle_xml(write_moodle_xml([question]).content)
    assert again.questions[0].text.text == "<p>a]]>b</p>"


def test_gift_constructs_survive_our_moodle_xml_export():
    gift = read_gift((DATA / "all_constructs.gift").read_text(encoding="utf-8"))
    again = read_moodle_xml(write_moodle_xml(gift.questions).content)
    assert again.questions == gift.questions


def test_malformed_xml_is_refused_with_line_number():
    content = b'<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n    <name><text>x</text></nam>\n'
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(content)
    assert exc.value.line == 4


def test_invalid_value_is_refused_with_the_questions_line():
    content = (
        (DATA / "moodle_export.xml")
        .read_text(encoding="utf-8")
        .replace(
            '<answer fraction="33.33333" format="html">\n      <text>Berichtigung',
            '<answer fraction="viel" format="html">\n      <text>Berichtigung',
        )
    )
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(content)
    assert exc.value.line is not None and 90 < exc.value.line < 110
    assert "fraction" in exc.value.message


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">]>\n<quiz>&a;</quiz>',
        '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.invalid/x.dtd">\n<quiz/>',
    ],
)
def test_dtd_and_entities_are_refused(content):
    with pytest.raises(FormatError) as exc:
        read_moodle_xml(content)
    assert "Sicherheitsgründen" in exc.value.message


def test_root_must_be_quiz():
    with pytest.raises(FormatError) as exc:
        read_moodle_xml("<fragen/>")
    assert exc.value.line == 1


@pytest.fixture(scope="module")
def defaults():
    return read_moodle_xml((DATA / "moodle_defaults.xml").read_bytes())


@pytest.fixture(scope="module")
def sparse(defaults):
    return {q.name: q for q in defaults.questions}


def test_missing_feedback_formats_follow_the_question_text_format(sparse):
    q = sparse["Schwellenwert & Bauleistungen"]
    assert q.text.format is TextFormat.MARKDOWN
    assert q.general_feedback == FormattedText("Die Werte ändern sich alle zwei Jahre.", TextFormat.MARKDOWN)
    assert q.correct_feedback == FormattedText("Richtig.", TextFormat.MARKDOWN)
    assert q.incorrect_feedback == FormattedText("", TextFormat.MARKDOWN)
    assert [(a.format, a.feedback) for a in q.answers] == [
        (TextFormat.MARKDOWN, FormattedText("Genau.", TextFormat.MARKDOWN)),
        (TextFormat.MARKDOWN, FormattedText("", TextFormat.MARKDOWN)),
    ]
    assert q.hints[0].text.format is TextFormat.MARKDOWN
    assert sparse["Einheiten ohne Anzeige"].answers[0].feedback.format is TextFormat.HTML
    essay = sparse["Vergabevermerk"]
    assert essay.grader_info == FormattedText("Stufen des Verfahrens, Begründungen.", TextFormat.PLAIN)
    assert essay.response_template == FormattedText("", TextFormat.PLAIN)
    assert essay.general_feedback == FormattedText("", TextFormat.PLAIN)


def test_missing_elements_take_the_defaults_of_moodles_importer(sparse):
    choice = sparse["Schwellenwert & Bauleistungen"]
    assert choice.shuffle_answers is False  # multichoice: <shuffleanswers> missing means false
    assert choice.penalty == Decimal("0.3333333")  # 0.33 from an old file, as Moodle fixes it
    assert (choice.default_mark, choice.answer_numbering, choice.show_standard_instruction) == (1, "abc", True)
    matching = sparse["Verfahrensarten"]
    assert matching.shuffle_answers is True  # matching: Moodle's default is 1
    assert matching.penalty == Decimal("0.3333333")
    numerical = sparse["Einheiten ohne Anzeige"]
    assert numerical.show_units == 0  # units defined, <showunits> missing: optional
    assert numerical.unit_instructions == FormattedText("", TextFormat.HTML)
    essay = sparse["Vergabevermerk"]
    assert (essay.response_format, essay.response_field_lines, essay.response_required) == ("editor", 15, True)


def test_names_lose_their_markup_and_a_cloze_without_name_is_named_after_its_text(sparse):
    assert "Schwellenwert & Bauleistungen" in sparse
    assert "Öffentliche Aufträge unterhalb der Schwellenwerte regelt die {#1}." in sparse


def test_old_image_elements_are_reported_like_embedded_files(defaults):
    assert any("„Einheiten ohne Anzeige“" in w and "<image>" in w for w in defaults.warnings)
    assert "<image>" not in sparse_text(defaults)


def sparse_text(parsed):
    return " ".join(q.text.text for q in parsed.questions)


def test_category_id_numbers_and_info_formats_are_kept(defaults):
    assert defaults.categories == [
        CategoryInfo(path=["Standard für Vergaberecht"], info=FormattedText("", TextFormat.MOODLE), idnumber=""),
        CategoryInfo(
            path=["Standard für Vergaberecht", "Schwellenwerte"],
            info=FormattedText("Fragen zu **EU-Schwellenwerten**", TextFormat.MARKDOWN),
            idnumber="VG-SW",
        ),
    ]
    again = read_moodle_xml(write_moodle_xml(defaults.questions, defaults.categories).content)
    assert again.categories == defaults.categories
    assert again.questions == defaults.questions


def test_an_unknown_text_format_is_read_as_html_like_moodle():
    content = (DATA / "moodle_defaults.xml").read_text(encoding="utf-8")
    content = content.replace('<questiontext format="plain_text">', '<questiontext format="rich">')
    essay = next(q for q in read_moodle_xml(content).questions if q.name == "Vergabevermerk")
    assert essay.text.format is TextFormat.HTML
