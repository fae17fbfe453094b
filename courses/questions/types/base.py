"""What every question type does, and the helpers the types share.

A question version's data is the bank's format-neutral JSON document (``formats.ir.question_to_dict``).
Quizzes and practice questions meet it the same way:

1. ``layout``: the order in which choices, items and options are shown, drawn once (a quiz slot
   stores it; a practice question rebuilds it from a seed).
2. ``learner_view``: the question without anything that tells the answer. Learners only ever see
   *display keys* (positions in the layout), never answer indices, fractions, feedback or accepted
   answers, so nothing in HTML or API gives the key away before submission.
3. ``response_from_form`` (plain HTML forms) or API JSON, then ``clean``: one stored *response*
   shape in display keys, or a German ``ResponseError``.
4. ``given``: the response back in the question's own terms (answer indices, texts), and
   ``score_given`` / ``feedback`` / ``answer_parts`` on it. Score and feedback ask the same
   per-type matching rule which authored answer a response matched, so they cannot disagree.

Responses stored by quizzes before these classes existed have exactly this shape (the quiz's
scheme is the one scheme; the bank preview's hashed choice keys are gone).
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

import nh3
from django import forms
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from courses.questions import sanitize
from courses.questions.formats import ir
from courses.questions.formats.numbers import format_decimal
from lernplattform.core.errors import ValidationFailed

Data = dict[str, Any]
Layout = dict[str, Any]
View = dict[str, Any]
Response = dict[str, Any]

ZERO = Decimal(0)
ONE = Decimal(1)
_PLACES = Decimal("0.0000001")
MAX_TEXT = 500
MAX_ESSAY = 50_000


class ResponseError(ValidationFailed):
    """An answer that does not fit its question; the message is German and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__("questions.response_invalid", message)


class FormData(Protocol):
    """What a form post offers (Django's QueryDict)."""

    def get(self, key: str, default: Any = ...) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class Score:
    """The fraction of the mark a response earns; None if a person grades it (or nothing is scored)."""

    fraction: Decimal | None
    needs_manual_grading: bool = False


@dataclass
class AnswerPart:
    """One part of a given answer on the review page: a picked choice, a cloze gap, a matched stem."""

    label: str
    given: str  # plain text, escaped by the template
    verdict: str  # "correct", "partial" or "wrong"
    feedback: str = ""  # safe HTML of the authored feedback that belongs to this part


@dataclass(frozen=True)
class Subquestion:
    """A bank question a type may draw when an attempt starts (randomsamatch): version pk and data."""

    version: int
    data: Data


# --- shared helpers ------------------------------------------------------------------------


def clamp(value: Decimal) -> Decimal:
    """A score never leaves [0, 1], whatever the negative weights; seven places like Moodle."""
    return min(max(value, ZERO), ONE).quantize(_PLACES)


def verdict(fraction: Decimal) -> str:
    if fraction >= 1:
        return "correct"
    return "partial" if fraction > 0 else "wrong"


def render_text(text: dict[str, Any] | None) -> SafeString:
    """Question-bank text (a FormattedText document) as safe HTML, by the bank's own rules."""
    if not text or not text.get("text"):
        return mark_safe("")  # noqa: S308 - empty string
    return sanitize.render_text(ir.FormattedText(text["text"], ir.TextFormat(text.get("format") or "html")))


def render_feedback(text: ir.FormattedText) -> str:
    """Authored feedback as safe HTML ("" if there is none)."""
    return str(sanitize.render_text(text)) if text.text else ""


def render_inline(text: str, fmt: str | None) -> str:
    """A short text (choice, item, matching stem) as inline HTML that may sit inside a <label>."""
    if fmt in ("html", "moodle_auto_format", "markdown") and "<" in text:
        return nh3.clean(text, tags={"b", "strong", "i", "em", "sub", "sup", "code", "span", "br", "img", "a"})
    return str(escape(text))


def shuffled(n: int, rng: random.Random, *, avoid_identity: bool = False) -> list[int]:
    order = list(range(n))
    rng.shuffle(order)
    if avoid_identity and n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]
    return order


_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> list[Any]:
    """Sort key that puts "2" before "10" and ignores case and markup."""
    plain = re.sub(r"<[^>]+>", "", text).casefold().strip()
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(plain)]


def neutral_order(texts: list[str]) -> list[int]:
    """An order that says nothing about which choice is right: by text, not as authored.

    Authors (and the demo) tend to write the right choice first; a list that is not shuffled would
    then give it away by its position. Sorted by text it is stable for every learner and attempt.
    """
    return sorted(range(len(texts)), key=lambda i: (_natural_key(texts[i]), i))


def display_keys(n: int) -> set[str]:
    return {str(i) for i in range(n)}


def clean_text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ResponseError(_("Bitte geben Sie einen Text ein."))
    if len(value) > limit:
        raise ResponseError(_("Die Antwort ist zu lang (höchstens %(n)d Zeichen).") % {"n": limit})
    return value.strip() if limit == MAX_TEXT else value


def fraction_of(answer: ir.Answer | None) -> Decimal:
    return answer.fraction if answer is not None else ZERO


def kept_text(old: ir.FormattedText | None, text: str, fmt: ir.TextFormat) -> ir.FormattedText:
    """An unchanged text keeps its own format (feedback may differ from the question's)."""
    text = (text or "").strip()
    if old is not None and old.text == text:
        return copy.deepcopy(old)
    return ir.FormattedText(text, fmt)


def answer_rows(content: ir.Question) -> list[dict[str, Any]]:
    """The editor's answer rows of a question whose answers are its rows (fraction in per cent)."""
    return [
        {
            "text": a.text,
            "fraction": format_decimal(a.fraction * 100),
            "tolerance": a.tolerance,
            "feedback": a.feedback.text,
        }
        for a in content.answers
    ]


def answers_from_rows(
    base: ir.Question, rows: list[dict[str, Any]], fmt: ir.TextFormat, answer_format: ir.TextFormat
) -> list[ir.Answer]:
    """Answers with fraction and feedback from the editor's rows; unchanged texts keep their format."""
    answers = []
    for i, row in enumerate(rows):
        old = base.answers[i] if i < len(base.answers) else None
        fraction = Decimal(format_decimal(((row.get("fraction") or ZERO) / 100).quantize(_PLACES)))
        answers.append(
            ir.Answer(
                row["text"],
                fraction,
                kept_text(old.feedback if old else None, row.get("feedback", ""), fmt),
                old.format if old and old.text == row["text"] else answer_format,
            )
        )
    return answers


# --- the contract ----------------------------------------------------------------------------


class QuestionType:
    """One question type's behaviour. Subclasses live in ``courses/questions/types/<type>.py``.

    Methods take the stored version data; ``clean`` raises ``ResponseError``; every other method
    takes a response that ``clean`` returned (or None for "no answer").
    """

    qtype: ClassVar[ir.QuestionType]
    #: Counts toward the attempt's marks (a description does not).
    scored: ClassVar[bool] = True
    #: Scored by the server (an essay is graded by a person).
    graded_automatically: ClassVar[bool] = True
    #: Feedback shown with each part on the review page instead of once per question.
    feedback_per_part: ClassVar[bool] = False
    #: Draws other bank questions when the attempt starts (``layout_drawn`` gets them as ``pool``).
    draws_subquestions: ClassVar[bool] = False

    # Layout and view ------------------------------------------------------------------------

    def layout(self, data: Data, *, shuffle_answers: bool, rng: random.Random) -> Layout:
        """The presentation order, drawn once when the attempt starts (or from a practice seed)."""
        return {}

    def layout_drawn(self, data: Data, *, pool: list[Subquestion], shuffle_answers: bool, rng: random.Random) -> Layout:
        """The layout of a type that draws other questions (``draws_subquestions``); the pool is
        the bank's candidates (for randomsamatch: the short-answer questions of its category)."""
        return self.layout(data, shuffle_answers=shuffle_answers, rng=rng)

    def learner_view(self, data: Data, layout: Layout) -> View:
        """The question without anything that tells the answer: safe for HTML and API before submission."""
        return {"type": self.qtype.value, "text": str(render_text(data.get("text")))}

    def form_view(self, view: View, response: Response | None) -> View:
        """The learner view plus what the form needs to show a saved answer as selected / filled in."""
        return self.fill_form(copy.deepcopy(view), response)

    def fill_form(self, view: View, response: Response | None) -> View:
        return view

    # Responses ------------------------------------------------------------------------------

    def response_from_form(self, data: Data, layout: Layout, prefix: str, post: FormData) -> Any:
        """The raw answer from a plain HTML form post (the no-JavaScript path), for ``clean``."""
        return None

    def clean(self, data: Data, layout: Layout, raw: Any) -> Response | None:
        """Validate a learner's answer (API JSON or ``response_from_form``); None means "no answer"."""
        if raw is None or raw == {}:
            return None
        if not isinstance(raw, dict):
            raise ResponseError(_("Die Antwort hat ein unbekanntes Format."))
        return self.clean_dict(data, layout, raw)

    def clean_dict(self, data: Data, layout: Layout, raw: dict[str, Any]) -> Response | None:
        raise ResponseError(_("Dieser Fragetyp kann nicht beantwortet werden."))

    def given(self, data: Data, layout: Layout, response: Response | None) -> Any:
        """The response in the question's own terms: display keys mapped back to answer indices."""
        return response

    # Scoring and feedback (one matching path) -----------------------------------------------

    def score(self, data: Data, layout: Layout, response: Response | None) -> Score:
        """The fraction of the mark a stored response earns."""
        return self.score_given(ir.question_from_dict(data), self.given(data, layout, response))

    def score_given(self, question: ir.Question, given: Any) -> Score:
        raise NotImplementedError

    def feedback(self, data: Data, layout: Layout, response: Response | None) -> list[str]:
        """The authored per-answer feedback (safe HTML) that belongs to the answer given."""
        given = self.given(data, layout, response)
        if given is None:
            return []
        return [html for html in self.feedback_given(ir.question_from_dict(data), given) if html]

    def feedback_given(self, question: ir.Question, given: Any) -> list[str]:
        return []

    def answer_parts(self, data: Data, layout: Layout, response: Response | None) -> list[AnswerPart]:
        """Right or wrong per part, so a partly right answer is never summed up as one "Richtig"."""
        given = self.given(data, layout, response)
        if given is None:
            return []
        return self.parts_given(ir.question_from_dict(data), given)

    def parts_given(self, question: ir.Question, given: Any) -> list[AnswerPart]:
        return []

    def general_feedback(self, data: Data) -> str:
        return str(render_text(data.get("general_feedback")))

    def correct_answers(self, data: Data) -> list[str]:
        """Plain texts of the right answers, for the review once the quiz lets it show them."""
        return []

    def correct_answers_for(self, data: Data, layout: Layout) -> list[str]:
        """The right answers of the layout drawn (a calculated question's item); most types ignore it."""
        return self.correct_answers(data)

    def general_feedback_for(self, data: Data, layout: Layout) -> str:
        """The general feedback for the layout drawn (a calculated question puts in the item's values)."""
        return self.general_feedback(data)

    # Editor (the bank's one form for all types plus a table of answer rows) -----------------

    #: The question form's fields beyond the common ones (``assessment.forms.QuestionForm``).
    editor_fields: ClassVar[tuple[str, ...]] = ()
    #: The answer rows' fields; no rows if empty.
    row_fields: ClassVar[tuple[str, ...]] = ()
    #: The label of a row's text field where "Antwort" would mislead.
    row_text_label: ClassVar[str | Promise | None] = None

    def new_content(self) -> ir.Question:
        """Moodle's defaults for a new question of this type."""
        return ir.Question(qtype=self.qtype, name="")

    def editor_form(self, fields: dict[str, forms.Field]) -> None:
        """Adjust the question form's fields for this type (labels, help, required)."""

    def editor_initial(self, content: ir.Question) -> dict[str, Any]:
        """Initial values of this type's own form fields."""
        return {}

    def editor_rows(self, content: ir.Question) -> list[dict[str, Any]]:
        """Initial answer rows."""
        return answer_rows(content)

    def editor_clean(self, data: dict[str, Any]) -> dict[str, str]:
        """Checks across this type's form fields; cleaned values go into ``data``. German errors by field."""
        return {}

    def clean_row_text(self, text: str) -> str:
        """Check one row's text; raises ``ValidationFailed`` with a German message."""
        return text

    def editor_apply(
        self, q: ir.Question, *, base: ir.Question, data: dict[str, Any], rows: list[dict[str, Any]], fmt: ir.TextFormat
    ) -> None:
        """Put this type's form fields and rows (only filled ones) into ``q``, a copy of ``base``."""


class GapTextType(QuestionType):
    """A question whose learner view is text segments with gaps (cloze, gapselect, ddwtos)."""

    def fill_form(self, view: View, response: Response | None) -> View:
        gaps = (response or {}).get("gaps", {})
        for segment in view["segments"]:
            if "gap" in segment:
                segment["value"] = gaps.get(segment["gap"], "")
        return view
