"""No script from an imported file reaches a learner's browser."""

import pytest

from courses.questions import types
from courses.questions.formats import ir, read_gift
from courses.questions.formats.ir import FormattedText, TextFormat
from courses.questions.sanitize import render_text, sanitize_question


@pytest.mark.parametrize("fmt", [TextFormat.HTML, TextFormat.MOODLE, TextFormat.MARKDOWN])
def test_script_and_event_handlers_are_removed(fmt):
    text = '<p onmouseover="x()">Hallo<script>alert(1)</script><img src="a.png" onerror="alert(2)"></p>'
    for html in (render_text(FormattedText(text, fmt)),):
        assert "<script" not in html and "onerror" not in html and "onmouseover" not in html


def test_text_without_markup_is_stored_as_written():
    (question,) = read_gift("::A::Open & Agile > alles{T}\n").questions
    assert sanitize_question(question).text.text == "Open & Agile > alles"


def test_plain_text_is_escaped_when_rendered():
    assert render_text(FormattedText("<b>x</b> & y", TextFormat.PLAIN)) == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"


def test_markdown_is_rendered_and_javascript_links_dropped():
    html = render_text(FormattedText("**fett** [x](javascript:alert(1))", TextFormat.MARKDOWN))
    assert "<strong>fett</strong>" in html
    assert "javascript" not in html


def test_answers_and_feedback_are_sanitised_and_learner_view_has_no_solution():
    gift = "::A::[html]Frage<script>x</script>{=<b onclick\\='x'>Ja</b>#<script>y</script>gut ~Nein}\n"
    (question,) = read_gift(gift).questions
    clean = sanitize_question(question)
    assert clean.text.text == "Frage"
    assert clean.answers[0].text == "<b>Ja</b>"
    assert clean.answers[0].feedback.text == "gut"
    data = ir.question_to_dict(clean)
    view = types.for_data(data).learner_view(data, types.seeded_layout(data, seed="1"))
    assert "gut" not in str(view) and "fraction" not in str(view)
