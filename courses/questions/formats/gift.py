"""GIFT reader and writer with Moodle's semantics.

Follows Moodle's GIFT documentation and the behaviour of Moodle's own
importer: questions are separated by blank lines, lines starting with ``//``
are comments, ``::title::`` names a question, ``$CATEGORY:`` switches the
category, ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n`` are escapes, and the kind of
question follows from the answer block:

===========================  =========================================
``{}``                       essay
no answer block              description
``{#...}``                   numerical (``1822:5``, ``1..5``, several ``=``)
contains ``~``               multiple choice (single if it contains ``=``)
``=`` and ``->``             matching
``T``/``TRUE``/``F``/``FALSE`` true/false (``#wrong#right`` feedback)
otherwise                    short answer
===========================  =========================================

Text before the answer block with more text after it is Moodle's "missing
word" form: the block is replaced by ``_____`` in the question text.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from .errors import FormatError, refuse_nul
from .grades import question_grades_for_export, question_grades_normalise
from .ir import (
    DEFAULT_PENALTY,
    Answer,
    CategoryInfo,
    ExportResult,
    FormattedText,
    MatchPair,
    ParseResult,
    Question,
    QuestionType,
    TextFormat,
    join_category_path,
    split_category_path,
)
from .numbers import format_decimal, parse_decimal, percent_to_fraction

# Escaped control characters are swapped for private-use code points before
# parsing and swapped back afterwards (Moodle uses "&&058;"-style markers).
_ESCAPES = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
    "\\": "\ue007",
}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"\\([:#={}~n\\])")

_GIFT_FORMATS = {
    "moodle": TextFormat.MOODLE,
    "html": TextFormat.HTML,
    "plain": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
_FORMAT_NAMES = {v: k for k, v in _GIFT_FORMATS.items()}

# Moodle's weight pattern: "%50%", "%-33.33333%", "%100%".
_WEIGHT_RE = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], text)


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


_PRE_OPEN = re.compile(r"<pre[\s>]", re.IGNORECASE)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.IGNORECASE)


def _layout_indentation_dropped(text: str, fmt: TextFormat) -> str:
    """Drop the indentation of continuation lines, as Moodle does, where it is only layout.

    Moodle trims every line of a GIFT file. Indentation means something in Markdown (nested
    lists, code) and inside ``<pre>``; there we keep it, elsewhere we trim like Moodle.
    """
    if fmt is TextFormat.MARKDOWN or "\n" not in text:
        return text
    out: list[str] = []
    depth = 0
    for line in text.split("\n"):
        out.append(line if depth > 0 else line.lstrip())
        depth = max(0, depth + len(_PRE_OPEN.findall(line)) - len(_PRE_CLOSE.findall(line)))
    return "\n".join(out)


def _with_format(text: str, default: TextFormat) -> FormattedText:
    """Moodle's parse_text_with_format: an optional leading [html] etc."""
    text = text.strip()
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in _GIFT_FORMATS:
            fmt = _GIFT_FORMATS[text[1:end]]
            text = text[end + 1 :]
    # Before _restore: an escaped \\n keeps what follows it, as in Moodle.
    return FormattedText(_restore(_layout_indentation_dropped(text, fmt)).strip(), fmt)


def _split_feedback(answer: str, default: TextFormat) -> tuple[FormattedText, FormattedText]:
    text, _, feedback = answer.partition("#")
    return _with_format(text, default), _with_format(feedback, default)


def _weight(answer: str, line: int) -> tuple[Decimal | None, str]:
    match = _WEIGHT_RE.match(answer)
    if not match:
        return None, answer
    end = answer.index("%", 1)
    value = percent_to_fraction(answer[1:end])
    if value is None:
        raise FormatError(f"Ungültige Gewichtung „{answer[: end + 1]}“.", line=line)
    return value, answer[end + 1 :]


def _default_name(text: str) -> str:
    plain = re.sub(r"<[^>]*>", " ", text)
    plain = " ".join(html.unescape(plain).split())
    if len(plain) > 80:
        plain = plain[:80].rsplit(" ", 1)[0] + " …"
    return plain or "Frage"


def _split_alternatives(answer_text: str, sep: str) -> list[str]:
    parts = [p.strip() for p in answer_text.split(sep)]
    if parts and not parts[0]:
        parts = parts[1:]
    return parts


def _blocks(content: str) -> list[tuple[int, list[str]]]:
    """Group lines into (first line number, lines) blocks split by blank lines.

    Lines keep their leading whitespace: ``_with_format`` decides where it matters.
    """
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


# Moodle's qformat_gift::extract_idnumber_and_tags_from_comment: "[id:…]" (first one) and
# "[tag:…]" in the question's comment lines; "\]" stands for "]" inside them.
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")


def _idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    match = _ID_RE.search(comments)
    idnumber = match.group(1).replace("\\]", "]").strip() if match else ""
    tags = [raw.replace("\\]", "]").strip() for raw in _TAG_RE.findall(comments)]
    return idnumber, list(dict.fromkeys(t for t in tags if t))


def read_gift(content: str) -> ParseResult:
    """Parse a GIFT file; raises FormatError on the first malformed question."""
    refuse_nul(content)
    content = content.removeprefix("\ufeff")
    result = ParseResult()
    category: list[str] = []
    for start, lines in _blocks(content):
        # Comment lines are blanked, as Moodle does, keeping line numbers; they may carry
        # the question's ID number and tags.
        comments = "\n".join(line.strip() for line in lines if line.strip().startswith("//"))
        lines = [" " if line.strip().startswith("//") else line for line in lines]
        text = "\n".join(lines).strip()
        if not text:
            continue
        text = _protect(text)
        if text.startswith("$CATEGORY:"):
            category = split_category_path(_restore(text[len("$CATEGORY:") :].strip()))
            result.categories.append(CategoryInfo(path=category))
            continue
        line = start + next(i for i, raw in enumerate(lines) if raw.strip())
        question = _read_question(text, line)
        question.idnumber, question.tags = _idnumber_and_tags(comments)
        question.category_path = list(category)
        question.source_line = line
        question_grades_normalise(question)
        result.questions.append(question)
    return result


def _read_question(text: str, line: int) -> Question:
    name: str | None = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            name = " ".join(_restore(text[2:end]).split())
            text = text[end + 2 :].strip()
        else:
            text = text[2:]

    start = text.find("{")
    finish = text.find("}")
    if start < 0 and finish < 0:
        question_text = _with_format(text, TextFormat.MOODLE)
        return Question(
            qtype=QuestionType.DESCRIPTION,
            name=name or _default_name(question_text.text),
            text=question_text,
            default_mark=Decimal(0),
        )
    if start < 0 or finish < 0 or finish < start:
        raise FormatError(
            "Geschweifte Klammern passen nicht zusammen: jede Frage braucht genau einen Antwortblock { … }.",
            line=line,
        )
    answer_text = text[start + 1 : finish].strip()
    if text.rstrip().endswith("}"):
        question_raw = text[:start] + text[finish + 1 :]
    else:
        question_raw = text[:start] + "_____" + text[finish + 1 :]
    if "{" in text[finish + 1 :] or "}" in text[finish + 1 :]:
        raise FormatError(
            "Mehr als ein Antwortblock in einer Frage. Fehlt eine Leerzeile zwischen zwei Fragen?", line=line
        )

    general_raw = ""
    separator = answer_text.rfind("####")
    if separator >= 0:
        general_raw = answer_text[separator + 4 :]
        answer_text = answer_text[:separator].strip()

    question_text = _with_format(question_raw, TextFormat.MOODLE)
    fmt = question_text.format
    question = Question(
        qtype=QuestionType.ESSAY,
        name=name or _default_name(question_text.text),
        text=question_text,
        general_feedback=_with_format(general_raw, fmt),
    )

    if answer_text == "":
        question.qtype = QuestionType.ESSAY
        question.grader_info = FormattedText("", TextFormat.HTML)
        question.response_template = FormattedText("", TextFormat.HTML)
        return question
    if answer_text.startswith("#"):
        return _numerical(question, answer_text[1:], line)
    if "~" in answer_text:
        return _multichoice(question, answer_text, line)
    if "=" in answer_text and "->" in answer_text:
        return _matching(question, answer_text, line)
    tf_check = answer_text.split("#", 1)[0].strip() if answer_text.find("#") > 0 else answer_text
    if tf_check in _TRUEFALSE:
        return _truefalse(question, answer_text)
    return _shortanswer(question, answer_text, line)


def _multichoice(question: Question, answer_text: str, line: int) -> Question:
    question.qtype = QuestionType.MULTICHOICE
    question.single = "=" in answer_text
    fmt = question.text.format
    for fb in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback"):
        setattr(question, fb, FormattedText("", TextFormat.HTML))
    alternatives = _split_alternatives(answer_text.replace("=", "~="), "~")
    if len(alternatives) < 2:
        raise FormatError("Eine Multiple-Choice-Frage braucht mindestens zwei Antworten.", line=line)
    for alternative in alternatives:
        if alternative.startswith("="):
            fraction: Decimal | None = Decimal(1)
            alternative = alternative[1:]
        else:
            fraction, alternative = _weight(alternative, line)
            fraction = fraction if fraction is not None else Decimal(0)
        text, feedback = _split_feedback(alternative, fmt)
        question.answers.append(Answer(text=text.text, fraction=fraction, feedback=feedback, format=text.format))
    return question


def _matching(question: Question, answer_text: str, line: int) -> Question:
    question.qtype = QuestionType.MATCHING
    for fb in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback"):
        setattr(question, fb, FormattedText("", TextFormat.HTML))
    alternatives = _split_alternatives(answer_text, "=")
    if len(alternatives) < 2:
        raise FormatError("Eine Zuordnungsfrage braucht mindestens zwei Paare.", line=line)
    for alternative in alternatives:
        if "->" not in alternative:
            raise FormatError(
                f"Zuordnungspaar ohne „->“: „{_restore(alternative)}“. Form: =Begriff -> Zuordnung", line=line
            )
        left, right = alternative.split("->", 1)
        question.match_pairs.append(
            MatchPair(question=_with_format(left, question.text.format), answer=_restore(right).strip())
        )
    return question


def _truefalse(question: Question, answer_text: str) -> Question:
    question.qtype = QuestionType.TRUEFALSE
    fmt = question.text.format
    bits = answer_text.split("#", 2)
    correct = _TRUEFALSE[bits[0].strip()]
    wrong = _with_format(bits[1], fmt) if len(bits) > 1 else FormattedText("", fmt)
    right = _with_format(bits[2], fmt) if len(bits) > 2 else FormattedText("", fmt)
    # {T#wrong#right}: the first feedback is shown for the wrong choice.
    question.answers = [
        Answer("true", Decimal(1) if correct else Decimal(0), right if correct else wrong, TextFormat.MOODLE),
        Answer("false", Decimal(0) if correct else Decimal(1), wrong if correct else right, TextFormat.MOODLE),
    ]
    question.penalty = Decimal(1)
    return question


def _shortanswer(question: Question, answer_text: str, line: int) -> Question:
    question.qtype = QuestionType.SHORTANSWER
    alternatives = _split_alternatives(answer_text, "=")
    if not alternatives:
        raise FormatError("Eine Kurzantwortfrage braucht mindestens eine Antwort.", line=line)
    for alternative in alternatives:
        fraction, alternative = _weight(alternative, line)
        text, feedback = _split_feedback(alternative, question.text.format)
        question.answers.append(
            Answer(
                text=text.text,
                fraction=fraction if fraction is not None else Decimal(1),
                feedback=feedback,
                format=TextFormat.MOODLE,
            )
        )
    return question


def _numerical(question: Question, answer_text: str, line: int) -> Question:
    question.qtype = QuestionType.NUMERICAL
    fmt = question.text.format
    wrong_feedback = ""
    if (pos := answer_text.find("~")) >= 0:
        wrong_feedback = answer_text[pos:]
        answer_text = answer_text[:pos]
    alternatives = _split_alternatives(answer_text, "=")
    if not alternatives:
        raise FormatError("Eine numerische Frage braucht mindestens eine Antwort.", line=line)
    for alternative in alternatives:
        fraction, alternative = _weight(alternative, line)
        text, feedback = _split_feedback(alternative, fmt)
        raw = text.text
        if raw.find("..") > 0:
            low, high = (parse_decimal(p) for p in raw.split("..", 1))
            if low is None or high is None:
                raise FormatError(f"Ungültiger Zahlenbereich „{raw}“ (Form: min..max).", line=line)
            value = (low + high) / 2
            tolerance = high - value
        elif raw.find(":") > 0:
            value_raw, tolerance_raw = raw.split(":", 1)
            value, tolerance = parse_decimal(value_raw), parse_decimal(tolerance_raw)
            if value is None or tolerance is None:
                raise FormatError(f"Ungültige Zahl mit Toleranz „{raw}“ (Form: Wert:Toleranz).", line=line)
        else:
            value, tolerance = parse_decimal(raw), Decimal(0)
            if value is None:
                raise FormatError(f"„{raw}“ ist keine Zahl.", line=line)
        question.answers.append(
            Answer(
                text=format_decimal(value),
                fraction=fraction if fraction is not None else Decimal(1),
                feedback=feedback,
                format=TextFormat.MOODLE,
                tolerance=Decimal(format_decimal(tolerance)),
            )
        )
    if wrong_feedback:
        _, feedback = _split_feedback(wrong_feedback, fmt)
        question.answers.append(
            Answer(text="*", fraction=Decimal(0), feedback=feedback, format=TextFormat.MOODLE, tolerance=Decimal(0))
        )
    return question


# --- Writer ------------------------------------------------------------------


def _escape(text: str) -> str:
    for char, escaped in (
        ("\\", "\\\\"),
        ("#", "\\#"),
        ("=", "\\="),
        ("~", "\\~"),
        ("{", "\\{"),
        ("}", "\\}"),
        (":", "\\:"),
        ("\n", "\\n"),
        ("\r", ""),
    ):
        text = text.replace(char, escaped)
    return text


def _write_text(text: FormattedText, default: TextFormat = TextFormat.MOODLE) -> str:
    prefix = f"[{_FORMAT_NAMES[text.format]}]" if text.text and text.format != default else ""
    return prefix + _escape(text.text)


def _general_feedback(question: Question, indent: str = "\t") -> str:
    feedback = _write_text(question.general_feedback, question.text.format)
    if not feedback:
        return ""
    return f"{indent}####{feedback}\n" if indent else f"####{feedback}"


_LOSSLESS_DEFAULTS = {
    "hints": ("Hinweise für Mehrfachversuche", []),
    "units": ("Einheiten", []),
    "hidden": ("Ausgeblendet-Status", False),
}
# What _ID_RE / _TAG_RE cannot read back (Moodle's PARAM_TAG refuses < > ` in tags, too).
_UNWRITABLE_ID = re.compile(r"[\x00-\x1f\x7f]")
_UNWRITABLE_TAG = re.compile(r"[<>`\x00-\x1f\x7f]")


def _writable_tags(question: Question) -> list[str]:
    return [t for t in question.tags if t.strip() == t and t and not _UNWRITABLE_TAG.search(t)]


def _writable_idnumber(question: Question) -> str:
    idnumber = question.idnumber
    return idnumber if idnumber.strip() == idnumber and not _UNWRITABLE_ID.search(idnumber) else ""


def _idnumber_and_tags_line(question: Question) -> str:
    """Moodle's write_idnumber_and_tags: "// [id:x] [tag:y]" before the question."""
    bits = []
    if idnumber := _writable_idnumber(question):
        bits.append("[id:" + idnumber.replace("]", "\\]") + "]")
    bits += ["[tag:" + tag.replace("]", "\\]") + "]" for tag in _writable_tags(question)]
    return f"// {' '.join(bits)}\n" if bits else ""


def _losses(question: Question) -> list[str]:
    lost = [label for attr, (label, default) in _LOSSLESS_DEFAULTS.items() if getattr(question, attr) != default]
    if _writable_tags(question) != question.tags:
        lost.append("Schlagwörter mit < > ` oder Steuerzeichen")
    if _writable_idnumber(question) != question.idnumber:
        lost.append("ID-Nummer mit Steuerzeichen")
    if question.qtype is QuestionType.SHORTANSWER and question.case_sensitive:
        lost.append("Groß-/Kleinschreibung")
    if question.text_files:
        lost.append("eingebettete Bilder")
    if question.qtype in (QuestionType.MULTICHOICE, QuestionType.MATCHING) and (
        question.correct_feedback or question.partially_correct_feedback or question.incorrect_feedback
    ):
        lost.append("kombiniertes Feedback")
    if question.default_mark != (0 if question.qtype is QuestionType.DESCRIPTION else 1):
        lost.append("Punktzahl")
    if question.penalty != (1 if question.qtype is QuestionType.TRUEFALSE else DEFAULT_PENALTY):
        lost.append("Abzug pro Fehlversuch")
    if (
        question.qtype is QuestionType.MULTICHOICE
        and question.single
        and not any(a.fraction == 1 for a in question.answers)
    ):
        lost.append("Einfachauswahl (wird als Mehrfachauswahl gelesen)")
    return lost


def write_gift(questions: list[Question]) -> ExportResult:
    """Write questions as GIFT; what GIFT cannot hold is listed in ``losses``."""
    out: list[str] = []
    losses: list[str] = []
    category: list[str] = []
    for question in questions:
        if question.qtype in (
            QuestionType.ORDERING,
            QuestionType.CLOZE,
            QuestionType.MULTICHOICESET,
            QuestionType.GAPSELECT,
            QuestionType.DDWTOS,
            QuestionType.RANDOMSAMATCH,
            QuestionType.CALCULATEDSIMPLE,
            QuestionType.CALCULATED,
        ):
            losses.append(
                f"„{question.name}“: Fragetyp {question.qtype.value} ist in GIFT nicht darstellbar, ausgelassen."
            )
            continue
        exportable, refused = question_grades_for_export(question)
        if exportable is None:
            losses.append(str(refused))
            continue
        question = exportable
        if question.category_path != category:
            category = question.category_path
            out.append(f"$CATEGORY: {join_category_path(category)}\n\n")
        lost = _losses(question)
        if lost:
            losses.append(f"„{question.name}“: nicht in GIFT: {', '.join(lost)}.")
        # The name comment must not read back as an ID number or tag: "[" becomes "(".
        name_comment = " ".join(question.name.replace("[", "(").split())
        out.append(f"// {name_comment}\n{_idnumber_and_tags_line(question)}{_write_question(question)}\n")
    return ExportResult(content="".join(out), losses=losses)


def _write_question(q: Question) -> str:
    head = f"::{_escape(q.name)}::" + _write_text(q.text)
    fmt = q.text.format
    if q.qtype is QuestionType.DESCRIPTION:
        return head + "\n"
    if q.qtype is QuestionType.ESSAY:
        return head + "{" + _general_feedback(q, "") + "}\n"
    if q.qtype is QuestionType.TRUEFALSE:
        true_answer = next(a for a in q.answers if a.text == "true")
        false_answer = next(a for a in q.answers if a.text == "false")
        correct_is_true = true_answer.fraction == 1
        right, wrong = (true_answer, false_answer) if correct_is_true else (false_answer, true_answer)
        right_fb, wrong_fb = _write_text(right.feedback, fmt), _write_text(wrong.feedback, fmt)
        body = "TRUE" if correct_is_true else "FALSE"
        if wrong_fb:
            body += "#" + wrong_fb
        elif right_fb:
            body += "#"
        if right_fb:
            body += "#" + right_fb
        return head + "{" + body + _general_feedback(q, "") + "}\n"
    lines = []
    if q.qtype is QuestionType.MULTICHOICE:
        for a in q.answers:
            if a.fraction == 1 and q.single:
                marker = "="
            elif a.fraction == 0:
                marker = "~"
            else:
                marker = f"~%{format_decimal(a.fraction * 100)}%"
            line = marker + _write_text(FormattedText(a.text, a.format), fmt)
            if a.feedback.text:
                line += "#" + _write_text(a.feedback, fmt)
            lines.append(line)
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + _general_feedback(q) + "}\n"
    if q.qtype is QuestionType.SHORTANSWER:
        for a in q.answers:
            lines.append(f"=%{format_decimal(a.fraction * 100)}%{_escape(a.text)}#{_write_text(a.feedback, fmt)}")
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + _general_feedback(q) + "}\n"
    if q.qtype is QuestionType.NUMERICAL:
        # The catch-all "*" goes last: in GIFT everything after "~" is its feedback.
        for a in sorted(q.answers, key=lambda a: a.text in ("", "*")):
            if a.text in ("", "*"):
                lines.append("~#" + _write_text(a.feedback, fmt))
            else:
                tolerance = format_decimal(a.tolerance or Decimal(0))
                lines.append(
                    f"=%{format_decimal(a.fraction * 100)}%{a.text}:{tolerance}#{_write_text(a.feedback, fmt)}"
                )
        return head + "{#\n" + "".join(f"\t{line}\n" for line in lines) + _general_feedback(q) + "}\n"
    if q.qtype is QuestionType.MATCHING:
        for pair in q.match_pairs:
            lines.append("=" + _write_text(pair.question, fmt) + " -> " + _escape(pair.answer))
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + _general_feedback(q) + "}\n"
    raise ValueError(f"GIFT cannot express {q.qtype}")  # pragma: no cover - filtered by write_gift
