"""Check H5P content parameters (content.json) against a library's semantics.json.

The H5P editor builds content from a library's ``semantics.json``; H5P core's content
validator later refuses what does not fit it. This is the same check for content written
by hand (the demo's sources): every field a German message names by its path, e.g.
``content.questions.2.answers`` (list entries counted from 1, as a trainer counts).
Only the field types our own content types and the common Hub ones use are checked in
depth; the values of unknown types are left as they are, as core does for widgets.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed

TEXT_TYPES = {"text", "html"}
FILE_TYPES = {"image", "file", "video", "audio"}


class SemanticsError(ValidationFailed):
    """Content does not fit the semantics; ``field`` is its dotted path, ``message`` German
    (code ``h5p.content_semantics``, one of the application's errors)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__("h5p.content_semantics", message, extra={"field": field})
        self.field = field


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_text(field: dict[str, Any], value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise SemanticsError(where, _("Erwartet wird ein Text."))
    if not value.strip() and not field.get("optional"):
        raise SemanticsError(where, _("Der Text darf nicht leer sein."))
    max_length = field.get("maxLength")
    if isinstance(max_length, int) and len(value) > max_length:
        raise SemanticsError(
            where,
            _("Der Text ist länger als %(max)s Zeichen erlaubt (%(length)s).")
            % {"max": max_length, "length": len(value)},
        )


def _check_number(field: dict[str, Any], value: Any, where: str) -> None:
    if not _is_number(value):
        raise SemanticsError(where, _("Erwartet wird eine Zahl."))
    low, high = field.get("min"), field.get("max")
    if _is_number(low) and value < low:
        raise SemanticsError(where, _("Die Zahl ist kleiner als %(min)s.") % {"min": low})
    if _is_number(high) and value > high:
        raise SemanticsError(where, _("Die Zahl ist größer als %(max)s.") % {"max": high})
    decimals = field.get("decimals")
    if not decimals and isinstance(value, float) and not value.is_integer():
        raise SemanticsError(where, _("Erwartet wird eine ganze Zahl."))


def _check_select(field: dict[str, Any], value: Any, where: str) -> None:
    allowed = [option.get("value") for option in field.get("options", []) if isinstance(option, dict)]
    if value not in allowed:
        raise SemanticsError(
            where,
            _("„%(value)s“ ist nicht erlaubt (erlaubt: %(allowed)s).")
            % {"value": value, "allowed": ", ".join(str(a) for a in allowed)},
        )


def _check_list(field: dict[str, Any], value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise SemanticsError(where, _("Erwartet wird eine Liste."))
    low, high = field.get("min"), field.get("max")
    if isinstance(low, int) and len(value) < low:
        raise SemanticsError(
            where,
            _("Die Liste braucht mindestens %(min)s Einträge (hat %(count)s).") % {"min": low, "count": len(value)},
        )
    if isinstance(high, int) and len(value) > high:
        raise SemanticsError(
            where, _("Die Liste hat mehr als %(max)s Einträge (%(count)s).") % {"max": high, "count": len(value)}
        )
    item = field.get("field")
    if isinstance(item, dict):
        for number, entry in enumerate(value, start=1):
            check_field(item, entry, f"{where}.{number}")


def _check_group(field: dict[str, Any], value: Any, where: str) -> None:
    fields = [f for f in field.get("fields", []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    if len(fields) == 1 and not isinstance(value, dict):
        # H5P stores a group of one field as that field's value.
        check_field(fields[0], value, where)
        return
    if not isinstance(value, dict):
        raise SemanticsError(where, _("Erwartet wird eine Gruppe von Feldern („Feld: Wert“)."))
    check_fields(fields, value, where)


def check_field(field: dict[str, Any], value: Any, where: str) -> None:
    kind = field.get("type")
    if kind in TEXT_TYPES:
        _check_text(field, value, where)
    elif kind == "number":
        _check_number(field, value, where)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise SemanticsError(where, _("Erwartet wird true oder false."))
    elif kind == "select":
        _check_select(field, value, where)
    elif kind == "list":
        _check_list(field, value, where)
    elif kind == "group":
        _check_group(field, value, where)
    elif kind == "library":
        if not isinstance(value, dict) or not isinstance(value.get("library"), str):
            raise SemanticsError(where, _("Erwartet wird ein Unterinhalt mit „library“ (z. B. „H5P.Text 1.1“)."))
    elif kind in FILE_TYPES:
        if not isinstance(value, dict) or not isinstance(value.get("path"), str):
            raise SemanticsError(where, _("Erwartet wird eine Datei mit „path“."))


def check_fields(fields: list[dict[str, Any]], values: dict[str, Any], where: str) -> None:
    """Check a mapping of values against a list of field definitions (the top level or a group)."""
    known = {f["name"] for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SemanticsError(
            where,
            _("Unbekannte Felder: %(fields)s (erlaubt: %(known)s).")
            % {"fields": ", ".join(unknown), "known": ", ".join(sorted(known))},
        )
    for field in fields:
        name = field.get("name")
        if not isinstance(name, str):
            continue
        path = f"{where}.{name}"
        if name not in values:
            if field.get("optional") or "default" in field:
                continue
            raise SemanticsError(path, _("Das Pflichtfeld fehlt."))
        check_field(field, values[name], path)


def check_content(semantics: Any, content: Any, where: str = "content") -> None:
    """Raise :class:`SemanticsError` for the first field of ``content`` that does not fit."""
    if not isinstance(content, dict):
        raise SemanticsError(where, _("Erwartet wird eine Gruppe von Feldern („Feld: Wert“)."))
    fields = semantics if isinstance(semantics, list) else []
    check_fields(fields, content, where)
