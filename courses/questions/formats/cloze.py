"""Moodle's embedded-answers (cloze / multianswer) syntax.

A gap is written ``{WEIGHT:TYPE:ALTERNATIVES}`` inside the (HTML) question
text, e.g. ``{1:MULTICHOICE:=Berlin#Richtig~Bonn#Nicht mehr}``.  Alternatives
are separated by ``~``; each may start with ``=`` (100 %) or ``%50%`` and may
carry feedback after ``#``.  ``}``, ``#``, ``~`` and ``\\`` inside answers and
feedback are escaped with a backslash.

``parse_cloze`` replaces each gap by a ``{#n}`` placeholder (as Moodle
stores it) and returns the parts; ``render_cloze_text`` writes them back.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from .errors import FormatError
from .ir import Answer, ClozeKind, ClozeLayout, ClozePart, FormattedText, TextFormat
from .numbers import format_decimal, parse_decimal, percent_to_fraction

# Type code -> (kind, layout, single, shuffle, case_sensitive)
_TYPES: dict[str, tuple[ClozeKind, ClozeLayout, bool, bool, bool]] = {}


def _register(names: tuple[str, ...], spec: tuple[ClozeKind, ClozeLayout, bool, bool, bool]) -> None:
    for name in names:
        _TYPES[name] = spec


_D, _V, _H = ClozeLayout.DROPDOWN, ClozeLayout.VERTICAL, ClozeLayout.HORIZONTAL
_register(("NUMERICAL", "NM"), (ClozeKind.NUMERICAL, _D, True, False, False))
_register(("SHORTANSWER", "SA", "MW"), (ClozeKind.SHORTANSWER, _D, True, False, False))
_register(("SHORTANSWER_C", "SAC", "MWC"), (ClozeKind.SHORTANSWER, _D, True, False, True))
_register(("MULTICHOICE", "MC"), (ClozeKind.MULTICHOICE, _D, True, False, False))
_register(("MULTICHOICE_V", "MCV"), (ClozeKind.MULTICHOICE, _V, True, False, False))
_register(("MULTICHOICE_H", "MCH"), (ClozeKind.MULTICHOICE, _H, True, False, False))
_register(("MULTICHOICE_S", "MCS"), (ClozeKind.MULTICHOICE, _D, True, True, False))
_register(("MULTICHOICE_VS", "MCVS"), (ClozeKind.MULTICHOICE, _V, True, True, False))
_register(("MULTICHOICE_HS", "MCHS"), (ClozeKind.MULTICHOICE, _H, True, True, False))
_register(("MULTIRESPONSE", "MR"), (ClozeKind.MULTICHOICE, _V, False, False, False))
_register(("MULTIRESPONSE_H", "MRH"), (ClozeKind.MULTICHOICE, _H, False, False, False))
_register(("MULTIRESPONSE_S", "MRS"), (ClozeKind.MULTICHOICE, _V, False, True, False))
_register(("MULTIRESPONSE_HS", "MRHS"), (ClozeKind.MULTICHOICE, _H, False, True, False))

_START = re.compile(r"\{(\d*):([A-Z_]+):")
_PLACEHOLDER = re.compile(r"\{#(\d+)\}")
_UNESCAPE = re.compile(r"\\([}#~/\"\\])")


def _unescape(text: str) -> str:
    return html.unescape(_UNESCAPE.sub(r"\1", text)).strip()


def _escape(text: str) -> str:
    text = html.escape(text, quote=False)
    for char in ("\\", "}", "#", "~"):
        text = text.replace(char, "\\" + char)
    return text


def _find_end(text: str, start: int) -> int:
    """Index of the unescaped ``}`` closing a gap, or -1."""
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "}":
            return i
        i += 1
    return -1


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        # "&#39;" is an HTML entity, not a feedback separator.
        if char == sep and not (sep == "#" and i > 0 and text[i - 1] == "&"):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


_FRACTION = re.compile(r"^%(-?[0-9]+(?:[.,][0-9]*)?)%")
_NUMERIC_ANSWER = re.compile(
    r"^(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?)"
    r"(?::(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?))?$"
)


def _parse_part(weight: str, code: str, body: str, line: int | None, number: int = 1) -> ClozePart:
    kind, layout, single, shuffle, case_sensitive = _TYPES[code]
    part = ClozePart(
        kind=kind,
        weight=int(weight) if weight else 1,
        case_sensitive=case_sensitive,
        single=single,
        shuffle=shuffle,
        layout=layout,
    )
    has_specific_fraction = False
    for alternative in _split_unescaped(body, "~"):
        if not alternative.strip():
            continue
        fraction = Decimal(0)
        if alternative.startswith("="):
            fraction = Decimal(1)
            alternative = alternative[1:]
        elif match := _FRACTION.match(alternative):
            value = percent_to_fraction(match.group(1).replace(",", "."))
            if value is None:  # pragma: no cover - regex guarantees a number
                raise FormatError(f"Ungültige Gewichtung „{match.group(0)}“ in einer Lücke.", line=line)
            fraction = value
            has_specific_fraction = True
            alternative = alternative[match.end() :]
        answer_raw, *feedback_raw = _split_unescaped(alternative, "#")
        feedback = FormattedText(_unescape("#".join(feedback_raw)), TextFormat.HTML)
        answer = Answer(text="", fraction=fraction, feedback=feedback, format=TextFormat.HTML)
        if kind is ClozeKind.NUMERICAL:
            answer.format = TextFormat.PLAIN
            numeric = _NUMERIC_ANSWER.match(answer_raw.strip())
            if numeric:
                answer.text = format_decimal(Decimal(numeric.group(1).replace(",", ".")))
                tolerance = numeric.group(2)
                answer.tolerance = Decimal(tolerance.replace(",", ".")) if tolerance else Decimal(0)
            elif answer_raw.strip() == "*":
                answer.text = "*"
                answer.tolerance = Decimal(0)
            else:
                raise FormatError(f"Die numerische Lücke enthält keine Zahl: „{_unescape(answer_raw)}“.", line=line)
        else:
            answer.text = _unescape(answer_raw)
            if kind is ClozeKind.SHORTANSWER:
                answer.format = TextFormat.PLAIN
        part.answers.append(answer)
    if not part.answers:
        raise FormatError("Eine Lücke enthält keine Antwort.", line=line)
    if kind is ClozeKind.MULTICHOICE and len(part.answers) < 2:
        raise FormatError("Eine Auswahl-Lücke braucht mindestens zwei Antworten.", line=line)
    if kind is ClozeKind.MULTICHOICE and not single:
        # Moodle: positive weights of a multi-response gap add up to 1; without
        # explicit percentages each wrong choice cancels one right one.
        total = sum((a.fraction for a in part.answers if a.fraction > 0), Decimal(0))
        if total:
            for a in part.answers:
                if a.fraction > 0:
                    a.fraction = Decimal(format_decimal((a.fraction / total).quantize(Decimal("0.0000001"))))
                elif not has_specific_fraction:
                    a.fraction = Decimal(format_decimal((-1 / total).quantize(Decimal("0.0000001"))))
    # Moodle (qtype_multianswer_validate_question) refuses a gap nobody can get full marks for:
    # one answer at 100 %, or for a multi-response gap at least one above 0 %.
    full_marks = any(a.fraction > 0 for a in part.answers) if not single else any(a.fraction == 1 for a in part.answers)
    if not full_marks:
        raise FormatError(
            f"Lücke {number} ({{{weight}:{code}:…}}) hat keine Antwort mit 100 %: so könnte niemand die volle "
            "Punktzahl erreichen, und Moodle lehnt solche Lückentexte ab. Markieren Sie die richtige Antwort "
            "mit = oder %100%.",
            line=line,
        )
    return part


def parse_cloze(text: str, *, line: int | None = None) -> tuple[str, list[ClozePart]]:
    """Replace the gaps in ``text`` by ``{#n}`` and return them in order."""
    out: list[str] = []
    parts: list[ClozePart] = []
    pos = 0
    while True:
        match = _START.search(text, pos)
        if match is None:
            out.append(text[pos:])
            break
        code = match.group(2)
        if code not in _TYPES:
            # Moodle leaves unknown codes as text; so do we.
            out.append(text[pos : match.end()])
            pos = match.end()
            continue
        end = _find_end(text, match.end())
        if end < 0:
            raise FormatError(f"Die Lücke „{match.group(0)}…“ wird nicht mit }} geschlossen.", line=line)
        parts.append(_parse_part(match.group(1), code, text[match.end() : end], line, len(parts) + 1))
        out.append(text[pos : match.start()])
        out.append(f"{{#{len(parts)}}}")
        pos = end + 1
    if not parts:
        raise FormatError("Der Lückentext enthält keine Lücke der Form {1:SHORTANSWER:=…}.", line=line)
    return "".join(out), parts


def _type_code(part: ClozePart) -> str:
    if part.kind is ClozeKind.NUMERICAL:
        return "NUMERICAL"
    if part.kind is ClozeKind.SHORTANSWER:
        return "SHORTANSWER_C" if part.case_sensitive else "SHORTANSWER"
    base = "MULTICHOICE" if part.single else "MULTIRESPONSE"
    suffix = {ClozeLayout.DROPDOWN: "", ClozeLayout.VERTICAL: "V", ClozeLayout.HORIZONTAL: "H"}[part.layout]
    if not part.single:
        # Multi-response has no dropdown; vertical is its plain form.
        suffix = "H" if part.layout is ClozeLayout.HORIZONTAL else ""
    if part.shuffle:
        suffix += "S"
    return f"{base}_{suffix}" if suffix else base


def encode_part(part: ClozePart) -> str:
    alternatives = []
    for answer in part.answers:
        if answer.fraction == 1 and part.single:
            prefix = "="
        elif answer.fraction != 0 or not part.single:
            # Multi-response always spells weights out: a bare "=" would make
            # Moodle turn the unweighted wrong answers negative.
            prefix = f"%{format_decimal(answer.fraction * 100)}%" if answer.fraction != 0 else ""
        else:
            prefix = ""
        if part.kind is ClozeKind.NUMERICAL and answer.text != "*":
            body = f"{answer.text}:{format_decimal(answer.tolerance or Decimal(0))}"
        else:
            body = _escape(answer.text)
        if answer.feedback.text:
            body += "#" + _escape(answer.feedback.text)
        alternatives.append(prefix + body)
    return f"{{{part.weight}:{_type_code(part)}:{'~'.join(alternatives)}}}"


def render_cloze_text(text: str, parts: list[ClozePart]) -> str:
    """The question text with its gaps written in Moodle's embedded syntax."""

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if 0 <= index < len(parts):
            return encode_part(parts[index])
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def validate_numeric(text: str) -> bool:
    return parse_decimal(text) is not None
