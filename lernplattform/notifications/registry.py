"""The kinds of message the platform sends, registered in code by the app that owns each.

The notifications app is a leaf: it knows no course, certificate or enrolment. An app that e-mails
people registers its kinds (in its ``AppConfig.ready()``) with the placeholders its messages offer and
German default texts; platform admins may override subject, text and HTML per kind in the Wagtail admin,
using only the placeholders the kind declares.

Kinds whose owning app has not registered them yet are pre-registered here as *provisional*, so that
templates can be edited and schedules written from the start; the owner's ``register_kind`` with the
same code replaces the provisional entry (its placeholders and defaults win).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# {{ name }}: the one placeholder syntax of editable templates. Deliberately not the Django template
# language: an editor's template must not reach tags, filters, the context's objects or the loaders.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Offered by every kind, filled in by the notifications app itself.
COMMON_PLACEHOLDERS: dict[str, Any] = {
    "recipient_name": _("Name der Empfängerin / des Empfängers"),
    "platform_name": _("Name der Plattform"),
    "site_url": _("Adresse der Plattform"),
}


@dataclass(frozen=True)
class NotificationKind:
    """What a kind of message is, which placeholders it offers and what it says by default."""

    code: str
    label: Any
    placeholders: Mapping[str, Any]
    default_subject: Any
    default_text: Any
    default_html: Any = ""
    # Mandatory messages (invitations, password reset, security) cannot be opted out of.
    mandatory: bool = False
    provisional: bool = False
    description: Any = ""
    all_placeholders: Mapping[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "all_placeholders", {**COMMON_PLACEHOLDERS, **self.placeholders})


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    *,
    code: str,
    label: Any,
    placeholders: Mapping[str, Any],
    default_subject: Any,
    default_text: Any,
    default_html: Any = "",
    mandatory: bool = False,
    description: Any = "",
    provisional: bool = False,
) -> NotificationKind:
    """Register a kind of message; the owner's registration replaces a provisional one.

    ``code`` is ``<app>.<event>`` (e.g. ``progress.due_soon``). The defaults may use only the
    declared placeholders and the common ones (``recipient_name``, ``platform_name``, ``site_url``).
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*", code):
        raise ImproperlyConfigured(f"Notification kind code {code!r} must look like '<app>.<event>'.")
    for name in placeholders:
        if not NAME.match(name):
            raise ImproperlyConfigured(f"Placeholder {name!r} of {code} must be lower case letters, digits, _.")
    kind = NotificationKind(
        code=code,
        label=label,
        placeholders=dict(placeholders),
        default_subject=default_subject,
        default_text=default_text,
        default_html=default_html,
        mandatory=mandatory,
        provisional=provisional,
        description=description,
    )
    for text in (default_subject, default_text, default_html):
        unknown = placeholders_unknown(kind=kind, text=str(text))
        if unknown:
            raise ImproperlyConfigured(f"Default text of {code} uses undeclared placeholders: {', '.join(unknown)}")
    existing = _kinds.get(code)
    if existing is not None and not existing.provisional:
        if provisional:
            return existing  # the owner registered first; the pre-registration steps aside
        if existing != kind:
            raise ImproperlyConfigured(f"Notification kind {code} is registered twice.")
    _kinds[code] = kind
    return kind


def kind_get(code: str) -> NotificationKind:
    """The registered kind, or ImproperlyConfigured (a programming error, not a user's)."""
    try:
        return _kinds[code]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown notification kind {code!r}; register it with register_kind().") from None


def kinds_all() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: str(kind.label))


def kind_exists(code: str) -> bool:
    return code in _kinds


def placeholders_used(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first use (raw, possibly malformed)."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def placeholders_unknown(*, kind: NotificationKind, text: str) -> list[str]:
    """Placeholders in a text that the kind does not offer (or that are not names at all)."""
    return [name for name in placeholders_used(text) if name not in kind.all_placeholders]


def placeholders_fill(text: str, values: Mapping[str, Any], *, escape=None) -> str:
    """Replace every ``{{ name }}`` with its value (escaped with ``escape`` when given, e.g. for HTML)."""

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        value = "" if value is None else str(value)
        return escape(value) if escape else value

    return PLACEHOLDER.sub(replace, text)
