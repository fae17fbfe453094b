"""Server-side scoring of a response to one question version, per type.

Pure functions of (question content, response) with Moodle's rules; the quiz
calls ``score_response`` with the version an attempt pinned, never with what
a browser claims.  A score is a fraction in [0, 1] (a question never scores
below zero, whatever its negative weights); multiply by the question's mark.

Response shapes (what a quiz stores per question):

=============  =================================================================
multichoice    single: one choice key (str); multiple: list of choice keys
truefalse      bool (or "true"/"false")
shortanswer    str
numerical      str, a number with optional unit ("72", "3,5", "72 h")
matching       {stem key: chosen answer text}
ordering       [item key, ...] in the learner's order
cloze          {"1": response for gap 1, "2": ...} with the shapes above per gap
essay          str (scored by a person: ``needs_manual_grading``)
description    nothing to score
=============  =================================================================

Keys (``choice_key``) are derived from position and text, so they are stable
for a version but reveal neither order nor correctness to the browser.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from courses.questions.formats import ir

ZERO = Decimal(0)
ONE = Decimal(1)
_PLACES = Decimal("0.0000001")


@dataclass(frozen=True)
class Score:
    fraction: Decimal | None
    needs_manual_grading: bool = False


def choice_key(index: int, text: str) -> str:
    return hashlib.sha256(f"{index}\x00{text}".encode()).hexdigest()[:12]


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE).quantize(_PLACES)


# --- short answer -------------------------------------------------------------


def wildcard_match(response: str, pattern: str, *, case_sensitive: bool) -> bool:
    """Moodle's short-answer comparison: ``*`` matches anything, ``\\*`` a star."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response).strip()
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regex, response, flags | re.DOTALL) is not None


def _first_match_fraction(answers: Iterable[ir.Answer], matches) -> Decimal:
    for answer in answers:
        if matches(answer):
            return answer.fraction
    return ZERO


def _score_shortanswer(answers: list[ir.Answer], response: Any, case_sensitive: bool) -> Decimal:
    if not isinstance(response, str) or not response.strip():
        return ZERO
    return _first_match_fraction(answers, lambda a: wildcard_match(response, a.text, case_sensitive=case_sensitive))


# --- numerical ----------------------------------------------------------------

_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_NUMBER_FIRST = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")
_UNIT_FIRST = re.compile(rf"^\s*(.*?)\s*({_NUMBER})\s*$")


def parse_number(raw: str) -> Decimal | None:
    """A number as learners type it: a dot or a comma as decimal separator."""
    try:
        return Decimal(raw.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None


def _split_number_unit(response: str, units_left: bool) -> tuple[Decimal | None, str]:
    match = (_UNIT_FIRST if units_left else _NUMBER_FIRST).match(response)
    if not match:
        return None, ""
    number, unit = (match.group(2), match.group(1)) if units_left else (match.group(1), match.group(2))
    return parse_number(number), unit


def _matches_number(answer: ir.Answer, value: Decimal) -> bool:
    if answer.text in ("*", ""):
        return True
    target = parse_number(answer.text)
    if target is None:
        return False
    return abs(value - target) <= (answer.tolerance or ZERO)


def _score_numerical(question: ir.Question, response: Any) -> Decimal:
    if not isinstance(response, str | int | float | Decimal):
        return ZERO
    value, unit = _split_number_unit(str(response), question.units_left)
    if value is None:
        return ZERO
    units_apply = bool(question.units) and question.show_units != 3
    unit_ok = True
    if units_apply:
        known = {u.name: u.multiplier for u in question.units}
        if unit in known:
            value = value / known[unit]
        else:
            unit_ok = False
    elif unit:
        return ZERO  # text after the number where no unit is expected
    fraction = _first_match_fraction(question.answers, lambda a: _matches_number(a, value))
    if not unit_ok and question.unit_grading_type == 1:
        fraction = fraction * (ONE - question.unit_penalty)
    elif not unit_ok and question.unit_grading_type == 2:
        fraction = fraction - question.unit_penalty
    return fraction


# --- choices --------------------------------------------------------------------


def _chosen(answers: list[ir.Answer], keys: Iterable[str]) -> list[ir.Answer]:
    by_key = {choice_key(i, a.text): a for i, a in enumerate(answers)}
    return [by_key[k] for k in dict.fromkeys(keys) if k in by_key]


def _score_choice(answers: list[ir.Answer], response: Any, single: bool) -> Decimal:
    if single:
        if not isinstance(response, str):
            return ZERO
        chosen = _chosen(answers, [response])
        return chosen[0].fraction if chosen else ZERO
    if not isinstance(response, list | tuple):
        return ZERO
    return sum((a.fraction for a in _chosen(answers, response)), ZERO)


def _score_truefalse(question: ir.Question, response: Any) -> Decimal:
    if isinstance(response, str):
        response = {"true": True, "false": False}.get(response.lower())
    if not isinstance(response, bool):
        return ZERO
    chosen = next((a for a in question.answers if a.text == ("true" if response else "false")), None)
    return chosen.fraction if chosen else ZERO


# --- matching and ordering ----------------------------------------------------------


def _score_matching(question: ir.Question, response: Any) -> Decimal:
    stems = [(i, p) for i, p in enumerate(question.match_pairs) if p.question.text]
    if not stems or not isinstance(response, dict):
        return ZERO
    right = sum(1 for i, pair in stems if response.get(choice_key(i, pair.question.text)) == pair.answer)
    return Decimal(right) / Decimal(len(stems))


def _longest_increasing(sequence: list[int]) -> int:
    best: list[int] = []
    for value in sequence:
        lo, hi = 0, len(best)
        while lo < hi:
            mid = (lo + hi) // 2
            if best[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(best):
            best.append(value)
        else:
            best[lo] = value
    return len(best)


def ordering_fraction(grading_type: str, positions: list[int]) -> Decimal:
    """Score a learner's order given each placed item's correct position (0-based)."""
    n = len(positions)
    if n == 0:
        return ZERO
    if n == 1:
        return ONE if positions == [0] else ZERO
    pairs = list(zip(positions, positions[1:], strict=False))
    grading_type = grading_type.upper()
    if grading_type == "ALL_OR_NOTHING":
        return ONE if positions == list(range(n)) else ZERO
    if grading_type in ("ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
        return Decimal(sum(1 for i, p in enumerate(positions) if i == p)) / n
    if grading_type in ("RELATIVE_NEXT_INCLUDE_LAST",):
        right = sum(1 for a, b in pairs if b == a + 1) + (1 if positions[-1] == n - 1 else 0)
        return Decimal(right) / n
    if grading_type == "RELATIVE_ONE_PREVIOUS_AND_NEXT":
        right = 0
        for i, p in enumerate(positions):
            right += 1 if (i == 0 and p == 0) or (i > 0 and positions[i - 1] == p - 1) else 0
            right += 1 if (i == n - 1 and p == n - 1) or (i < n - 1 and positions[i + 1] == p + 1) else 0
        return Decimal(right) / (2 * n)
    if grading_type == "RELATIVE_ALL_PREVIOUS_AND_NEXT":
        ordered = sum(1 for i in range(n) for j in range(i + 1, n) if positions[i] < positions[j])
        return Decimal(ordered) / Decimal(n * (n - 1) // 2)
    if grading_type == "LONGEST_ORDERED_SUBSET":
        return Decimal(_longest_increasing(positions)) / n
    if grading_type == "LONGEST_CONTIGUOUS_SUBSET":
        longest = run = 1
        for a, b in pairs:
            run = run + 1 if b == a + 1 else 1
            longest = max(longest, run)
        return Decimal(longest) / n
    if grading_type == "RELATIVE_TO_CORRECT":
        total = sum(n - 1 - abs(i - p) for i, p in enumerate(positions))
        return Decimal(total) / Decimal(n * (n - 1))
    # RELATIVE_NEXT_EXCLUDE_LAST (Moodle's default) and unknown types.
    return Decimal(sum(1 for a, b in pairs if b == a + 1)) / (n - 1)


def _score_ordering(question: ir.Question, response: Any) -> Decimal:
    if not isinstance(response, list | tuple):
        return ZERO
    position_of = {choice_key(i, a.text): i for i, a in enumerate(question.answers)}
    keys = list(dict.fromkeys(k for k in response if k in position_of))
    if len(keys) != len(question.answers):
        return ZERO  # an incomplete order is not an answer
    return ordering_fraction(question.grading_type, [position_of[k] for k in keys])


# --- cloze -------------------------------------------------------------------------


def score_cloze_part(part: ir.ClozePart, response: Any) -> Decimal:
    if part.kind is ir.ClozeKind.SHORTANSWER:
        return _clamp(_score_shortanswer(part.answers, response, part.case_sensitive))
    if part.kind is ir.ClozeKind.NUMERICAL:
        if not isinstance(response, str | int | float | Decimal):
            return ZERO
        value = parse_number(str(response))
        if value is None:
            return ZERO
        return _clamp(_first_match_fraction(part.answers, lambda a: _matches_number(a, value)))
    return _clamp(_score_choice(part.answers, response, part.single))


def _score_cloze(question: ir.Question, response: Any) -> Decimal:
    if not question.cloze_parts or not isinstance(response, dict):
        return ZERO
    total_weight = sum(p.weight for p in question.cloze_parts)
    if not total_weight:
        return ZERO
    earned = sum(
        (score_cloze_part(p, response.get(str(i))) * p.weight for i, p in enumerate(question.cloze_parts, start=1)),
        ZERO,
    )
    return earned / total_weight


def score_response(question: ir.Question, response: Any) -> Score:
    """The fraction of the mark a response earns (None if a person grades it)."""
    qtype = question.qtype
    if qtype is ir.QuestionType.DESCRIPTION:
        return Score(fraction=None)
    if qtype is ir.QuestionType.ESSAY:
        return Score(fraction=None, needs_manual_grading=True)
    if qtype is ir.QuestionType.MULTICHOICE:
        raw = _score_choice(question.answers, response, question.single)
    elif qtype is ir.QuestionType.TRUEFALSE:
        raw = _score_truefalse(question, response)
    elif qtype is ir.QuestionType.SHORTANSWER:
        raw = _score_shortanswer(question.answers, response, question.case_sensitive)
    elif qtype is ir.QuestionType.NUMERICAL:
        raw = _score_numerical(question, response)
    elif qtype is ir.QuestionType.MATCHING:
        raw = _score_matching(question, response)
    elif qtype is ir.QuestionType.ORDERING:
        raw = _score_ordering(question, response)
    elif qtype is ir.QuestionType.CLOZE:
        raw = _score_cloze(question, response)
    else:  # pragma: no cover - every type is handled above
        raise ValueError(qtype)
    return Score(fraction=_clamp(raw))
