"""Strict number parsing shared by the readers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_decimal(raw: str) -> Decimal | None:
    """The number in ``raw`` (a dot as decimal separator), or None."""
    raw = raw.strip()
    if not _NUMBER.match(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None


def format_decimal(value: Decimal) -> str:
    """Shortest plain notation: 1, 0.5, 33.33333, -100 (never 1E+2)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


def percent_to_fraction(raw: str) -> Decimal | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    # Moodle keeps seven decimal places of a fraction (33.33333 % -> 0.3333333).
    return _normal((value / 100).quantize(Decimal("0.0000001")))


def _normal(value: Decimal) -> Decimal:
    return Decimal(format_decimal(value))


def fraction_to_percent(fraction: Decimal) -> str:
    return format_decimal(fraction * 100)
