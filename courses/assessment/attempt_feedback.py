"""What the review page may tell a learner about an answer: the feedback that applies, the right answer.

The score itself comes from the bank's ``scoring.score_response`` (the one place with Moodle's
scoring rules); this module only picks the authored feedback texts that go with the answer
given, following the same rules (first matching answer wins), and writes the right answers out.
Input is the response in source terms (``attempt_questions.response_to_source``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from courses.questions.formats import ir

from .scoring import parse_number, score_cloze_part, wildcard_match


def _fraction(answer: dict[str, Any]) -> Decimal:
    return Decimal(str(answer.get("fraction", "0")))


def _number_matches(answer: dict[str, Any], value: Decimal) -> bool:
    if answer.get("text", "").strip() in ("*", ""):
        return True
    target = parse_number(answer.get("text", ""))
    return target is not None and abs(value - target) <= abs(Decimal(str(answer.get("tolerance") or "0")))


def _first(answers: list[dict[str, Any]], matches) -> dict[str, Any] | None:
    return next((a for a in answers if matches(a)), None)


def _text_answer(answers, text: str, *, case_sensitive: bool) -> dict[str, Any] | None:
    return _first(answers, lambda a: wildcard_match(text, a.get("text", ""), case_sensitive=case_sensitive))


def _cloze_answer(part: dict[str, Any], value: Any) -> dict[str, Any] | None:
    """The authored answer of a cloze gap that the given value matches (first match wins)."""
    part_answers = part.get("answers", [])
    if part.get("kind") == "multichoice":
        return part_answers[value]
    if part.get("kind") == "numerical":
        number = parse_number(str(value))
        return _first(part_answers, lambda a: number is not None and _number_matches(a, number))
    return _text_answer(part_answers, str(value), case_sensitive=bool(part.get("case_sensitive")))


def answer_feedback(data: dict[str, Any], source: Any) -> list[dict[str, Any]]:
    """The per-answer feedback texts (FormattedText dicts) that belong to the given answer."""
    if source is None:
        return []
    kind = data.get("qtype")
    answers = data.get("answers", [])
    chosen: list[dict[str, Any] | None] = []
    if kind == "multichoice":
        indices = [source["choice"]] if "choice" in source else source.get("choices", [])
        chosen = [answers[i] for i in indices]
    elif kind == "truefalse":
        chosen = [_first(answers, lambda a: a.get("text") == ("true" if source.get("value") else "false"))]
    elif kind == "shortanswer":
        chosen = [_text_answer(answers, source.get("text", ""), case_sensitive=bool(data.get("case_sensitive")))]
    elif kind == "numerical":
        number = parse_number((source.get("text") or "").split(" ")[0])
        chosen = [_first(answers, lambda a: _number_matches(a, number))] if number is not None else []
    elif kind == "cloze":
        for gap, value in source.get("gaps", {}).items():
            chosen.append(_cloze_answer(data["cloze_parts"][int(gap) - 1], value))
    return [a["feedback"] for a in chosen if a and (a.get("feedback") or {}).get("text")]


def correct_answers(data: dict[str, Any]) -> list[str]:
    """Plain texts of the right answers, for the review page once the quiz lets it show them."""
    kind = data.get("qtype")
    answers = data.get("answers", [])
    if kind in ("multichoice", "shortanswer", "numerical"):
        top = max((_fraction(a) for a in answers), default=Decimal(1))
        right = [a for a in answers if _fraction(a) > 0] if not data.get("single", True) else []
        right = right or [a for a in answers if _fraction(a) == top]
        out = []
        for a in right:
            text = a.get("text", "")
            if kind == "numerical" and a.get("tolerance") not in (None, "0", 0):
                text = f"{text} ± {a['tolerance']}"
            out.append(text)
        return out
    if kind == "truefalse":
        right = next((a for a in answers if _fraction(a) == 1), None)
        return [{"true": "Wahr", "false": "Falsch"}.get(right["text"], "")] if right else []
    if kind == "matching":
        return [
            f"{p['question']['text']} → {p['answer']}"
            for p in data.get("match_pairs", [])
            if (p.get("question") or {}).get("text")
        ]
    if kind == "ordering":
        return [a.get("text", "") for a in answers]
    if kind == "cloze":
        out = []
        for number, part in enumerate(data.get("cloze_parts", []), start=1):
            top = max(part.get("answers", []), key=_fraction, default=None)
            if top is not None:
                out.append(f"({number}) {top.get('text', '')}")
        return out
    return []


@dataclass
class AnswerPart:
    """One part of a given answer on the review page: a picked choice, a cloze gap, a matched stem."""

    label: str
    given: str  # plain text, escaped by the template
    verdict: str  # "correct", "partial" or "wrong"
    feedback: str = ""  # safe HTML of the authored feedback that belongs to this part


def _verdict(fraction: Decimal) -> str:
    if fraction >= 1:
        return "correct"
    return "partial" if fraction > 0 else "wrong"


def _feedback_html(answer: dict[str, Any] | None, render) -> str:
    if not answer or not (answer.get("feedback") or {}).get("text"):
        return ""
    return str(render(answer["feedback"]))


def answer_parts(data: dict[str, Any], source: Any, scoring_response: Any, render) -> list[AnswerPart]:
    """Right or wrong per part, so a partly right answer is never summed up as one "Richtig".

    Choice questions list each picked choice, cloze questions each gap, matching each stem. The
    verdict of a cloze gap comes from ``scoring.score_cloze_part`` (the same rule that scored it);
    ``render`` turns a FormattedText dict into safe HTML. Other types have one part: the whole answer.
    """
    if source is None:
        return []
    kind = data.get("qtype")
    answers = data.get("answers", [])
    parts: list[AnswerPart] = []
    if kind == "multichoice":
        indices = [source["choice"]] if "choice" in source else source.get("choices", [])
        for i in indices:
            answer = answers[i]
            parts.append(
                AnswerPart(
                    _("Ihre Wahl:"),
                    f"„{strip_tags(answer.get('text', ''))}“",
                    "correct" if _fraction(answer) > 0 else "wrong",
                    _feedback_html(answer, render),
                )
            )
    elif kind == "cloze":
        question = ir.question_from_dict(data)
        for gap in sorted(source.get("gaps", {})):
            value = source["gaps"][gap]
            part = data["cloze_parts"][int(gap) - 1]
            chosen = _cloze_answer(part, value)
            if part.get("kind") == "multichoice":
                given = strip_tags(part["answers"][value].get("text", ""))
            else:
                given = str(value)
            fraction = score_cloze_part(question.cloze_parts[int(gap) - 1], (scoring_response or {}).get(str(gap)))
            parts.append(
                AnswerPart(
                    _("Lücke %(n)s:") % {"n": gap}, f"„{given}“", _verdict(fraction), _feedback_html(chosen, render)
                )
            )
    elif kind == "matching":
        pairs = data.get("match_pairs", [])
        for stem, option in sorted(source.get("pairs", {}).items()):
            pair = pairs[int(stem)]
            parts.append(
                AnswerPart(
                    f"{strip_tags(pair['question']['text'])}:",
                    f"„{option}“",
                    "correct" if option == pair.get("answer") else "wrong",
                )
            )
    return parts
