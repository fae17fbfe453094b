"""Moodle XML reader and writer, as Moodle itself writes and reads the format.

Uploads are parsed with defusedxml (no DTDs, entities or external
references), so a hostile file cannot expand or fetch anything.  Each
``<question>`` keeps the line it starts on for error messages.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .cloze import parse_cloze, render_cloze_text
from .errors import FormatError, refuse_nul
from .formula import calculated_problem
from .grades import question_grades_for_export, question_grades_normalise
from .ir import (
    DEFAULT_PENALTY,
    Answer,
    CategoryInfo,
    Dataset,
    EmbeddedFile,
    ExportResult,
    FormattedText,
    GapChoice,
    Hint,
    MatchPair,
    ParseResult,
    Question,
    QuestionType,
    RandomSlot,
    TextFormat,
    Unit,
    UnsupportedItem,
    gap_problem,
    join_category_path,
    split_category_path,
)
from .numbers import format_decimal, fraction_to_percent, parse_decimal, percent_to_fraction

# Moodle's names for our types in <question type="...">.
_XML_TYPES = {
    "multichoice": QuestionType.MULTICHOICE,
    "multichoiceset": QuestionType.MULTICHOICESET,
    "truefalse": QuestionType.TRUEFALSE,
    "shortanswer": QuestionType.SHORTANSWER,
    "numerical": QuestionType.NUMERICAL,
    "calculatedsimple": QuestionType.CALCULATEDSIMPLE,
    "calculated": QuestionType.CALCULATED,
    "matching": QuestionType.MATCHING,
    "ordering": QuestionType.ORDERING,
    "cloze": QuestionType.CLOZE,
    "gapselect": QuestionType.GAPSELECT,
    "ddwtos": QuestionType.DDWTOS,
    "randomsamatch": QuestionType.RANDOMSAMATCH,
    "essay": QuestionType.ESSAY,
    "description": QuestionType.DESCRIPTION,
}
_TYPE_NAMES = {v: k for k, v in _XML_TYPES.items()}
# Moodle's trans_format: an unknown name is read as HTML. "wiki_like" (removed from Moodle's
# editors long ago) has no renderer here; Moodle's auto-format is the nearest.
_FORMATS = {f.value: f for f in TextFormat} | {"wiki_like": TextFormat.MOODLE}
_TAG = re.compile(r"<[^>]*>")
# Moodle's import_headers: "Fix problematic rounding from old files."
_PENALTY_ROUNDING = Decimal("0.005")


def _clean_name(raw: str) -> str:
    """Moodle's clean_question_name: no markup (PARAM_TEXT), trimmed, at most 255 characters."""
    name = " ".join(html.unescape(_TAG.sub("", raw)).split())
    return name if len(name) <= 255 else name[:254].rsplit(" ", 1)[0] + "…"


def _default_name(text: str) -> str:
    """Moodle's create_default_question_name: the start of the text, 80 characters."""
    plain = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    if len(plain) > 80:
        plain = plain[:80].rsplit(" ", 1)[0] + " …"
    return plain


class _LineTreeBuilder(TreeBuilder):
    """Remembers the source line of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _parse_tree(content: bytes | str) -> tuple[Element, dict[int, int]]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    if isinstance(content, str):
        content = content.encode("utf-8")
    try:
        parser.feed(content)
        root = parser.close()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(f"Die Datei ist kein gültiges XML ({_german_xml_error(exc)}).", line=line) from exc
    except DefusedXmlException as exc:
        raise FormatError(
            "Die Datei enthält eine DTD, Entitäten oder externe Verweise und wird aus Sicherheitsgründen abgelehnt."
        ) from exc
    return root, builder.lines


def _german_xml_error(exc: ParseError) -> str:
    message = str(exc).split(":")[0]
    translations = {
        "mismatched tag": "schließendes Tag passt nicht",
        "not well-formed (invalid token)": "ungültiges Zeichen",
        "no element found": "Datei endet unerwartet",
        "unclosed token": "nicht geschlossenes Element",
        "junk after document element": "Inhalt nach dem Wurzelelement",
        "syntax error": "Syntaxfehler",
    }
    return translations.get(message, message)


class _Reader:
    def __init__(self, lines: dict[int, int]) -> None:
        self.lines = lines
        self.line: int | None = None
        self.warnings: set[str] = set()

    def error(self, message: str, element: Element | None = None) -> FormatError:
        line = self.lines.get(id(element)) if element is not None else self.line
        return FormatError(message, line=line or self.line)

    # -- small getters ---------------------------------------------------------
    def text_of(self, element: Element | None, *, files_kept: bool = False) -> str:
        if element is None:
            return ""
        if element.find("file") is not None and not files_kept:
            self.warnings.add("Eingebettete Dateien (Bilder, Anhänge) werden nicht übernommen.")
        text = element.find("text")
        return (text.text or "").strip() if text is not None else ""

    def embedded_file(self, element: Element) -> EmbeddedFile:
        name = (element.get("name") or "").strip()
        if not name or "/" in name or (element.get("encoding") or "base64") != "base64":
            raise self.error('Eine eingebettete Datei braucht einen Namen ohne „/“ und encoding="base64".', element)
        content = "".join((element.text or "").split())
        return EmbeddedFile(name=name, path=(element.get("path") or "/").strip() or "/", content=content)

    def formatted(self, parent: Element, tag: str, default: TextFormat = TextFormat.HTML) -> FormattedText:
        element = parent.find(tag)
        if element is None:
            return FormattedText("", default)
        return FormattedText(self.text_of(element), self.format_of(element, default))

    def format_of(self, element: Element, default: TextFormat) -> TextFormat:
        raw = element.get("format")
        if raw is None:
            return default
        return _FORMATS.get(raw.strip(), TextFormat.HTML)

    def value(self, parent: Element, tag: str, default: str = "") -> str:
        element = parent.find(tag)
        if element is None:
            return default
        return (element.text or "").strip()

    def boolean(self, parent: Element, tag: str, default: bool) -> bool:
        raw = self.value(parent, tag, "").lower()
        if raw == "":
            return default
        if raw in ("1", "true"):
            return True
        if raw in ("0", "false"):
            return False
        raise self.error(f"<{tag}> muss true/false oder 1/0 sein, nicht „{raw}“.", parent.find(tag))

    def integer(self, parent: Element, tag: str, default: int | None) -> int | None:
        raw = self.value(parent, tag, "")
        if raw == "":
            return default
        if not re.fullmatch(r"-?\d+", raw):
            raise self.error(f"<{tag}> muss eine ganze Zahl sein, nicht „{raw}“.", parent.find(tag))
        return int(raw)

    def decimal(self, parent: Element, tag: str, default: Decimal) -> Decimal:
        raw = self.value(parent, tag, "")
        if raw == "":
            return default
        value = parse_decimal(raw)
        if value is None:
            raise self.error(f"<{tag}> muss eine Zahl sein, nicht „{raw}“.", parent.find(tag))
        return Decimal(format_decimal(value))

    def answer(self, element: Element, default_format: TextFormat, feedback_format: TextFormat | None = None) -> Answer:
        raw_fraction = element.get("fraction", "0")
        fraction = percent_to_fraction(raw_fraction)
        if fraction is None:
            raise self.error(f"Ungültiger Anteil fraction=„{raw_fraction}“.", element)
        return Answer(
            text=self.text_of(element),
            fraction=fraction,
            feedback=self.formatted(element, "feedback", feedback_format or default_format),
            format=self.format_of(element, default_format),
        )

    def combined_feedback(self, node: Element, question: Question) -> None:
        fmt = question.text.format
        question.correct_feedback = self.formatted(node, "correctfeedback", fmt)
        question.partially_correct_feedback = self.formatted(node, "partiallycorrectfeedback", fmt)
        question.incorrect_feedback = self.formatted(node, "incorrectfeedback", fmt)
        question.show_num_correct = node.find("shownumcorrect") is not None

    # -- questions ----------------------------------------------------------------
    def question(self, node: Element, qtype: QuestionType) -> Question:
        # Defaults as Moodle's qformat_xml has them when an element is missing: the question
        # text is HTML, every feedback, hint and grader text follows the question text's format.
        text_node = node.find("questiontext")
        text = (
            FormattedText(self.text_of(text_node, files_kept=True), self.format_of(text_node, TextFormat.HTML))
            if text_node is not None
            else FormattedText("", TextFormat.HTML)
        )
        penalty = self.decimal(node, "penalty", DEFAULT_PENALTY)
        if abs(penalty - DEFAULT_PENALTY) < _PENALTY_ROUNDING:
            penalty = DEFAULT_PENALTY
        question = Question(
            qtype=qtype,
            name=_clean_name(self.text_of(node.find("name"))),
            text=text,
            general_feedback=self.formatted(node, "generalfeedback", text.format),
            default_mark=self.decimal(node, "defaultgrade", Decimal(1)),
            penalty=penalty,
            hidden=self.boolean(node, "hidden", False),
            idnumber=self.value(node, "idnumber"),
        )
        if node.find("image") is not None or node.find("image_base64") is not None:
            self.warnings.add(
                f"Frage „{question.name or _default_name(text.text)}“: Das alte Element <image> (Bild aus Moodle 1.x) "
                "wird nicht übernommen."
            )
        # Moodle writes course-level tags apart from the others; here they are all tags.
        for container in ("coursetags", "tags"):
            tags = node.find(container)
            if tags is not None:
                question.tags += [t for t in (self.text_of(tag) for tag in tags.findall("tag")) if t]
        question.tags = list(dict.fromkeys(question.tags))
        for hint in node.findall("hint"):
            question.hints.append(
                Hint(
                    text=FormattedText(self.text_of(hint), self.format_of(hint, question.text.format)),
                    show_num_correct=hint.find("shownumcorrect") is not None,
                    clear_wrong=hint.find("clearwrong") is not None,
                )
            )
        if text_node is not None:
            question.text_files = [self.embedded_file(f) for f in text_node.findall("file")]
        getattr(self, f"_{qtype.value}")(node, question)
        if not question.name and qtype is QuestionType.CLOZE:
            # Moodle names a cloze question without <name> after the start of its text.
            question.name = _default_name(question.text.text)
        if not question.name:
            raise self.error("Frage ohne Namen (<name>).", node)
        return question

    def _multichoice(self, node: Element, q: Question) -> None:
        q.single = self.boolean(node, "single", True)
        q.shuffle_answers = self.boolean(node, "shuffleanswers", False)
        q.answer_numbering = self.value(node, "answernumbering", "abc") or "abc"
        q.show_standard_instruction = self.boolean(node, "showstandardinstruction", True)
        self.combined_feedback(node, q)
        q.answers = [self.answer(a, q.text.format) for a in node.findall("answer")]
        if len(q.answers) < 2:
            raise self.error("Eine Multiple-Choice-Frage braucht mindestens zwei Antworten.", node)

    def _multichoiceset(self, node: Element, q: Question) -> None:
        # As qtype_multichoiceset's import_from_xml reads it: shuffling on unless said otherwise, no
        # "partially correct" feedback (the type has none), and an answer belongs to the right set
        # when its fraction is not zero (older files say so in <correctanswer> instead).
        q.single = False
        q.shuffle_answers = self.boolean(node, "shuffleanswers", True)
        q.answer_numbering = self.value(node, "answernumbering", "abc") or "abc"
        fmt = q.text.format
        q.correct_feedback = self.formatted(node, "correctfeedback", fmt)
        q.incorrect_feedback = self.formatted(node, "incorrectfeedback", fmt)
        q.show_num_correct = node.find("shownumcorrect") is not None
        for element in node.findall("answer"):
            answer = self.answer(element, fmt)
            legacy = element.find("correctanswer")
            right = self.boolean(element, "correctanswer", False) if legacy is not None else answer.fraction != 0
            answer.fraction = Decimal(1 if right else 0)
            q.answers.append(answer)
        if len(q.answers) < 2:
            raise self.error("Eine Alles-oder-Nichts-Frage braucht mindestens zwei Antworten.", node)
        if not any(a.fraction for a in q.answers):
            raise self.error("Eine Alles-oder-Nichts-Frage braucht mindestens eine richtige Antwort.", node)

    def _truefalse(self, node: Element, q: Question) -> None:
        answers = [self.answer(a, TextFormat.MOODLE, q.text.format) for a in node.findall("answer")]
        if len(answers) != 2:
            raise self.error("Eine Wahr/Falsch-Frage braucht genau zwei Antworten (true und false).", node)
        texts = [a.text.lower() for a in answers]
        if sorted(texts) != ["false", "true"]:
            # Old Moodle files: first answer is "true", second "false".
            answers[0].text, answers[1].text = "true", "false"
        for a in answers:
            a.text = a.text.lower()
        answers.sort(key=lambda a: a.text != "true")
        q.answers = answers

    def _shortanswer(self, node: Element, q: Question) -> None:
        q.case_sensitive = self.boolean(node, "usecase", False)
        q.answers = [self.answer(a, TextFormat.MOODLE, q.text.format) for a in node.findall("answer")]
        if not q.answers:
            raise self.error("Eine Kurzantwortfrage braucht mindestens eine Antwort.", node)

    def _numerical(self, node: Element, q: Question) -> None:
        for element in node.findall("answer"):
            answer = self.answer(element, TextFormat.MOODLE, q.text.format)
            if answer.text != "*" and parse_decimal(answer.text) is None:
                raise self.error(f"„{answer.text}“ ist keine Zahl.", element)
            if answer.text != "*":
                answer.text = format_decimal(parse_decimal(answer.text) or Decimal(0))
            answer.tolerance = self.decimal(element, "tolerance", Decimal(0))
            q.answers.append(answer)
        if not q.answers:
            raise self.error("Eine numerische Frage braucht mindestens eine Antwort.", node)
        # Moodle: without <showunits>, units are optional if there are any, else not shown.
        self._units(node, q)

    def _units(self, node: Element, q: Question) -> None:
        units = node.find("units")
        if units is not None:
            for unit in units.findall("unit"):
                q.units.append(
                    Unit(name=self.value(unit, "unit_name"), multiplier=self.decimal(unit, "multiplier", Decimal(1)))
                )
        q.unit_grading_type = self.integer(node, "unitgradingtype", 0) or 0
        q.unit_penalty = self.decimal(node, "unitpenalty", Decimal("0.1"))
        q.show_units = self.integer(node, "showunits", 0 if q.units else 3)  # type: ignore[assignment]
        q.units_left = self.boolean(node, "unitsleft", False)
        instructions = node.find("instructions")
        q.unit_instructions = (
            FormattedText(self.text_of(instructions), self.format_of(instructions, q.text.format))
            if instructions is not None
            else FormattedText("", TextFormat.HTML)
        )

    def _calculated(self, node: Element, q: Question) -> None:
        # As qformat_xml's import_calculated reads it (calculated and calculatedsimple alike).
        q.synchronize = self.integer(node, "synchronize", 0) or 0
        q.single = self.boolean(node, "single", False)
        q.answer_numbering = self.value(node, "answernumbering", "abc") or "abc"
        q.shuffle_answers = self.boolean(node, "shuffleanswers", False)
        self.combined_feedback(node, q)
        for element in node.findall("answer"):
            answer = self.answer(element, TextFormat.MOODLE, q.text.format)
            # Moodle writes the formula without a format attribute: it is a formula, never markup.
            answer.format = TextFormat.PLAIN
            answer.tolerance = self.decimal(element, "tolerance", Decimal(0))
            answer.tolerance_type = self.integer(element, "tolerancetype", 1)
            answer.answer_format = self.integer(element, "correctanswerformat", 1)
            answer.answer_length = self.integer(element, "correctanswerlength", 2)
            if answer.tolerance_type not in (1, 2, 3):
                raise self.error(
                    f"<tolerancetype> muss 1 (relativ), 2 (nominal) oder 3 (geometrisch) sein, "
                    f"nicht „{answer.tolerance_type}“.",
                    element,
                )
            if answer.answer_format not in (1, 2):
                raise self.error(
                    "<correctanswerformat> muss 1 (Dezimalstellen) oder 2 (signifikante Stellen) sein, "
                    f"nicht „{answer.answer_format}“.",
                    element,
                )
            q.answers.append(answer)
        self._units(node, q)
        definitions = node.find("dataset_definitions")
        for definition in definitions.findall("dataset_definition") if definitions is not None else []:
            name = self.text_of(definition.find("name"))
            items: dict[int, str] = {}
            container = definition.find("dataset_items")
            for item in container.findall("dataset_item") if container is not None else []:
                number = self.integer(item, "number", None)
                if number is None or number < 1:
                    raise self.error(f"Wert ohne gültige <number> beim Platzhalter {{{name}}}.", item)
                items[number] = self.value(item, "value")
            q.datasets.append(
                Dataset(
                    name=name,
                    status=self.text_of(definition.find("status")) or "private",
                    distribution=self.text_of(definition.find("distribution")) or "uniform",
                    minimum=self.text_of(definition.find("minimum")),
                    maximum=self.text_of(definition.find("maximum")),
                    decimals=self.text_of(definition.find("decimals")),
                    items=[items[n] for n in sorted(items)],
                )
            )
        if q.qtype is QuestionType.CALCULATEDSIMPLE:
            for dataset in q.datasets:
                dataset.status = "private"
        if problem := calculated_problem(q):
            raise self.error(problem, node)

    _calculatedsimple = _calculated

    def _matching(self, node: Element, q: Question) -> None:
        q.shuffle_answers = self.boolean(node, "shuffleanswers", True)
        self.combined_feedback(node, q)
        for sub in node.findall("subquestion"):
            q.match_pairs.append(
                MatchPair(
                    question=FormattedText(self.text_of(sub), self.format_of(sub, q.text.format)),
                    answer=self.text_of(sub.find("answer")),
                )
            )
        if sum(1 for p in q.match_pairs if p.question.text) < 2:
            raise self.error("Eine Zuordnungsfrage braucht mindestens zwei Paare.", node)

    def _ordering(self, node: Element, q: Question) -> None:
        q.layout_type = self.value(node, "layouttype", "VERTICAL") or "VERTICAL"
        q.select_type = self.value(node, "selecttype", "ALL") or "ALL"
        q.select_count = self.integer(node, "selectcount", 0) or 0
        q.grading_type = self.value(node, "gradingtype", "ABSOLUTE_POSITION") or "ABSOLUTE_POSITION"
        q.show_grading = self.value(node, "showgrading", "SHOW") or "SHOW"
        q.numbering_style = self.value(node, "numberingstyle", "none") or "none"
        self.combined_feedback(node, q)
        # Items are in their correct order; Moodle ignores "fraction" on import.
        for element in node.findall("answer"):
            answer = self.answer(element, q.text.format)
            answer.fraction = Decimal(0)
            q.answers.append(answer)
        if len(q.answers) < 2:
            raise self.error("Eine Anordnungsfrage braucht mindestens zwei Elemente.", node)

    def _cloze(self, node: Element, q: Question) -> None:
        q.text.text, q.cloze_parts = parse_cloze(q.text.text, line=self.lines.get(id(node)))
        q.default_mark = Decimal(sum(p.weight for p in q.cloze_parts))

    def _gapselect(self, node: Element, q: Question) -> None:
        self._gaps(node, q, "selectoption")

    def _ddwtos(self, node: Element, q: Question) -> None:
        self._gaps(node, q, "dragbox")

    def _gaps(self, node: Element, q: Question, tag: str) -> None:
        # As qtype_gapselect's / qtype_ddwtos's import_from_xml read it: shuffling on unless said
        # otherwise, the combined feedback, and the choices in file order with their group (default 1).
        q.shuffle_answers = self.boolean(node, "shuffleanswers", True)
        self.combined_feedback(node, q)
        for element in node.findall(tag):
            group = self.integer(element, "group", 1)
            q.gap_choices.append(
                GapChoice(
                    text=self.text_of(element),
                    group=1 if group is None else group,
                    infinite=element.find("infinite") is not None,
                )
            )
        if problem := gap_problem(q):
            raise self.error(problem, node)

    def _randomsamatch(self, node: Element, q: Question) -> None:
        # As qtype_randomsamatch's import_from_xml reads it: <choose> (default 2) short-answer
        # questions of the category, <subcats> (default 1) whether its subcategories count, the
        # combined feedback and the hints. The choices are always shuffled; there is no element for it.
        q.choose = self.integer(node, "choose", 2) or 0
        q.subcats = self.boolean(node, "subcats", True)
        self.combined_feedback(node, q)
        if q.choose < 2:
            # Moodle's save_question_options: "At least two shortanswer questions need to be chosen!"
            raise self.error(
                "Eine zufällige Kurzantwortzuordnung muss mindestens zwei Kurzantwortfragen ziehen "
                f"(<choose> ist {q.choose}).",
                node.find("choose"),
            )

    def random_slot(self, node: Element, category: list[str]) -> RandomSlot:
        """A ``random`` entry: its question text is 1 (with subcategories) or 0, as Moodle wrote it."""
        raw = self.text_of(node.find("questiontext")).strip()
        if raw not in ("", "0", "1"):
            raise self.error(
                f"Eine Zufallsfrage hat als Fragetext 0 oder 1 (Unterkategorien einbeziehen), nicht „{raw[:40]}“.",
                node,
            )
        return RandomSlot(
            category_path=list(category),
            include_subcategories=raw == "1",
            name=_clean_name(self.text_of(node.find("name"))),
            line=self.line,
        )

    def _essay(self, node: Element, q: Question) -> None:
        q.response_format = self.value(node, "responseformat", "editor") or "editor"
        q.response_required = self.boolean(node, "responserequired", True)
        q.response_field_lines = self.integer(node, "responsefieldlines", 15) or 15
        q.min_word_limit = self.integer(node, "minwordlimit", None)
        q.max_word_limit = self.integer(node, "maxwordlimit", None)
        q.attachments = self.integer(node, "attachments", 0) or 0
        q.attachments_required = self.integer(node, "attachmentsrequired", 0) or 0
        q.max_bytes = self.integer(node, "maxbytes", 0) or 0
        q.file_types_list = self.value(node, "filetypeslist")
        q.grader_info = self.formatted(node, "graderinfo", q.text.format)
        q.response_template = self.formatted(node, "responsetemplate", q.text.format)

    def _description(self, node: Element, q: Question) -> None:
        return None


def read_moodle_xml(content: bytes | str) -> ParseResult:
    """Parse Moodle XML. Raises FormatError (with line) on the first problem."""
    refuse_nul(content)
    root, lines = _parse_tree(content)
    if root.tag != "quiz":
        raise FormatError(f"Wurzelelement muss <quiz> sein, nicht <{root.tag}>.", line=lines.get(id(root)))
    reader = _Reader(lines)
    result = ParseResult()
    category: list[str] = []
    for node in root:
        reader.line = lines.get(id(node))
        if node.tag != "question":
            raise reader.error(f"Unerwartetes Element <{node.tag}>; erwartet wird <question>.", node)
        raw_type = (node.get("type") or "").strip()
        if not raw_type:
            raise reader.error("<question> ohne Attribut type.", node)
        if raw_type == "category":
            category_node = node.find("category")
            if category_node is None:
                raise reader.error("Kategorie ohne <category>-Pfad.", node)
            category = split_category_path(reader.text_of(category_node))
            info = node.find("info")
            result.categories.append(
                CategoryInfo(
                    path=category,
                    # Moodle's import_category: no <info> is an empty Moodle-format text.
                    info=FormattedText(reader.text_of(info), reader.format_of(info, TextFormat.HTML))
                    if info is not None
                    else FormattedText("", TextFormat.MOODLE),
                    idnumber=reader.value(node, "idnumber"),
                )
            )
            continue
        if raw_type == "random":
            result.random_slots.append(reader.random_slot(node, category))
            continue
        if raw_type not in _XML_TYPES:
            name = " ".join(reader.text_of(node.find("name")).split())
            result.unsupported.append(UnsupportedItem(qtype=raw_type, name=name, line=reader.line))
            continue
        question = reader.question(node, _XML_TYPES[raw_type])
        question.category_path = list(category)
        question.source_line = reader.line
        question_grades_normalise(question)
        result.questions.append(question)
    _share_datasets(result.questions)
    result.warnings = sorted(reader.warnings)
    result.warnings += [_random_warning(slot) for slot in result.random_slots]
    return result


def _random_warning(slot: RandomSlot) -> str:
    place = " / ".join(slot.category_path) or "der Zielkategorie"
    scope = "mit Unterkategorien" if slot.include_subcategories else "ohne Unterkategorien"
    return (
        f"Zeile {slot.line}: „{slot.name or 'Zufallsfrage'}“ ist eine Zufallsfrage aus „{place}“ ({scope}). "
        "Wie in Moodle 4 wird sie nicht als Frage in die Fragensammlung übernommen: Zufallsfragen gehören "
        "zu einem Test. Fügen Sie im Test eine Zeile „Zufällig aus Kategorie“ mit dieser Kategorie hinzu."
    )


def _share_datasets(questions: list[Question]) -> None:
    """Moodle's rule for shared datasets on import (qtype_calculated::save_dataset_definitions).

    A shared wildcard belongs to the category: a later question of the same category naming it
    with the same options (distribution, minimum, maximum, decimals) uses the first one's values;
    with other options it gets a private dataset of its own.
    """
    seen: dict[tuple[tuple[str, ...], str], Dataset] = {}
    for question in questions:
        if question.qtype is not QuestionType.CALCULATED:
            continue
        for dataset in question.datasets:
            if dataset.status != "shared":
                continue
            key = (tuple(question.category_path), dataset.name)
            first = seen.setdefault(key, dataset)
            if first is dataset:
                continue
            options = (dataset.distribution, dataset.minimum, dataset.maximum, dataset.decimals)
            if options == (first.distribution, first.minimum, first.maximum, first.decimals):
                dataset.items = list(first.items)
            else:
                dataset.status = "private"


# --- Writer -------------------------------------------------------------------


def _escape(text: str) -> str:
    """Like Moodle: CDATA when the text holds markup characters."""
    if text and any(c in text for c in "<>&"):
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str, indent: int) -> str:
    return "  " * indent + f"<text>{_escape(value)}</text>\n"


def _ftext(tag: str, value: FormattedText, indent: int = 2, files: list[EmbeddedFile] | None = None) -> str:
    pad = "  " * indent
    embedded = "".join(
        f'{pad}  <file name="{html.escape(f.name)}" path="{html.escape(f.path)}" encoding="base64">{f.content}</file>\n'
        for f in files or []
    )
    return f'{pad}<{tag} format="{value.format.value}">\n{_text(value.text, indent + 1)}{embedded}{pad}</{tag}>\n'


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _answer(answer: Answer, extra: str = "", feedback: bool = True, fraction: str | None = None) -> str:
    fraction = fraction_to_percent(answer.fraction) if fraction is None else fraction
    out = f'    <answer fraction="{fraction}" format="{answer.format.value}">\n'
    out += _text(answer.text, 3)
    if feedback or answer.feedback.text:
        out += _ftext("feedback", answer.feedback, 3)
    return out + extra + "    </answer>\n"


def _combined_feedback(q: Question) -> str:
    out = _ftext("correctfeedback", q.correct_feedback)
    out += _ftext("partiallycorrectfeedback", q.partially_correct_feedback)
    out += _ftext("incorrectfeedback", q.incorrect_feedback)
    if q.show_num_correct:
        out += "    <shownumcorrect/>\n"
    return out


def _write_question(q: Question) -> str:
    text = q.text
    if q.qtype is QuestionType.CLOZE:
        text = FormattedText(render_cloze_text(q.text.text, q.cloze_parts), q.text.format)
    out = f'  <question type="{_TYPE_NAMES[q.qtype]}">\n'
    out += "    <name>\n" + _text(q.name, 3) + "    </name>\n"
    out += _ftext("questiontext", text, files=q.text_files)
    out += _ftext("generalfeedback", q.general_feedback)
    if q.qtype is not QuestionType.CLOZE:
        out += f"    <defaultgrade>{format_decimal(q.default_mark)}</defaultgrade>\n"
    out += f"    <penalty>{format_decimal(q.penalty)}</penalty>\n"
    out += f"    <hidden>{1 if q.hidden else 0}</hidden>\n"
    out += f"    <idnumber>{_plain(q.idnumber)}</idnumber>\n"
    out += _BODY[q.qtype](q)
    for hint in q.hints:
        out += f'    <hint format="{hint.text.format.value}">\n' + _text(hint.text.text, 3)
        if hint.show_num_correct:
            out += "      <shownumcorrect/>\n"
        if hint.clear_wrong:
            out += "      <clearwrong/>\n"
        out += "    </hint>\n"
    if q.tags:
        out += "    <tags>\n" + "".join(f"      <tag>{_text(t, 0).strip()}</tag>\n" for t in q.tags) + "    </tags>\n"
    return out + "  </question>\n"


def _body_multichoice(q: Question) -> str:
    out = f"    <single>{_bool(q.single)}</single>\n"
    out += f"    <shuffleanswers>{_bool(q.shuffle_answers)}</shuffleanswers>\n"
    out += f"    <answernumbering>{_plain(q.answer_numbering)}</answernumbering>\n"
    out += f"    <showstandardinstruction>{int(q.show_standard_instruction)}</showstandardinstruction>\n"
    out += _combined_feedback(q)
    return out + "".join(_answer(a) for a in q.answers)


def _body_multichoiceset(q: Question) -> str:
    # The elements qtype_multichoiceset's export_to_xml writes (no partially correct feedback).
    out = f"    <shuffleanswers>{_bool(q.shuffle_answers)}</shuffleanswers>\n"
    out += _ftext("correctfeedback", q.correct_feedback)
    out += _ftext("incorrectfeedback", q.incorrect_feedback)
    if q.show_num_correct:
        out += "    <shownumcorrect/>\n"
    out += f"    <answernumbering>{_plain(q.answer_numbering)}</answernumbering>\n"
    return out + "".join(_answer(a, fraction="100" if a.fraction > 0 else "0") for a in q.answers)


def _body_truefalse(q: Question) -> str:
    return "".join(_answer(a) for a in q.answers)


def _body_shortanswer(q: Question) -> str:
    return f"    <usecase>{int(q.case_sensitive)}</usecase>\n" + "".join(_answer(a) for a in q.answers)


def _units(q: Question) -> str:
    """The ``<units>`` block of numerical and calculated questions (empty without units)."""
    if not q.units:
        return ""
    out = "    <units>\n"
    for unit in q.units:
        out += (
            "      <unit>\n"
            f"        <multiplier>{format_decimal(unit.multiplier)}</multiplier>\n"
            f"        <unit_name>{_plain(unit.name)}</unit_name>\n"
            "      </unit>\n"
        )
    return out + "    </units>\n"


def _unit_settings(q: Question) -> str:
    """Unit grading, penalty, display and instructions (numerical and calculated, each in Moodle's order)."""
    out = f"    <unitgradingtype>{q.unit_grading_type}</unitgradingtype>\n"
    out += f"    <unitpenalty>{format_decimal(q.unit_penalty)}</unitpenalty>\n"
    out += f"    <showunits>{q.show_units}</showunits>\n"
    out += f"    <unitsleft>{int(q.units_left)}</unitsleft>\n"
    if q.unit_instructions.text:
        out += _ftext("instructions", q.unit_instructions)
    return out


def _body_numerical(q: Question) -> str:
    out = "".join(
        _answer(a, f"      <tolerance>{format_decimal(a.tolerance or Decimal(0))}</tolerance>\n") for a in q.answers
    )
    out += _units(q)
    out += _unit_settings(q)
    return out


def _body_calculated(q: Question) -> str:
    # The elements and order of qformat_xml's writequestion for calculated and calculatedsimple.
    out = f"    <synchronize>{q.synchronize}</synchronize>\n"
    out += f"    <single>{int(q.single)}</single>\n"
    out += f"    <answernumbering>{_plain(q.answer_numbering)}</answernumbering>\n"
    out += f"    <shuffleanswers>{int(q.shuffle_answers)}</shuffleanswers>\n"
    out += _combined_feedback(q)
    for answer in q.answers:
        out += f'    <answer fraction="{fraction_to_percent(answer.fraction)}">\n'
        out += _text(answer.text, 3)
        out += f"      <tolerance>{format_decimal(answer.tolerance or Decimal(0))}</tolerance>\n"
        out += f"      <tolerancetype>{answer.tolerance_type or 1}</tolerancetype>\n"
        out += f"      <correctanswerformat>{answer.answer_format or 1}</correctanswerformat>\n"
        length = 2 if answer.answer_length is None else answer.answer_length
        out += f"      <correctanswerlength>{length}</correctanswerlength>\n"
        out += _ftext("feedback", answer.feedback, 3)
        out += "    </answer>\n"
    out += _unit_settings(q)
    out += _units(q)
    if q.datasets:
        out += "    <dataset_definitions>\n"
        for d in q.datasets:
            out += "      <dataset_definition>\n"
            out += f"        <status>{_text(d.status, 0).strip()}</status>\n"
            out += f"        <name>{_text(d.name, 0).strip()}</name>\n"
            out += f"        <type>{_TYPE_NAMES[q.qtype]}</type>\n"
            out += f"        <distribution>{_text(d.distribution, 0).strip()}</distribution>\n"
            out += f"        <minimum>{_text(d.minimum, 0).strip()}</minimum>\n"
            out += f"        <maximum>{_text(d.maximum, 0).strip()}</maximum>\n"
            out += f"        <decimals>{_text(d.decimals, 0).strip()}</decimals>\n"
            out += f"        <itemcount>{len(d.items)}</itemcount>\n"
            if d.items:
                out += "        <dataset_items>\n"
                for number, value in enumerate(d.items, start=1):
                    out += (
                        "          <dataset_item>\n"
                        f"            <number>{number}</number>\n"
                        f"            <value>{_plain(value)}</value>\n"
                        "          </dataset_item>\n"
                    )
                out += "        </dataset_items>\n"
                out += f"        <number_of_items>{len(d.items)}</number_of_items>\n"
            out += "      </dataset_definition>\n"
        out += "    </dataset_definitions>\n"
    return out


def _body_matching(q: Question) -> str:
    out = f"    <shuffleanswers>{_bool(q.shuffle_answers)}</shuffleanswers>\n" + _combined_feedback(q)
    for pair in q.match_pairs:
        out += f'    <subquestion format="{pair.question.format.value}">\n' + _text(pair.question.text, 3)
        out += "      <answer>\n" + _text(pair.answer, 4) + "      </answer>\n    </subquestion>\n"
    return out


def _body_ordering(q: Question) -> str:
    out = f"    <layouttype>{_plain(q.layout_type)}</layouttype>\n"
    out += f"    <selecttype>{_plain(q.select_type)}</selecttype>\n"
    out += f"    <selectcount>{q.select_count}</selectcount>\n"
    out += f"    <gradingtype>{_plain(q.grading_type)}</gradingtype>\n"
    out += f"    <showgrading>{_plain(q.show_grading)}</showgrading>\n"
    out += f"    <numberingstyle>{_plain(q.numbering_style)}</numberingstyle>\n"
    out += _combined_feedback(q)
    for position, answer in enumerate(q.answers, start=1):
        # qtype_ordering writes the item's position as its fraction.
        out += _answer(answer, feedback=False, fraction=str(position))
    return out


def _body_gaps(q: Question, tag: str) -> str:
    # The elements qtype_gapselect's / qtype_ddwtos's export_to_xml write.
    out = f"    <shuffleanswers>{_bool(q.shuffle_answers)}</shuffleanswers>\n" + _combined_feedback(q)
    for choice in q.gap_choices:
        out += f"    <{tag}>\n" + _text(choice.text, 3) + f"      <group>{choice.group}</group>\n"
        if choice.infinite:
            out += "      <infinite/>\n"
        out += f"    </{tag}>\n"
    return out


def _body_randomsamatch(q: Question) -> str:
    # The elements qtype_randomsamatch's export_to_xml writes.
    out = f"    <choose>{q.choose}</choose>\n"
    out += f"    <subcats>{int(q.subcats)}</subcats>\n"
    return out + _combined_feedback(q)


def _body_essay(q: Question) -> str:
    out = f"    <responseformat>{_plain(q.response_format)}</responseformat>\n"
    out += f"    <responserequired>{int(q.response_required)}</responserequired>\n"
    out += f"    <responsefieldlines>{q.response_field_lines}</responsefieldlines>\n"
    out += f"    <minwordlimit>{'' if q.min_word_limit is None else q.min_word_limit}</minwordlimit>\n"
    out += f"    <maxwordlimit>{'' if q.max_word_limit is None else q.max_word_limit}</maxwordlimit>\n"
    out += f"    <attachments>{q.attachments}</attachments>\n"
    out += f"    <attachmentsrequired>{q.attachments_required}</attachmentsrequired>\n"
    out += f"    <maxbytes>{q.max_bytes}</maxbytes>\n"
    out += f"    <filetypeslist>{_plain(q.file_types_list)}</filetypeslist>\n"
    out += _ftext("graderinfo", q.grader_info)
    out += _ftext("responsetemplate", q.response_template)
    return out


_BODY: dict[QuestionType, Any] = {
    QuestionType.MULTICHOICE: _body_multichoice,
    QuestionType.MULTICHOICESET: _body_multichoiceset,
    QuestionType.TRUEFALSE: _body_truefalse,
    QuestionType.SHORTANSWER: _body_shortanswer,
    QuestionType.NUMERICAL: _body_numerical,
    QuestionType.CALCULATEDSIMPLE: _body_calculated,
    QuestionType.CALCULATED: _body_calculated,
    QuestionType.MATCHING: _body_matching,
    QuestionType.ORDERING: _body_ordering,
    QuestionType.CLOZE: lambda q: "",
    QuestionType.GAPSELECT: lambda q: _body_gaps(q, "selectoption"),
    QuestionType.DDWTOS: lambda q: _body_gaps(q, "dragbox"),
    QuestionType.RANDOMSAMATCH: _body_randomsamatch,
    QuestionType.ESSAY: _body_essay,
    QuestionType.DESCRIPTION: lambda q: "",
}


def _write_category(category: CategoryInfo) -> str:
    return (
        '  <question type="category">\n'
        "    <category>\n"
        + _text(join_category_path(category.path), 3)
        + "    </category>\n"
        + _ftext("info", category.info)
        + f"    <idnumber>{_plain(category.idnumber)}</idnumber>\n"
        "  </question>\n"
    )


def write_moodle_xml(questions: list[Question], categories: list[CategoryInfo] | None = None) -> ExportResult:
    """Write questions as Moodle XML; a category entry precedes each path change."""
    infos = {tuple(c.path): c for c in categories or []}
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    current: tuple[str, ...] | None = None
    written: set[tuple[str, ...]] = set()
    # Categories without questions still travel, so an empty subtree survives.
    for path, info in infos.items():
        if not any(tuple(q.category_path) == path for q in questions):
            out.append(_write_category(info))
            written.add(path)
    losses: list[str] = []
    for original in questions:
        question, refused = question_grades_for_export(original)
        if question is None:
            losses.append(str(refused))
            continue
        path = tuple(question.category_path)
        if path != current:
            current = path
            out.append(_write_category(infos.get(path, CategoryInfo(path=list(path)))))
        out.append(_write_question(question))
    out.append("</quiz>\n")
    return ExportResult(content="".join(out), losses=losses)
