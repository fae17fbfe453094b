"""Moodle question formats (GIFT, Moodle XML) and their intermediate representation."""

from .errors import FormatError
from .gift import read_gift, write_gift
from .ir import ParseResult, Question, QuestionType
from .moodlexml import read_moodle_xml, write_moodle_xml

FORMATS = ("gift", "moodlexml")


def read_questions(content: bytes | str, *, fmt: str) -> ParseResult:
    """Read an uploaded file in ``fmt``; raises FormatError."""
    if fmt == "gift":
        if isinstance(content, bytes):
            try:
                content = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = content[: exc.start].count(b"\n") + 1
                raise FormatError("Die Datei ist nicht UTF-8-kodiert.", line=line) from exc
        return read_gift(content)
    if fmt == "moodlexml":
        return read_moodle_xml(content)
    raise FormatError(f"Unbekanntes Format „{fmt}“ (erlaubt: gift, moodlexml).")


__all__ = [
    "FORMATS",
    "FormatError",
    "ParseResult",
    "Question",
    "QuestionType",
    "read_gift",
    "read_moodle_xml",
    "read_questions",
    "write_gift",
    "write_moodle_xml",
]
