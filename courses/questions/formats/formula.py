"""Moodle's formula language for calculated questions, read by our own tokenizer and parser (no ``eval``).

A formula is numbers, wildcards ``{x}``, the operators ``+ - * /`` and the power ``^`` / ``**``
(right-associative, binding tighter than a unary minus: ``-2^2`` is -4, as in PHP), parentheses
and the functions Moodle's ``qtype_calculated_find_formula_errors`` allows. Anything else is refused
with a German ``FormulaError`` naming the character position (counted from 1).

Values are IEEE doubles, as PHP computes them in Moodle; a function outside its domain gives NaN
(PHP's ``sqrt(-1)``), a division by zero is an error (PHP 8 throws), as is an unknown wildcard.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed

from .ir import Dataset, Question

WILDCARD = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
# ``{=formula}`` in a question text or feedback: the value is shown in its place.
EXPRESSION = re.compile(r"\{=([^{}]*(?:\{[A-Za-z][A-Za-z0-9_]*\}[^{}]*)*)\}")
MAX_LENGTH = 1000


class FormulaError(ValidationFailed):
    """A formula that cannot be read or computed; the message is German and names the position."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__("questions.formula_invalid", message, extra={"position": position})
        self.position = position


def _round(x: float, places: float = 0) -> float:
    """PHP's round(): halves away from zero (Python's round() rounds halves to even)."""
    factor = 10.0 ** int(places)
    value = abs(x) * factor
    rounded = math.floor(value + 0.5)
    return math.copysign(rounded / factor, x)


def _log(x: float, base: float = math.e) -> float:
    return math.log(x) / math.log(base)


def _fmod(x: float, y: float) -> float:
    return math.fmod(x, y) if y else math.nan


def _pow(x: float, y: float) -> float:
    try:
        result = math.pow(x, y)
    except (ValueError, OverflowError):
        return math.nan
    return result


# name -> (function, least arguments, most arguments; None = any number)
FUNCTIONS: dict[str, tuple[Callable[..., float], int, int | None]] = {
    "pi": (lambda: math.pi, 0, 0),
    "abs": (abs, 1, 1),
    "acos": (math.acos, 1, 1),
    "acosh": (math.acosh, 1, 1),
    "asin": (math.asin, 1, 1),
    "asinh": (math.asinh, 1, 1),
    "atan": (math.atan, 1, 1),
    "atanh": (math.atanh, 1, 1),
    "ceil": (lambda x: float(math.ceil(x)), 1, 1),
    "cos": (math.cos, 1, 1),
    "cosh": (math.cosh, 1, 1),
    "deg2rad": (math.radians, 1, 1),
    "exp": (math.exp, 1, 1),
    "expm1": (math.expm1, 1, 1),
    "floor": (lambda x: float(math.floor(x)), 1, 1),
    "is_finite": (lambda x: float(math.isfinite(x)), 1, 1),
    "is_infinite": (lambda x: float(math.isinf(x)), 1, 1),
    "is_nan": (lambda x: float(math.isnan(x)), 1, 1),
    "log10": (math.log10, 1, 1),
    "log1p": (math.log1p, 1, 1),
    "rad2deg": (math.degrees, 1, 1),
    "sin": (math.sin, 1, 1),
    "sinh": (math.sinh, 1, 1),
    "sqrt": (math.sqrt, 1, 1),
    "tan": (math.tan, 1, 1),
    "tanh": (math.tanh, 1, 1),
    "atan2": (math.atan2, 2, 2),
    "fmod": (_fmod, 2, 2),
    "pow": (_pow, 2, 2),
    "log": (_log, 1, 2),
    "round": (_round, 1, 2),
    "max": (max, 1, None),
    "min": (min, 1, None),
}


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "wildcard", "name", "op", "(", ")", ",", "end"
    text: str
    position: int  # from 1


_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tokenize(formula: str) -> list[Token]:
    if len(formula) > MAX_LENGTH:
        raise FormulaError(_("Die Formel ist zu lang (höchstens %(n)d Zeichen).") % {"n": MAX_LENGTH})
    tokens: list[Token] = []
    i = 0
    while i < len(formula):
        char = formula[i]
        if char.isspace():
            i += 1
            continue
        if char == "{":
            match = WILDCARD.match(formula, i)
            if not match:
                raise FormulaError(
                    _("Position %(pos)d: Ein Platzhalter sieht aus wie {x} (Buchstabe, dann Buchstaben, Ziffern, _).")
                    % {"pos": i + 1},
                    position=i + 1,
                )
            tokens.append(Token("wildcard", match.group(1), i + 1))
            i = match.end()
            continue
        if char.isdigit() or (char == "." and formula[i + 1 : i + 2].isdigit()):
            match = _NUMBER.match(formula, i)
            assert match is not None  # noqa: S101 - a digit or ".digit" always starts a number
            tokens.append(Token("number", match.group(0), i + 1))
            i = match.end()
            continue
        if char.isalpha() or char == "_":
            match = _NAME.match(formula, i)
            assert match is not None  # noqa: S101
            tokens.append(Token("name", match.group(0), i + 1))
            i = match.end()
            continue
        if formula.startswith("**", i):
            tokens.append(Token("op", "^", i + 1))
            i += 2
            continue
        if char in "+-*/^":
            tokens.append(Token("op", char, i + 1))
        elif char in "(),":
            tokens.append(Token(char, char, i + 1))
        else:
            raise FormulaError(
                _("Position %(pos)d: „%(char)s“ ist in einer Formel nicht erlaubt.") % {"pos": i + 1, "char": char},
                position=i + 1,
            )
        i += 1
    tokens.append(Token("end", "", len(formula) + 1))
    return tokens


# The parsed formula: a small tree of tuples, evaluated without Python's eval.
Node = tuple


class _Parser:
    def __init__(self, formula: str) -> None:
        self.tokens = tokenize(formula)
        self.at = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, token: Token, expected: str) -> FormulaError:
        found = _("das Ende der Formel") if token.kind == "end" else f"„{token.text}“"
        return FormulaError(
            _("Position %(pos)d: %(expected)s erwartet, %(found)s gefunden.")
            % {"pos": token.position, "expected": expected, "found": found},
            position=token.position,
        )

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise FormulaError(_("Die Formel ist leer."), position=1)
        node = self.sum()
        if self.token.kind != "end":
            raise self.fail(self.token, _("Ein Operator oder eine schließende Klammer"))
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.token.kind == "op" and self.token.text in "+-":
            op = self.take().text
            node = ("op", op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in "*/":
            token = self.take()
            node = ("op", token.text, node, self.unary(), token.position)
        return node

    def unary(self) -> Node:
        if self.token.kind == "op" and self.token.text in "+-":
            op = self.take().text
            operand = self.unary()
            return ("neg", operand) if op == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.token.kind == "op" and self.token.text == "^":
            self.take()
            return ("op", "^", base, self.unary())
        return base

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return ("num", float(token.text))
        if token.kind == "wildcard":
            return ("var", token.text, token.position)
        if token.kind == "(":
            node = self.sum()
            if self.token.kind != ")":
                raise self.fail(self.token, _("Eine schließende Klammer"))
            self.take()
            return node
        if token.kind == "name":
            return self.call(token)
        raise self.fail(token, _("Eine Zahl, ein Platzhalter {x}, eine Funktion oder eine Klammer"))

    def call(self, token: Token) -> Node:
        if token.text not in FUNCTIONS:
            raise FormulaError(
                _("Position %(pos)d: Die Funktion „%(name)s“ gibt es nicht (Platzhalter schreibt man {%(name)s}).")
                % {"pos": token.position, "name": token.text},
                position=token.position,
            )
        if self.token.kind != "(":
            raise self.fail(self.token, _("Eine öffnende Klammer nach %(name)s") % {"name": token.text})
        self.take()
        args: list[Node] = []
        if self.token.kind != ")":
            args.append(self.sum())
            while self.token.kind == ",":
                self.take()
                args.append(self.sum())
        if self.token.kind != ")":
            raise self.fail(self.token, _("Ein Komma oder eine schließende Klammer"))
        self.take()
        _fn, least, most = FUNCTIONS[token.text]
        if len(args) < least or (most is not None and len(args) > most):
            if most is None:
                wanted = _("mindestens %(n)d") % {"n": least}
            elif least == most:
                wanted = str(least)
            else:
                wanted = _("%(a)d oder %(b)d") % {"a": least, "b": most}
            raise FormulaError(
                _("Position %(pos)d: %(name)s braucht %(wanted)s Argument(e), nicht %(n)d.")
                % {"pos": token.position, "name": token.text, "wanted": wanted, "n": len(args)},
                position=token.position,
            )
        return ("call", token.text, args)


def parse(formula: str) -> Node:
    """The formula as a tree; raises ``FormulaError`` with the position of the first problem."""
    return _Parser(formula).parse()


def wildcards(formula: str) -> list[str]:
    """The wildcard names a formula (or text) uses, in order of first use."""
    return list(dict.fromkeys(WILDCARD.findall(formula)))


def _evaluate(node: Node, values: dict[str, float]) -> float:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "var":
        if node[1] not in values:
            raise FormulaError(
                _("Position %(pos)d: Für den Platzhalter {%(name)s} gibt es keinen Datensatz.")
                % {"pos": node[2], "name": node[1]},
                position=node[2],
            )
        return values[node[1]]
    if kind == "neg":
        return -_evaluate(node[1], values)
    if kind == "call":
        fn, _least, _most = FUNCTIONS[node[1]]
        args = [_evaluate(arg, values) for arg in node[2]]
        try:
            return float(fn(*args))
        except (ValueError, OverflowError):
            return math.nan
    left, right = _evaluate(node[2], values), _evaluate(node[3], values)
    op = node[1]
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        if right == 0:
            raise FormulaError(
                _("Position %(pos)d: Division durch null.") % {"pos": node[4]},
                position=node[4],
            )
        return left / right
    return _pow(left, right)


def evaluate(formula: str | Node, values: dict[str, float]) -> float:
    """The formula's value for the wildcards' values (a NaN where a function leaves its domain)."""
    tree = parse(formula) if isinstance(formula, str) else formula
    return _evaluate(tree, values)


def php_float(value: float) -> str:
    """A double as PHP writes it with its default precision (14 significant digits): 0.1 + 0.2 is "0.3"."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == 0:
        return "0"
    text = f"{value:.14G}"
    if "E" in text:
        mantissa, exponent = text.split("E")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        exp = int(exponent)
        if -5 <= exp < 15:
            text = format(float(f"{mantissa}e{exp}"), "f")
        else:
            return f"{mantissa}E{'+' if exp > 0 else '-'}{abs(exp)}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_answer(value: float, length: int | None, fmt: int | None) -> str:
    """The right answer as Moodle shows it: ``length`` decimals (format 1) or significant figures (2).

    As qtype_calculated's format_float: significant figures only apply to a non-zero answer and switch
    to scientific notation when the decimal exponent is below -2 or above 4.
    """
    if not math.isfinite(value):
        return php_float(value)
    if length is None or fmt is None:
        return php_float(value)
    length = max(0, int(length))
    if fmt == 1:
        return f"{_round(value, length):.{length}f}"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    answer = abs(value)
    # p10: the answer is 0.d1d2... × 10^p10 with d1 != 0
    p10 = math.floor(math.log10(answer)) + 1
    mantissa = answer / 10.0**p10
    if mantissa >= 1:  # log10 rounding at exact powers of ten
        p10 += 1
        mantissa /= 10
    elif mantissa < 0.1:
        p10 -= 1
        mantissa *= 10
    digits = max(length, 1)
    mantissa = _round(mantissa, digits)
    if mantissa >= 1:
        p10 += 1
        mantissa /= 10
    if p10 < -2 or p10 > 4:
        shown = mantissa * 10
        if digits == 1:
            body = php_float(shown)
        else:
            body = f"{shown:.{digits - 1}f}"
        return f"{sign}{body}e{p10 - 1}"
    plain = mantissa * 10.0**p10
    decimals = max(digits - p10, 0)
    return f"{sign}{plain:.{decimals}f}"


def substitute(text: str, values: dict[str, str]) -> str:
    """A text with ``{=formula}`` computed and ``{x}`` replaced by the item's values (Moodle's order).

    A formula that cannot be computed stays as written, so an author sees what to fix.
    """
    numbers = {name: float(value) for name, value in values.items()}

    def expression(match: re.Match[str]) -> str:
        try:
            return php_float(evaluate(match.group(1), numbers))
        except FormulaError:
            return match.group(0)

    text = EXPRESSION.sub(expression, text)
    return WILDCARD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def item_count(datasets: list[Dataset]) -> int:
    """How many variants a question has: Moodle's smallest item count over its wildcards."""
    return min((len(d.items) for d in datasets), default=0)


def item_values(datasets: list[Dataset], item: int) -> dict[str, str]:
    """The wildcards' values of item ``item`` (from 1) as written in the datasets."""
    return {d.name: d.items[item - 1] for d in datasets if 1 <= item <= len(d.items)}


def calculated_problem(question: Question) -> str | None:
    """Why Moodle could not play a calculated question (German), or None.

    Every answer formula must parse, every wildcard it names needs a dataset with values, every
    value must be a number, and every formula must compute for every item (a division by zero
    in item 3 is found here, not by a learner).
    """
    if not question.answers:
        return _("Eine berechnete Frage braucht mindestens eine Antwortformel.")
    names = {d.name for d in question.datasets}
    for dataset in question.datasets:
        if not dataset.items:
            return _("Der Platzhalter {%(name)s} hat keine Werte.") % {"name": dataset.name}
        for number, value in enumerate(dataset.items, start=1):
            if _NUMBER_VALUE.fullmatch(value.strip()) is None:
                return _("Wert %(n)d von {%(name)s} ist keine Zahl: „%(value)s“.") % {
                    "n": number,
                    "name": dataset.name,
                    "value": value,
                }
    for answer in question.answers:
        if answer.text.strip() == "*":
            continue
        try:
            tree = parse(answer.text)
        except FormulaError as exc:
            return _("Formel „%(formula)s“: %(error)s") % {"formula": answer.text, "error": exc.message}
        for name in wildcards(answer.text):
            if name not in names:
                return _("Formel „%(formula)s“: Für den Platzhalter {%(name)s} gibt es keinen Datensatz.") % {
                    "formula": answer.text,
                    "name": name,
                }
        for item in range(1, item_count(question.datasets) + 1):
            values = {k: float(v) for k, v in item_values(question.datasets, item).items()}
            try:
                evaluate(tree, values)
            except FormulaError as exc:
                return _("Formel „%(formula)s“ mit Wertesatz %(item)d: %(error)s") % {
                    "formula": answer.text,
                    "item": item,
                    "error": exc.message,
                }
    return None


_NUMBER_VALUE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
