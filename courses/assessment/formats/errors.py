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
