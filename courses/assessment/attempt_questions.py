"""A question as a learner meets it inside an attempt: layout, what is shown, what comes back.

A question version's data is the bank's format-neutral document (``formats.ir.question_to_dict``).
At attempt start each slot fixes a *layout*: the order in which choices, items and options are
shown. Learners only ever see *display keys* (positions in that order), never answer indices,
fractions, feedback or accepted answers – so nothing in HTML or API gives the key away before
submission, and an unshuffled "first answer is right" habit of authors does not leak either,
because matching options and ordering items are always shuffled.

Responses are stored in display keys, exactly as the learner gave them; ``response_for_scoring``
turns them into the shapes of the bank's ``scoring.score_response`` (its hashed choice keys stay on
the server: derived from authoring position and text, they would let a browser that knows the
texts work out the authored order, which for ordering questions is the answer), and
``response_to_source`` into answer indices for the review's feedback.
"""

from __future__ import annotations

import random
import re
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from courses.questions.formats import ir

from . import sanitize
from .scoring import choice_key

MAX_TEXT = 500
MAX_ESSAY = 50_000
_PLACEHOLDER = re.compile(r"\{#(\d+)\}")


class ResponseError(ValueError):
    """An answer that does not fit its question; the message is German and safe to show."""


def qtype(data: dict[str, Any]) -> str:
    return data.get("qtype", "")


def is_graded_automatically(data: dict[str, Any]) -> bool:
    return qtype(data) not in ("essay", "description")


def is_scored(data: dict[str, Any]) -> bool:
    return qtype(data) != "description"


def render_text(text: dict[str, Any] | None) -> SafeString:
    """Question-bank text (a FormattedText document) as safe HTML, by the bank's own rules."""
    if not text or not text.get("text"):
        return mark_safe("")  # noqa: S308 - empty string
    return sanitize.render_text(ir.FormattedText(text["text"], ir.TextFormat(text.get("format") or "html")))


def render_inline(text: str, fmt: str | None) -> str:
    """A short text (choice, item, matching stem) as inline HTML that may sit inside a <label>."""
    if fmt in ("html", "moodle_auto_format", "markdown") and "<" in text:
        cleaned = nh3.clean(text, tags={"b", "strong", "i", "em", "sub", "sup", "code", "span", "br", "img", "a"})
        return cleaned
    return str(escape(text))


# ---------------------------------------------------------------------------------------------
# Layout: fixed once per slot at attempt start
# ---------------------------------------------------------------------------------------------


def _shuffled(n: int, rng: random.Random, *, avoid_identity: bool = False) -> list[int]:
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


def _neutral_order(texts: list[str]) -> list[int]:
    """An order that says nothing about which choice is right: by text, not as authored.

    Authors (and the demo) tend to write the right choice first; a gap that is not shuffled would
    then give it away by its position. Sorted by text it is stable for every learner and attempt.
    """
    return sorted(range(len(texts)), key=lambda i: (_natural_key(texts[i]), i))


def _match_options(data: dict[str, Any]) -> list[str]:
    """Distinct answer texts of a matching question, in authoring order (distractors included)."""
    seen: list[str] = []
    for pair in data.get("match_pairs", []):
        if pair["answer"] not in seen:
            seen.append(pair["answer"])
    return seen


def _match_stems(data: dict[str, Any]) -> list[int]:
    return [i for i, pair in enumerate(data.get("match_pairs", [])) if (pair.get("question") or {}).get("text")]


def layout_make(data: dict[str, Any], *, shuffle_answers: bool, rng: random.Random) -> dict[str, Any]:
    """The per-slot presentation order, drawn once when the attempt starts."""
    kind = qtype(data)
    shuffle = shuffle_answers and data.get("shuffle_answers", True)
    if kind == "multichoice":
        n = len(data.get("answers", []))
        return {"choices": _shuffled(n, rng) if shuffle else list(range(n))}
    if kind == "matching":
        stems = _match_stems(data)
        if shuffle:
            rng.shuffle(stems)
        # Options are always shuffled: in authoring order they would line up with the stems.
        return {"stems": stems, "options": _shuffled(len(_match_options(data)), rng, avoid_identity=True)}
    if kind == "ordering":
        # Items are always shuffled: authoring order is the correct order.
        return {"items": _shuffled(len(data.get("answers", [])), rng, avoid_identity=True)}
    if kind == "cloze":
        parts = {}
        for number, part in enumerate(data.get("cloze_parts", []), start=1):
            if part.get("kind") == "multichoice":
                answers = part.get("answers", [])
                if shuffle_answers and part.get("shuffle"):
                    parts[str(number)] = _shuffled(len(answers), rng)
                else:
                    parts[str(number)] = _neutral_order([a.get("text", "") for a in answers])
        return {"parts": parts}
    return {}


# ---------------------------------------------------------------------------------------------
# What the learner sees (no key material!)
# ---------------------------------------------------------------------------------------------


def learner_view(data: dict[str, Any], layout: dict[str, Any]) -> dict[str, Any]:
    """The question without anything that tells the answer: safe for HTML and API before submission."""
    kind = qtype(data)
    view: dict[str, Any] = {"type": kind, "text": str(render_text(data.get("text")))}
    if kind == "multichoice":
        answers = data.get("answers", [])
        view["single"] = bool(data.get("single", True))
        view["choices"] = [
            {"key": str(pos), "text": render_inline(answers[i]["text"], answers[i].get("format"))}
            for pos, i in enumerate(layout.get("choices", []))
        ]
    elif kind == "truefalse":
        view["choices"] = [{"key": "true", "text": _("Wahr")}, {"key": "false", "text": _("Falsch")}]
        view["single"] = True
    elif kind == "numerical":
        units = data.get("units", [])
        if units and data.get("show_units", 3) != 3:
            view["units"] = [u["name"] for u in units]
    elif kind == "matching":
        pairs, options = data.get("match_pairs", []), _match_options(data)
        view["stems"] = [
            {"key": str(pos), "text": render_inline(pairs[i]["question"]["text"], pairs[i]["question"].get("format"))}
            for pos, i in enumerate(layout["stems"])
        ]
        view["options"] = [
            {"key": str(pos), "text": str(escape(options[i]))} for pos, i in enumerate(layout["options"])
        ]
    elif kind == "ordering":
        answers = data.get("answers", [])
        view["items"] = [
            {"key": str(pos), "text": render_inline(answers[i]["text"], answers[i].get("format"))}
            for pos, i in enumerate(layout["items"])
        ]
    elif kind == "cloze":
        view["segments"] = cloze_segments(data, layout)
    elif kind == "essay":
        view["lines"] = data.get("response_field_lines", 15)
        view["min_words"] = data.get("min_word_limit")
        view["max_words"] = data.get("max_word_limit")
    return view


def cloze_segments(data: dict[str, Any], layout: dict[str, Any]) -> list[dict[str, Any]]:
    """The cloze text cut into HTML pieces and gaps (gaps carry only what an input needs)."""
    html = str(render_text(data.get("text")))
    parts = data.get("cloze_parts", [])
    segments: list[dict[str, Any]] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(html):
        number = int(match.group(1))
        if not 1 <= number <= len(parts):
            continue
        segments.append({"html": html[pos : match.start()]})
        part = parts[number - 1]
        gap: dict[str, Any] = {"gap": str(number), "kind": part.get("kind")}
        if part.get("kind") == "multichoice":
            # Layouts drawn before the neutral order (older attempts) are kept as they were stored.
            order = layout.get("parts", {}).get(str(number)) or _neutral_order(
                [a.get("text", "") for a in part.get("answers", [])]
            )
            gap["choices"] = [
                {"key": str(p), "text": str(escape(part["answers"][i]["text"]))} for p, i in enumerate(order)
            ]
            gap["single"] = bool(part.get("single", True))
        segments.append(gap)
        pos = match.end()
    segments.append({"html": html[pos:]})
    return segments


# ---------------------------------------------------------------------------------------------
# Responses: API JSON and plain form posts, validated into one stored shape
# ---------------------------------------------------------------------------------------------


def _keys(n: int) -> set[str]:
    return {str(i) for i in range(n)}


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ResponseError(_("Bitte geben Sie einen Text ein."))
    if len(value) > limit:
        raise ResponseError(_("Die Antwort ist zu lang (höchstens %(n)d Zeichen).") % {"n": limit})
    return value.strip() if limit == MAX_TEXT else value


def response_clean(data: dict[str, Any], layout: dict[str, Any], raw: Any) -> dict[str, Any] | None:
    """Validate a learner's answer for this question; None means "no answer". Raises ResponseError."""
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, dict):
        raise ResponseError(_("Die Antwort hat ein unbekanntes Format."))
    kind = qtype(data)
    if kind == "multichoice":
        valid = _keys(len(layout.get("choices", [])))
        if data.get("single", True):
            choice = raw.get("choice")
            if choice in (None, ""):
                return None
            if str(choice) not in valid:
                raise ResponseError(_("Diese Auswahl gibt es nicht."))
            return {"choice": str(choice)}
        choices = raw.get("choices")
        if not isinstance(choices, list) or not {str(c) for c in choices} <= valid:
            raise ResponseError(_("Diese Auswahl gibt es nicht."))
        picked = sorted({str(c) for c in choices}, key=int)
        return {"choices": picked} if picked else None
    if kind == "truefalse":
        value = raw.get("value")
        if value in (None, ""):
            return None
        if isinstance(value, str) and value in ("true", "false"):
            value = value == "true"
        if not isinstance(value, bool):
            raise ResponseError(_("Bitte wählen Sie „Wahr“ oder „Falsch“."))
        return {"value": value}
    if kind in ("shortanswer", "numerical", "essay"):
        text = _text(raw.get("text", ""), MAX_ESSAY if kind == "essay" else MAX_TEXT)
        if kind == "numerical" and raw.get("unit"):
            unit = _text(raw["unit"], 50)
            return {"text": text, "unit": unit} if text or unit else None
        return {"text": text} if text.strip() else None
    if kind == "matching":
        pairs = raw.get("pairs")
        stems, options = _keys(len(layout.get("stems", []))), _keys(len(layout.get("options", [])))
        if not isinstance(pairs, dict):
            raise ResponseError(_("Die Zuordnung hat ein unbekanntes Format."))
        clean = {}
        for stem, option in pairs.items():
            if option in (None, ""):
                continue
            if str(stem) not in stems or str(option) not in options:
                raise ResponseError(_("Diese Zuordnung gibt es nicht."))
            clean[str(stem)] = str(option)
        return {"pairs": clean} if clean else None
    if kind == "ordering":
        order = raw.get("order")
        valid = _keys(len(layout.get("items", [])))
        if not isinstance(order, list) or len(order) != len(valid) or {str(o) for o in order} != valid:
            raise ResponseError(_("Bitte bringen Sie alle Einträge in eine Reihenfolge, jeden genau einmal."))
        return {"order": [str(o) for o in order]}
    if kind == "cloze":
        gaps = raw.get("gaps")
        parts = data.get("cloze_parts", [])
        if not isinstance(gaps, dict):
            raise ResponseError(_("Die Lückenantworten haben ein unbekanntes Format."))
        clean = {}
        for gap, value in gaps.items():
            if not str(gap).isdigit() or not 1 <= int(gap) <= len(parts):
                raise ResponseError(_("Diese Lücke gibt es nicht."))
            part = parts[int(gap) - 1]
            if value in (None, ""):
                continue
            if part.get("kind") == "multichoice":
                if str(value) not in _keys(len(part.get("answers", []))):
                    raise ResponseError(_("Diese Auswahl gibt es nicht."))
                clean[str(gap)] = str(value)
            else:
                clean[str(gap)] = _text(value, MAX_TEXT)
        return {"gaps": clean} if clean else None
    if kind == "description":
        return None
    raise ResponseError(_("Dieser Fragetyp kann nicht beantwortet werden."))


def response_from_form(data: dict[str, Any], layout: dict[str, Any], prefix: str, post: Any) -> dict[str, Any] | None:
    """The raw answer of one question from a plain HTML form post (the no-JavaScript path)."""
    kind = qtype(data)
    if kind == "multichoice":
        if data.get("single", True):
            return {"choice": post.get(prefix, "")}
        return {"choices": post.getlist(prefix)}
    if kind == "truefalse":
        return {"value": post.get(prefix, "")}
    if kind in ("shortanswer", "essay"):
        return {"text": post.get(prefix, "")}
    if kind == "numerical":
        return {"text": post.get(prefix, ""), "unit": post.get(f"{prefix}-unit", "")}
    if kind == "matching":
        return {"pairs": {str(k): post.get(f"{prefix}-{k}", "") for k in range(len(layout.get("stems", [])))}}
    if kind == "ordering":
        # Without JavaScript each item gets a position number; sort the keys by it.
        n = len(layout.get("items", []))
        positions = {}
        for key in range(n):
            raw = post.get(f"{prefix}-{key}", "")
            if not raw:
                return None if not any(post.get(f"{prefix}-{k}") for k in range(n)) else {"order": []}
            try:
                positions[str(key)] = int(raw)
            except ValueError:
                return {"order": []}
        if sorted(positions.values()) != list(range(1, n + 1)):
            return {"order": []}
        return {"order": sorted(positions, key=positions.__getitem__)}
    if kind == "cloze":
        return {"gaps": {str(n): post.get(f"{prefix}-{n}", "") for n in range(1, len(data.get("cloze_parts", [])) + 1)}}
    return None


# ---------------------------------------------------------------------------------------------
# Back to the question's own terms (for scoring and review)
# ---------------------------------------------------------------------------------------------


def response_to_source(data: dict[str, Any], layout: dict[str, Any], response: dict[str, Any] | None) -> Any:
    """Map display keys back to answer indices / texts of the question version."""
    if response is None:
        return None
    kind = qtype(data)
    if kind == "multichoice":
        order = layout["choices"]
        if "choice" in response:
            return {"choice": order[int(response["choice"])]}
        return {"choices": sorted(order[int(k)] for k in response["choices"])}
    if kind == "matching":
        options = _match_options(data)
        return {
            "pairs": {
                layout["stems"][int(stem)]: options[layout["options"][int(option)]]
                for stem, option in response["pairs"].items()
            }
        }
    if kind == "ordering":
        return {"order": [layout["items"][int(k)] for k in response["order"]]}
    if kind == "cloze":
        out = {}
        for gap, value in response["gaps"].items():
            part = data["cloze_parts"][int(gap) - 1]
            if part.get("kind") == "multichoice":
                order = layout.get("parts", {}).get(gap) or _neutral_order(
                    [a.get("text", "") for a in part.get("answers", [])]
                )
                out[int(gap)] = order[int(value)]
            else:
                out[int(gap)] = value
        return {"gaps": out}
    return response


def response_for_scoring(data: dict[str, Any], layout: dict[str, Any], response: dict[str, Any] | None) -> Any:
    """The stored response in the shape ``scoring.score_response`` expects (see its module doc)."""
    if response is None:
        return None
    kind = qtype(data)
    source = response_to_source(data, layout, response)
    answers = data.get("answers", [])
    if kind == "multichoice":
        if "choice" in source:
            return choice_key(source["choice"], answers[source["choice"]]["text"])
        return [choice_key(i, answers[i]["text"]) for i in source["choices"]]
    if kind == "truefalse":
        return bool(source["value"])
    if kind in ("shortanswer", "essay"):
        return source.get("text", "")
    if kind == "numerical":
        unit = source.get("unit", "")
        if not unit:
            return source.get("text", "")
        return f"{unit} {source.get('text', '')}" if data.get("units_left") else f"{source.get('text', '')} {unit}"
    if kind == "matching":
        pairs = data.get("match_pairs", [])
        return {choice_key(i, pairs[i]["question"]["text"]): text for i, text in source["pairs"].items()}
    if kind == "ordering":
        return [choice_key(i, answers[i]["text"]) for i in source["order"]]
    if kind == "cloze":
        parts = data.get("cloze_parts", [])
        out = {}
        for gap, value in source["gaps"].items():
            part = parts[gap - 1]
            if part.get("kind") == "multichoice":
                out[str(gap)] = choice_key(value, part["answers"][value]["text"])
            else:
                out[str(gap)] = value
        return out
    return None
