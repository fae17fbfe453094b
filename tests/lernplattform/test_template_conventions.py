"""Conventions every template keeps, checked over all templates so a new one cannot forget them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("courses/*/templates"), *ROOT.glob("lernplattform/*/templates")]
TEMPLATES = sorted({path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")})
TABLE_WRAP = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_scrollable_tables_are_focusable_labelled_regions(path):
    """A table wider than a phone scrolls inside its region, which keyboard users must reach (WCAG 2.1.1)."""
    for tag in TABLE_WRAP.findall(path.read_text(encoding="utf-8")):
        assert 'tabindex="0"' in tag, f'{path}: {tag} needs tabindex="0"'
        assert 'role="region"' in tag, f'{path}: {tag} needs role="region"'
        assert "aria-label" in tag, f"{path}: {tag} needs aria-label or aria-labelledby"


def test_templates_were_found():
    assert len(TEMPLATES) > 20
