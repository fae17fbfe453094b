"""GIFT reading and writing with Moodle's semantics (pure Python)."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from courses.questions.formats import FormatError, read_gift, write_gift
from courses.questions.formats.ir import QuestionType, TextFormat

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parsed():
    return read_gift((DATA / "all_constructs.gift").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_name(parsed):
    return {q.name: q for q in parsed.questions}


def test_every_question_of_the_sample_is_read(parsed):
    assert len(parsed.questions) == 18
    assert parsed.unsupported == []


def test_category_applies_to_following_questions(by_name):
    assert by_name["Hauptstadt"].category_path == ["Kommunalrecht", "Grundlagen"]
    assert by_name["HTML-Frage"].category_path == ["Kommunalrecht", "Formate"]


def test_multichoice_with_feedback_and_general_feedback(by_name):
    q = by_name["Hauptstadt"]
    assert q.qtype is QuestionType.MULTICHOICE
    assert q.single is True
    assert [(a.text, a.fraction) for a in q.answers] == [
        ("Berlin", 1),
        ("Bonn", 0),
        ("Frankfurt am Main", 0),
    ]
    assert q.answers[0].feedback.text == "Richtig, seit der Wiedervereinigung."
    assert q.answers[2].feedback.text == ""
    assert q.general_feedback.text == "Berlin ist Hauptstadt, Bonn trägt den Titel Bundesstadt."
    assert q.text.format is TextFormat.MOODLE
    assert q.source_line == 7


def test_missing_word_puts_blank_into_text(parsed):
    q = next(q for q in parsed.questions if q.text.text.startswith("Die Gemeindeverwaltung"))
    assert q.text.text == "Die Gemeindeverwaltung wird von der _____ geleitet."
    assert q.qtype is QuestionType.MULTICHOICE
    assert [a.text for a in q.answers if a.fraction == 1] == ["Bürgermeisterin"]
    # Without a title Moodle names the question after its text.
    assert q.name == "Die Gemeindeverwaltung wird von der _____ geleitet."


def test_truefalse_short_form(by_name):
    q = by_name["Grundgesetz"]
    assert q.qtype is QuestionType.TRUEFALSE
    assert [(a.text, a.fraction) for a in q.answers] == [("true", 1), ("false", 0)]
    assert q.penalty == 1
    assert by_name["Wahr lang"].answers[0].fraction == 1


def test_truefalse_feedback_order_is_wrong_then_right(by_name):
    q = by_name["Bundesrat"]
    true_answer, false_answer = q.answers
    assert false_answer.fraction == 1
    assert true_answer.feedback.text == "Leider falsch: die Landesregierungen entsenden sie."
    assert false_answer.feedback.text == "Richtig: sie werden von den Landesregierungen entsandt."


def test_shortanswer_weights(by_name):
    q = by_name["Abkürzung"]
    assert q.qtype is QuestionType.SHORTANSWER
    assert [(a.text, a.fraction) for a in q.answers] == [
        ("VwVfG", 1),
        ("VwVerfG", Decimal("0.5")),
        ("Verwaltungsverfahrensgesetz", 1),
    ]
    assert q.answers[1].feedback.text == "Fast: die amtliche Abkürzung ist VwVfG."
    assert q.case_sensitive is False


def test_matching_pairs_and_general_feedback(by_name):
    q = by_name["Zuständigkeiten"]
    assert q.qtype is QuestionType.MATCHING
    assert [(p.question.text, p.answer) for p in q.match_pairs] == [
        ("Personalausweis", "Bürgeramt"),
        ("Eheschließung", "Standesamt"),
        ("Baugenehmigung", "Bauaufsichtsbehörde"),
    ]
    assert q.general_feedback.text == "Die Zuständigkeit regelt das Landesrecht."


def test_numerical_tolerance(by_name):
    q = by_name["BGB"]
    assert q.qtype is QuestionType.NUMERICAL
    assert [(a.text, a.tolerance, a.fraction) for a in q.answers] == [("1896", 1, 1)]


def test_numerical_range_becomes_midpoint_and_tolerance(by_name):
    (answer,) = by_name["Bereich"].answers
    assert answer.text == "3"
    assert answer.tolerance == 2


def test_numerical_multiple_answers_with_weights_and_catch_all(by_name):
    q = by_name["Widerspruchsfrist"]
    assert [(a.text, a.tolerance, a.fraction) for a in q.answers] == [
        ("30", 0, 1),
        ("30", 2, Decimal("0.5")),
        ("*", 0, 0),
    ]
    assert q.answers[2].feedback.text == "Leider falsch: die Frist beträgt einen Monat."


def test_multiple_answers_with_negative_weights(by_name):
    q = by_name["Verfassungsorgane"]
    assert q.single is False
    assert [a.fraction for a in q.answers] == [Decimal("0.5"), Decimal("0.5"), -1, -1]


def test_decimal_weights_keep_moodles_seven_places(by_name):
    assert [a.fraction for a in by_name["Drei Richtige"].answers][:3] == [Decimal("0.3333333")] * 3


def test_essay_with_general_feedback(by_name):
    q = by_name["Widerspruch"]
    assert q.qtype is QuestionType.ESSAY
    assert q.general_feedback.text == "Eine gute Antwort nennt Frist, Form und Abhilfe."
    assert q.response_format == "editor"


def test_description_has_no_answer_block(by_name):
    q = by_name["Hinweis"]
    assert q.qtype is QuestionType.DESCRIPTION
    assert q.default_mark == 0


def test_text_formats_and_comment_inside_question(by_name, parsed):
    q = by_name["HTML-Frage"]
    assert q.text == type(q.text)("Was ist die <strong>Pflichtaufgabe</strong> einer Gemeinde?", TextFormat.HTML)
    assert q.answers[0].format is TextFormat.HTML
    assert q.answers[0].feedback.text == "<p>Richtig.</p>"
    assert q.answers[1].format is TextFormat.HTML  # inherits the question's format
    assert by_name["Markdown-Frage"].text.format is TextFormat.MARKDOWN
    plain = next(q for q in parsed.questions if q.text.text.startswith("Frage ohne Titel"))
    assert plain.text.format is TextFormat.PLAIN
    assert plain.qtype is QuestionType.SHORTANSWER


def test_escapes(by_name):
    q = by_name["Maskierung: Sonderzeichen"]
    assert q.text.text == "Was schreibt man für eine geschweifte Klammer { in GIFT?\nZweite Zeile."
    assert [a.text for a in q.answers] == ["Backslash und {", "Nur ~ und =", "Eine Raute #"]
    assert q.answers[0].feedback.text == "Richtig: mit \\ davor."


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("::A::Frage eins{=ja}\n\n::B::Frage zwei {=ja\n", 3, "Klammern"),
        ("::A::Gut{T}\n\n\n::B::Zwei Blöcke{=a}\n::C::{=b}\n", 4, "Leerzeile"),
        ("::A::Nur eine Antwort{~a}\n", 1, "mindestens zwei"),
        ("\n\n::N::Zahl?{#abc}\n", 3, "keine Zahl"),
        ("::N::Bereich?{#1..x}\n", 1, "Zahlenbereich"),
        ("::M::Paare{=a -> b =c}\n", 1, "->"),
        ("// Kommentar\n::X::Text } vor {=a}\n", 2, "Klammern"),
    ],
)
def test_broken_file_is_refused_with_line_number(content, line, fragment):
    with pytest.raises(FormatError) as exc:
        read_gift(content)
    assert exc.value.line == line
    assert fragment in exc.value.message
    assert str(exc.value).startswith(f"Zeile {line}:")


def test_writer_round_trips_everything_gift_can_express(parsed):
    again = read_gift(write_gift(parsed.questions).content)
    assert again.questions == parsed.questions


def test_writer_lists_what_gift_loses(parsed):
    question = parsed.questions[0]
    changed = type(question)(**{**question.__dict__, "tags": ["DSGVO"], "hidden": True, "idnumber": "X-1"})
    result = write_gift([changed])
    assert any("Ausgeblendet-Status" in loss for loss in result.losses)
    # Tags and ID numbers travel in Moodle's "// [id:…] [tag:…]" comment line.
    assert not any("Schlagwörter" in loss or "ID-Nummer" in loss for loss in result.losses)
    unwritable = type(question)(**{**question.__dict__, "tags": ["<b>fett</b>"]})
    assert any("Schlagwörter" in loss for loss in write_gift([unwritable]).losses)


@pytest.fixture(scope="module")
def tagged():
    return {q.name: q for q in read_gift((DATA / "moodle_tags.gift").read_text(encoding="utf-8")).questions}


def test_id_numbers_and_tags_are_read_from_the_comment_lines_as_moodle_does(tagged):
    assert (tagged["Bauantrag"].idnumber, tagged["Bauantrag"].tags) == ("BAU-01", ["Bauordnung", "Verfahren"])
    # "\]" is Moodle's escape for a closing bracket inside [id:…] and [tag:…].
    assert (tagged["Klammer in der ID"].idnumber, tagged["Klammer in der ID"].tags) == ("BAU-]02", ["Frist ] Tage"])
    assert (tagged["Ohne Metadaten"].idnumber, tagged["Ohne Metadaten"].tags) == ("", [])
    assert tagged["Codebeispiel"].tags == ["XBau"]


def test_a_category_comment_carries_no_id_or_tags():
    parsed = read_gift("// [id:K1] [tag:x]\n$CATEGORY: $course$/top/A\n\n::F::Frage{T}\n")
    assert parsed.questions[0].idnumber == "" and parsed.questions[0].tags == []


def test_id_numbers_and_tags_are_written_as_moodle_writes_them_and_read_back(tagged):
    result = write_gift(list(tagged.values()))
    assert "// [id:BAU-01] [tag:Bauordnung] [tag:Verfahren]\n::Bauantrag::" in result.content
    assert "// [id:BAU-\\]02] [tag:Frist \\] Tage]\n" in result.content
    assert not any("Schlagwörter" in loss or "ID-Nummer" in loss for loss in result.losses)
    again = {q.name: q for q in read_gift(result.content).questions}
    assert again == tagged


def test_a_name_that_looks_like_an_id_is_not_read_as_one(tagged):
    question = copy.deepcopy(tagged["Ohne Metadaten"])
    question.name = "Carport [id:falsch] [tag:falsch]"
    (again,) = read_gift(write_gift([question]).content).questions
    assert (again.name, again.idnumber, again.tags) == ("Carport [id:falsch] [tag:falsch]", "", [])


def test_leading_whitespace_inside_pre_and_in_markdown_is_kept(tagged):
    assert tagged["Codebeispiel"].text.text == (
        "<p>Was gibt das Skript aus?</p>\n<pre>\nfor antrag in antraege:\n    if antrag.vollstaendig:\n"
        "        print(antrag.nummer)\n</pre>"
    )
    assert tagged["Verschachtelte Liste"].text.text == (
        "Welche Unterlagen gehören zum Bauantrag?\n* Bauvorlagen\n    * Lageplan\n    * Bauzeichnungen\n"
        "* Baubeschreibung"
    )
    # Elsewhere indentation is layout of the file and dropped, as Moodle drops it.
    (plain,) = read_gift("::Z::Erste Zeile\n    zweite Zeile{T}\n").questions
    assert plain.text.text == "Erste Zeile\nzweite Zeile"


def test_indentation_survives_our_gift_export(tagged):
    again = {q.name: q for q in read_gift(write_gift(list(tagged.values())).content).questions}
    assert again["Codebeispiel"].text == tagged["Codebeispiel"].text
    assert again["Verschachtelte Liste"].text == tagged["Verschachtelte Liste"].text
