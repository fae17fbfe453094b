"""Errors raised by the format readers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lernplattform.core.errors import ValidationFailed


class FormatError(ValidationFailed):
    """A file that cannot be read; carries the line and a German message (code ``questions.format_invalid``).

    Readers raise on the first problem: an import is all or nothing, so
    nothing is saved from a file that raised this.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__("questions.format_invalid", message, extra={"line": line} if line is not None else None)
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Zeile %(line)s: %(message)s") % {"line": self.line, "message": self.message}


NUL_MESSAGE = (
    "Die Datei enthält ein Nullzeichen (NUL, Byte 0). Solche Dateien sind beschädigt oder keine "
    "Textdatei; bitte speichern Sie sie neu als UTF-8-Text."
)


def refuse_nul(content: bytes | str) -> None:
    """A NUL byte never belongs in GIFT or Moodle XML (and PostgreSQL cannot store it in text)."""
    nul = b"\x00" if isinstance(content, bytes) else "\x00"
    position = content.find(nul)  # type: ignore[arg-type]
    if position < 0:
        return
    newline = b"\n" if isinstance(content, bytes) else "\n"
    raise FormatError(NUL_MESSAGE, line=content.count(newline, 0, position) + 1)  # type: ignore[arg-type]
