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


def test_a_field_with_an_error_names_it_for_screen_readers_and_keeps_its_help_text():
    """BITV 9.3.3.1 / WCAG 3.3.1: the error is text, the field is marked invalid and points to it."""
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        email = forms.EmailField(label="E-Mail-Adresse", help_text="Dienstliche Adresse")

    html = render_to_string("includes/form_field.html", {"field": Form({"email": "kaputt"})["email"]})
    field = re.search(r"<input\b[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert described == ["id_email_helptext", "id_email_error"], field
    assert 'id="id_email_error"' in html and 'id="id_email_helptext"' in html

    clean = render_to_string("includes/form_field.html", {"field": Form()["email"]})
    field = re.search(r"<input\b[^>]*>", clean).group(0)
    assert "aria-invalid" not in field and 'aria-describedby="id_email_helptext"' in field
