"""Sanitising and rendering question texts.

Every text that may hold markup is cleaned with nh3 when a question is
imported or saved, and once more when it is rendered: no script from an
imported file ever reaches a learner's browser.  Plain-text fields are never
cleaned (that would change them); they are escaped when rendered.
"""

from __future__ import annotations

import copy
import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from courses.questions.formats import ir

_BLOCK = re.compile(r"<(p|div|ul|ol|table|h[1-6]|blockquote|pre|br)\b", re.IGNORECASE)


def clean_html(text: str) -> str:
    return nh3.clean(text) if text else text


def clean_markup(text: str) -> str:
    """Clean text that may hold markup for storage.

    Text without a "<" holds no tag, so it is kept byte for byte ("Open & Agile"
    stays as written, Markdown's "> Zitat" survives); rendering cleans again.
    """
    return clean_html(text) if "<" in text else text


def _clean(text: ir.FormattedText) -> ir.FormattedText:
    if text.format is ir.TextFormat.PLAIN:
        return ir.FormattedText(text.text, text.format)
    return ir.FormattedText(clean_markup(text.text), text.format)


def sanitize_question(question: ir.Question) -> ir.Question:
    """A copy of ``question`` with every markup-capable text cleaned."""
    q = copy.deepcopy(question)
    for name in (
        "text",
        "general_feedback",
        "correct_feedback",
        "partially_correct_feedback",
        "incorrect_feedback",
        "grader_info",
        "response_template",
        "unit_instructions",
    ):
        setattr(q, name, _clean(getattr(q, name)))
    for answer in q.answers:
        answer.feedback = _clean(answer.feedback)
        if answer.format in (ir.TextFormat.HTML, ir.TextFormat.MOODLE, ir.TextFormat.MARKDOWN):
            answer.text = clean_markup(answer.text)
    for hint in q.hints:
        hint.text = _clean(hint.text)
    for pair in q.match_pairs:
        pair.question = _clean(pair.question)
    for part in q.cloze_parts:
        for answer in part.answers:
            answer.feedback = _clean(answer.feedback)
            if part.kind is ir.ClozeKind.MULTICHOICE:
                answer.text = clean_markup(answer.text)
    return q


def render_text(text: ir.FormattedText | str, fmt: ir.TextFormat | None = None) -> SafeString:
    """HTML for a learner's browser, whatever the text's format."""
    if isinstance(text, str):
        text = ir.FormattedText(text, fmt or ir.TextFormat.PLAIN)
    if not text.text:
        return mark_safe("")  # noqa: S308 - empty string
    if text.format is ir.TextFormat.PLAIN:
        return mark_safe(linebreaks(escape(text.text)))  # noqa: S308 - escaped above
    if text.format is ir.TextFormat.MARKDOWN:
        html = markdown_lib.markdown(text.text)
    elif text.format is ir.TextFormat.MOODLE and not _BLOCK.search(text.text):
        # Moodle's auto-format turns line breaks into <br> in text without block markup.
        html = text.text.replace("\n", "<br>")
    else:
        html = text.text
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3
