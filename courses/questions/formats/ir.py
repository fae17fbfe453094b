"""Format-neutral intermediate representation of bank questions.

GIFT and Moodle XML are read into these dataclasses and written from them;
the Django models store one ``Question`` (as a JSON document, see
``question_to_dict``) per immutable question version.  The field set follows
Moodle's question data so that Moodle XML round-trips without loss: every
field Moodle XML carries for the supported types has a home here.

Fractions are Decimals in [-1, 1] (Moodle stores 7 decimal places, e.g.
0.3333333); they are never floats, so that equality after a round trip is exact.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class QuestionType(StrEnum):
    MULTICHOICE = "multichoice"
    MULTICHOICESET = "multichoiceset"
    GAPSELECT = "gapselect"
    DDWTOS = "ddwtos"
    RANDOMSAMATCH = "randomsamatch"
    TRUEFALSE = "truefalse"
    SHORTANSWER = "shortanswer"
    NUMERICAL = "numerical"
    CALCULATEDSIMPLE = "calculatedsimple"
    CALCULATED = "calculated"
    MATCHING = "matching"
    ORDERING = "ordering"
    CLOZE = "cloze"
    ESSAY = "essay"
    DESCRIPTION = "description"


class TextFormat(StrEnum):
    """Text formats, valued as Moodle XML writes them in ``format="..."``."""

    HTML = "html"
    MOODLE = "moodle_auto_format"
    PLAIN = "plain_text"
    MARKDOWN = "markdown"


# Types Moodle knows that we refuse (or skip on request).  Anything not in
# QuestionType is unsupported; these names only make the messages friendlier.
KNOWN_UNSUPPORTED_TYPES: dict[str, str] = {
    "calculatedmulti": "Berechnete Multiple-Choice",
    "ddimageortext": "Drag-and-Drop auf Bild",
    "ddmarker": "Drag-and-Drop-Markierungen",
    "missingtype": "Fehlender Fragetyp",
}

# Why a type Moodle ships is refused, for the import report (German, shown with the question).
UNSUPPORTED_REASONS: dict[str, str] = {
    "ddimageortext": (
        "Die Frage legt Texte oder Bilder auf Ablagezonen eines Hintergrundbilds, die nur über "
        "Pixelkoordinaten bestimmt sind; sie lässt sich hier weder per Tastatur noch mit einem "
        "Screenreader beantworten und wird daher nicht importiert (Bilder und Zonen gingen verloren). "
        "Bitte als Zuordnung oder Lückentext-Auswahl neu anlegen."
    ),
    "ddmarker": (
        "Die Frage lässt Markierungen auf Bereiche eines Hintergrundbilds ziehen (Kreise und Vielecke "
        "in Pixelkoordinaten); sie lässt sich hier weder per Tastatur noch mit einem Screenreader "
        "beantworten und wird daher nicht importiert. Bitte als Zuordnung oder Multiple Choice neu anlegen."
    ),
    "missingtype": "Moodle hat den Fragetyp dieser Frage beim Export selbst nicht mehr gekannt.",
}

DEFAULT_PENALTY = Decimal("0.3333333")


@dataclass
class FormattedText:
    text: str = ""
    format: TextFormat = TextFormat.HTML

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass
class Answer:
    """One answer alternative: choice, accepted short answer, number, ordered item."""

    text: str
    fraction: Decimal = Decimal(0)
    feedback: FormattedText = field(default_factory=FormattedText)
    format: TextFormat = TextFormat.PLAIN
    # Numerical and calculated: the error margin; None for other types.
    tolerance: Decimal | None = None
    # Calculated only (Moodle's question_calculated): 1 relative, 2 nominal, 3 geometric tolerance;
    # the right answer shown with ``answer_length`` decimals (format 1) or significant figures (2).
    tolerance_type: int | None = None
    answer_format: int | None = None
    answer_length: int | None = None


@dataclass
class MatchPair:
    """A matching row. An empty ``question`` text is a distractor answer."""

    question: FormattedText
    answer: str


@dataclass
class Unit:
    name: str
    multiplier: Decimal = Decimal(1)


@dataclass
class Hint:
    text: FormattedText
    show_num_correct: bool = False
    clear_wrong: bool = False


class ClozeKind(StrEnum):
    SHORTANSWER = "shortanswer"
    NUMERICAL = "numerical"
    MULTICHOICE = "multichoice"


class ClozeLayout(StrEnum):
    DROPDOWN = "dropdown"
    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


@dataclass
class ClozePart:
    """One embedded gap of a cloze question (Moodle's wrapped subquestion)."""

    kind: ClozeKind
    weight: int = 1
    answers: list[Answer] = field(default_factory=list)
    case_sensitive: bool = False  # SHORTANSWER_C
    single: bool = True  # False for MULTIRESPONSE
    shuffle: bool = False
    layout: ClozeLayout = ClozeLayout.DROPDOWN


@dataclass
class GapChoice:
    """One option of a select-missing-words (gapselect) or drag-into-text (ddwtos) question.

    ``[[n]]`` in the question text is a gap whose right option is the n-th choice (counted from 1
    over all choices); the gap offers the choices of that choice's group.
    """

    text: str
    group: int = 1
    # ddwtos only: the item may be put into more than one gap.
    infinite: bool = False


@dataclass
class Dataset:
    """The values of one wildcard ``{name}`` of a calculated question (Moodle's dataset definition).

    ``items`` are the values by item number (item 1 first), as Moodle writes them. ``status`` is
    "private" (this question's own) or "shared" (the category's, used by every calculated question
    of the category that names the wildcard); min/max/decimals/distribution say how values were drawn.
    """

    name: str
    status: str = "private"
    distribution: str = "uniform"
    minimum: str = "1"
    maximum: str = "10"
    decimals: str = "1"
    items: list[str] = field(default_factory=list)


@dataclass
class EmbeddedFile:
    """A file Moodle XML embeds in a question text (``<file name=… encoding="base64">``).

    The text refers to it as ``@@PLUGINFILE@@/<name>``. In a parsed file ``content`` holds the
    base64 as written; once imported the file is an image of the media library (``image_id``),
    the text points at it and ``content`` is empty. Export reads the image back.
    """

    name: str
    path: str = "/"
    content: str = ""
    image_id: int | None = None


@dataclass
class CategoryInfo:
    """A category named in a file, relative to the category imported into."""

    path: list[str]
    info: FormattedText = field(default_factory=FormattedText)
    idnumber: str = ""


@dataclass
class Question:
    qtype: QuestionType
    name: str
    text: FormattedText = field(default_factory=FormattedText)
    general_feedback: FormattedText = field(default_factory=FormattedText)
    default_mark: Decimal = Decimal(1)
    penalty: Decimal = DEFAULT_PENALTY
    hidden: bool = False
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    category_path: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)

    # Combined feedback (multichoice, multichoiceset, matching, ordering).
    correct_feedback: FormattedText = field(default_factory=FormattedText)
    partially_correct_feedback: FormattedText = field(default_factory=FormattedText)
    incorrect_feedback: FormattedText = field(default_factory=FormattedText)
    show_num_correct: bool = False

    # Multichoice (and multichoiceset: answers with fraction 1 are the right set, 0 the others).
    single: bool = True
    shuffle_answers: bool = True
    answer_numbering: str = "abc"
    show_standard_instruction: bool = True

    # Shortanswer.
    case_sensitive: bool = False

    # Numerical.
    units: list[Unit] = field(default_factory=list)
    unit_grading_type: int = 0  # 0 ignore, 1 penalty of response, 2 penalty of mark
    unit_penalty: Decimal = Decimal("0.1")
    show_units: int = 3  # 0 text input, 1 radio, 2 select, 3 none
    units_left: bool = False
    unit_instructions: FormattedText = field(default_factory=FormattedText)

    # Matching.
    match_pairs: list[MatchPair] = field(default_factory=list)

    # Ordering (qtype_ordering): answers are the items in correct order.
    layout_type: str = "VERTICAL"
    select_type: str = "ALL"
    select_count: int = 0
    grading_type: str = "ABSOLUTE_POSITION"
    show_grading: str = "SHOW"
    numbering_style: str = "none"

    # Cloze: ``text`` holds placeholders {#1}, {#2}, ... for ``cloze_parts``.
    cloze_parts: list[ClozePart] = field(default_factory=list)

    # Gapselect / ddwtos: ``text`` holds the gaps [[1]], [[2]], ... (see GapChoice).
    gap_choices: list[GapChoice] = field(default_factory=list)

    # Random short-answer matching (qtype_randomsamatch): how many short-answer questions of the
    # question's category (and, with ``subcats``, its subcategories) are drawn as stems.
    choose: int = 2
    subcats: bool = True

    # Calculated and calculatedsimple: the wildcards' values; answers are formulas (``{x} * {y}``).
    datasets: list[Dataset] = field(default_factory=list)
    synchronize: int = 0

    # Essay.
    response_format: str = "editor"
    response_required: bool = True
    response_field_lines: int = 15
    min_word_limit: int | None = None
    max_word_limit: int | None = None
    attachments: int = 0
    attachments_required: int = 0
    max_bytes: int = 0
    file_types_list: str = ""
    grader_info: FormattedText = field(default_factory=FormattedText)
    response_template: FormattedText = field(default_factory=FormattedText)

    # Files embedded in the question text (Moodle XML only).
    text_files: list[EmbeddedFile] = field(default_factory=list)

    # Where the question started in its source file; not part of equality.
    source_line: int | None = field(default=None, compare=False)


@dataclass
class UnsupportedItem:
    qtype: str
    name: str
    line: int | None

    @property
    def label(self) -> str:
        return KNOWN_UNSUPPORTED_TYPES.get(self.qtype, self.qtype)

    @property
    def reason(self) -> str:
        """Why the type is refused (German), "" for types nobody here knows."""
        return UNSUPPORTED_REASONS.get(self.qtype, "")


@dataclass
class RandomSlot:
    """A Moodle ``random`` entry: a quiz slot drawing one question from a category, not a question.

    Moodle 4 keeps these in the quiz (a slot's question set reference), not in the bank; a file
    still holds them when it was exported from an older Moodle. They are reported, never created
    as bank questions (docs/question-formats.md).
    """

    category_path: list[str]
    include_subcategories: bool
    name: str = ""
    line: int | None = None


@dataclass
class ParseResult:
    questions: list[Question] = field(default_factory=list)
    categories: list[CategoryInfo] = field(default_factory=list)
    unsupported: list[UnsupportedItem] = field(default_factory=list)
    # Moodle ``random`` entries (quiz slots, not questions), in file order.
    random_slots: list[RandomSlot] = field(default_factory=list)
    # German notes on things read but not kept (e.g. embedded files).
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExportResult:
    content: str
    # German notes of what the target format could not express, per question.
    losses: list[str] = field(default_factory=list)


# --- JSON (de)serialisation for storage -------------------------------------

_DECIMAL_FIELDS = {"fraction", "tolerance", "multiplier", "default_mark", "penalty", "unit_penalty"}


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def question_to_dict(question: Question) -> dict[str, Any]:
    data = _encode(question)
    data.pop("source_line", None)
    return data


def _decode(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    hints = _TYPE_HINTS[cls]
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        raw = data[f.name]
        kind = hints.get(f.name)
        if raw is None:
            kwargs[f.name] = None
        elif f.name in _DECIMAL_FIELDS:
            kwargs[f.name] = Decimal(raw)
        elif kind is not None and isinstance(kind, tuple):
            item_cls = kind[0]
            kwargs[f.name] = [_decode(item_cls, item) for item in raw]
        elif kind is not None and dataclasses.is_dataclass(kind):
            kwargs[f.name] = _decode(kind, raw)
        elif kind is not None and isinstance(kind, type) and issubclass(kind, StrEnum):
            kwargs[f.name] = kind(raw)
        elif isinstance(raw, list):
            kwargs[f.name] = list(raw)
        else:
            kwargs[f.name] = raw
    return cls(**kwargs)


# Field name -> dataclass / (list item dataclass,) / enum, for _decode.
_TYPE_HINTS: dict[type, dict[str, Any]] = {
    FormattedText: {"format": TextFormat},
    Answer: {"feedback": FormattedText, "format": TextFormat},
    MatchPair: {"question": FormattedText},
    Unit: {},
    Hint: {"text": FormattedText},
    ClozePart: {"kind": ClozeKind, "layout": ClozeLayout, "answers": (Answer,)},
    GapChoice: {},
    EmbeddedFile: {},
    Dataset: {},
    CategoryInfo: {"info": FormattedText},
    Question: {
        "qtype": QuestionType,
        "text": FormattedText,
        "general_feedback": FormattedText,
        "correct_feedback": FormattedText,
        "partially_correct_feedback": FormattedText,
        "incorrect_feedback": FormattedText,
        "grader_info": FormattedText,
        "response_template": FormattedText,
        "unit_instructions": FormattedText,
        "answers": (Answer,),
        "hints": (Hint,),
        "units": (Unit,),
        "match_pairs": (MatchPair,),
        "cloze_parts": (ClozePart,),
        "gap_choices": (GapChoice,),
        "text_files": (EmbeddedFile,),
        "datasets": (Dataset,),
    },
}


def question_from_dict(data: dict[str, Any]) -> Question:
    return _decode(Question, data)


# --- Category paths -----------------------------------------------------------

_CONTEXT_PREFIXES = ("$course$", "$system$", "$module$", "$coursecategory$", "$quiz$")


def split_category_path(raw: str) -> list[str]:
    """Split a Moodle category path; ``//`` is a literal slash in a name.

    Context prefixes ($course$, $system$, $cat1$ ...) and Moodle's "top"
    pseudo-category are dropped: the path is relative to the category the
    user imports into.
    """
    placeholder = "\ue0ff"
    parts = [p.replace(placeholder, "/").strip() for p in raw.replace("//", placeholder).split("/")]
    parts = [p for p in parts if p]
    if parts and (parts[0] in _CONTEXT_PREFIXES or (parts[0].startswith("$cat") and parts[0].endswith("$"))):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def join_category_path(path: list[str]) -> str:
    return "/".join(["$course$", "top", *(p.replace("/", "//") for p in path)])


# --- Gaps of select-missing-words and drag-into-text questions -----------------

GAP_PLACEHOLDER = re.compile(r"\[\[(\d+)\]\]")


def gap_places(text: str) -> list[int]:
    """The choice number (from 1) each gap ``[[n]]`` of the text asks for, gaps in text order."""
    return [int(n) for n in GAP_PLACEHOLDER.findall(text)]


def gap_problem(question: Question) -> str | None:
    """Why Moodle would not accept the gaps of a gapselect / ddwtos question (German), or None."""
    places = gap_places(question.text.text)
    if not places:
        return "Der Text braucht mindestens eine Lücke wie [[1]]."
    for number in places:
        if not 1 <= number <= len(question.gap_choices) or not question.gap_choices[number - 1].text.strip():
            return (
                f"Die Lücke [[{number}]] verweist auf keine Auswahlmöglichkeit (es gibt {len(question.gap_choices)})."
            )
    for choice in question.gap_choices:
        if choice.group < 1:
            return f"Die Gruppe von „{choice.text}“ muss eine Zahl ab 1 sein."
    return None
