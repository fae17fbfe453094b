"""Template filters of the quiz screens."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def points(value) -> str:
    """A mark as people write it: 1, 1,5, 0,25 (at most two decimals, no trailing zeros)."""
    if value in (None, ""):
        return "–"
    number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    places = (
        0 if number == number.to_integral_value() else (1 if number * 10 == (number * 10).to_integral_value() else 2)
    )
    return number_format(number, decimal_pos=places)
