"""Errors raised by the format readers."""

from __future__ import annotations


class FormatError(Exception):
    """A file that cannot be read; carries the line and a German message.

    Readers raise on the first problem: an import is all or nothing, so
    nothing is saved from a file that raised this.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"Zeile {self.line}: {self.message}"


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
