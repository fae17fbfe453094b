"""Server-rendered charts: HTML bars and a small SVG trend, always next to a data table."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def bar_percent(value, maximum) -> str:
    """Width of a bar in percent of the largest value (as a CSS number, dot decimal)."""
    try:
        value, maximum = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        return "0"
    if maximum <= 0 or value <= 0:
        return "0"
    return f"{min(100.0, 100.0 * value / maximum):.1f}"


@register.filter
def get(mapping, key):
    """mapping[key] in templates (cells by figure name)."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.inclusion_tag("reports/includes/trend_svg.html")
def trend_svg(points, label: str):
    """A line of monthly values as SVG (points: [(month, value or None)]); gaps where a value is withheld."""
    width, height, pad = 600, 160, 24
    values = [value for _month, value in points if value is not None]
    top = max([1, *values])
    step = (width - 2 * pad) / max(1, len(points) - 1)
    coords = []
    for index, (month, value) in enumerate(points):
        if value is None:
            coords.append(None)
            continue
        x = pad + index * step
        y = height - pad - (height - 2 * pad) * value / top
        coords.append((round(x, 1), round(y, 1), month, value))
    segments: list[str] = []
    current: list[str] = []
    for coord in coords:
        if coord is None:
            if current:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{coord[0]},{coord[1]}")
    if current:
        segments.append(" ".join(current))
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "segments": segments,
        "dots": [c for c in coords if c is not None],
        "top": top,
        "label": label,
        "baseline": height - pad,
    }
