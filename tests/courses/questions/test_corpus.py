"""The corpus: every Moodle question file the project keeps, read, written back and scored as Moodle does.

``corpus.yaml`` lists each ``.gift`` and Moodle ``.xml`` file under ``tests/`` and ``content/`` with the
number of questions Moodle imports from it and answers with the fraction Moodle's question types give
them (written from Moodle's rules; the file's header says which). A new fixture or demo file without
an entry fails here, so the corpus grows with every format change.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from courses.questions import types
from courses.questions.formats import FormatError, read_questions, write_gift, write_moodle_xml
from courses.questions.formats.ir import Question, QuestionType, question_to_dict
from courses.questions.types.randomsamatch import right_answer

ROOT = Path(__file__).resolve().parents[3]
CORPUS: dict[str, dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text("utf-8"))
WRITERS = {"gift": write_gift, "moodlexml": write_moodle_xml}
FULL_MARKS = Decimal("0.99999")
# Losses a writer names that may change how an answer scores in the other format.
SCORING_ASPECTS = ("Groß-/Kleinschreibung", "Einheiten")  # 3 × 33.33333 % is 99.99999 %, as in Moodle


def _question_files() -> list[str]:
    found = [*ROOT.joinpath("tests").rglob("*.gift"), *ROOT.joinpath("content").rglob("*.gift")]
    for path in [*ROOT.joinpath("tests").rglob("*.xml"), *ROOT.joinpath("content").rglob("*.xml")]:
        if b"<quiz" in path.read_bytes()[:2000]:
            found.append(path)
    return sorted(path.relative_to(ROOT).as_posix() for path in found)


def _fmt(path: str) -> str:
    return "gift" if path.endswith(".gift") else "moodlexml"


def _read(path: str) -> list[Question]:
    return read_questions((ROOT / path).read_bytes(), fmt=_fmt(path)).questions


def _by_name(questions: list[Question], name: str) -> Question:
    matches = [q for q in questions if q.name == name]
    assert len(matches) == 1, (name, [q.name for q in questions])
    return matches[0]


def _answer_index(question: Question | Any, text: str, answers: list[Any] | None = None) -> int:
    answers = question.answers if answers is None else answers
    plain = [_plain(a.text) for a in answers]
    assert text in plain, (text, plain)
    return plain.index(text)


def _plain(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text).strip()


def _given(question: Question, spec: dict[str, Any], questions: list[Question] | None = None) -> dict[str, Any]:
    """The answer of a corpus entry in the question's own terms (answer indices, texts)."""
    if "drawn" in spec:
        # The stems a draw gave: the named short-answer questions of the file, with their right answers.
        stems, pairs = [], {}
        for position, (name, chosen) in enumerate(spec["drawn"].items()):
            drawn = question_to_dict(_by_name(questions or [], name))
            stems.append({"text": drawn["text"]["text"], "answer": right_answer(drawn)})
            if chosen is not None:
                pairs[position] = chosen
        return {"stems": stems, "pairs": pairs}
    if "choice" in spec:
        return {"choice": _answer_index(question, spec["choice"])}
    if "choices" in spec:
        return {"choices": [_answer_index(question, text) for text in spec["choices"]]}
    if "value" in spec:
        return {"value": spec["value"]}
    if "pairs" in spec:
        stems = {_plain(p.question.text): i for i, p in enumerate(question.match_pairs) if p.question.text}
        return {"pairs": {stems[stem]: option for stem, option in spec["pairs"].items()}}
    if "order" in spec:
        return {"order": [_answer_index(question, text) for text in spec["order"]]}
    if "gaps" in spec and question.gap_choices:
        return {"gaps": {int(n): _gap_choice(question, value) for n, value in spec["gaps"].items()}}
    if "gaps" in spec:
        gaps: dict[int, Any] = {}
        for number, value in spec["gaps"].items():
            part = question.cloze_parts[int(number) - 1]
            if part.kind.value == "multichoice":
                pick = [value] if isinstance(value, str) else value
                keys = [_answer_index(part, text, part.answers) for text in pick]
                gaps[int(number)] = keys[0] if part.single and isinstance(value, str) else keys
            else:
                gaps[int(number)] = value
        return {"gaps": gaps}
    given = {"text": spec["text"]}
    if "unit" in spec:
        given["unit"] = spec["unit"]
    if "item" in spec:
        given["item"] = spec["item"]
    return given


def _gap_choice(question: Question, value: str) -> int:
    """The index of a gapselect / ddwtos choice named by its text (``text@group`` if the text repeats)."""
    text, _sep, group = value.partition("@")
    return next(
        i for i, c in enumerate(question.gap_choices) if _plain(c.text) == text and (not group or c.group == int(group))
    )


def _score_cases() -> list[Any]:
    cases = []
    for path, entry in CORPUS.items():
        for n, spec in enumerate(entry.get("scores", []), start=1):
            cases.append(pytest.param(path, spec, id=f"{path.rsplit('/', 1)[-1]}-{n}-{spec['question'][:30]}"))
    return cases


def test_every_question_file_the_project_keeps_is_in_the_corpus():
    assert _question_files() == sorted(CORPUS), "add the new file to tests/courses/questions/corpus.yaml"


@pytest.mark.parametrize("path", sorted(CORPUS))
def test_the_file_reads_as_moodle_reads_it(path):
    entry = CORPUS[path]
    if "refused" in entry:
        with pytest.raises(FormatError) as error:
            _read(path)
        assert entry["refused"] in str(error.value)
        return
    parsed = read_questions((ROOT / path).read_bytes(), fmt=_fmt(path))
    assert len(parsed.questions) == entry["questions"]
    assert [item.qtype for item in parsed.unsupported] == entry.get("unsupported", [])
    refused_with_reason = [item for item in parsed.unsupported if item.qtype in ("ddimageortext", "ddmarker")]
    assert all(item.reason for item in refused_with_reason), "the drag-onto-image types are refused with a reason"
    assert len(parsed.random_slots) == entry.get("random_slots", 0)


@pytest.mark.parametrize("path", [p for p in sorted(CORPUS) if "refused" not in CORPUS[p]])
def test_the_file_round_trips_through_its_own_format_without_loss(path):
    questions = _read(path)
    written = WRITERS[_fmt(path)](questions)

    assert written.losses == []
    again = read_questions(written.content.encode("utf-8"), fmt=_fmt(path)).questions
    assert [question_to_dict(q) for q in again] == [question_to_dict(q) for q in questions]


@pytest.mark.parametrize(("path", "spec"), _score_cases())
def test_answers_score_as_moodle_scores_them(path, spec):
    questions = _read(path)
    question = _by_name(questions, spec["question"])
    score = types.for_question(question.qtype).score_given(question, _given(question, spec, questions))

    if spec.get("manual"):
        assert score.fraction is None and score.needs_manual_grading
    else:
        assert score.fraction == Decimal(str(spec["fraction"])), (spec, score)


@pytest.mark.parametrize(("path", "spec"), _score_cases())
def test_answers_score_the_same_after_export_to_the_other_format(path, spec):
    """What the other format keeps scores the same; a question it cannot hold the writer names as lost."""
    other = "moodlexml" if _fmt(path) == "gift" else "gift"
    questions = _read(path)
    question = _by_name(questions, spec["question"])
    written = WRITERS[other]([question])
    again = read_questions(written.content.encode("utf-8"), fmt=other).questions
    if not again:
        assert any(f"„{question.name}“" in loss for loss in written.losses), written.losses
        return
    before = types.for_question(question.qtype).score_given(question, _given(question, spec, questions))
    after = types.for_question(again[0].qtype).score_given(again[0], _given(again[0], spec, questions))

    if after != before:
        # Only what the writer names as lost may change a score (GIFT holds no units, no case rule).
        named = [loss for loss in written.losses if loss.startswith(f"„{question.name}“")]
        assert any(aspect in loss for loss in named for aspect in SCORING_ASPECTS), (other, spec, written.losses)


def _full_marks(question: Question) -> dict[str, Any] | None:
    """The answer a learner who knows everything gives, from the authored answers."""
    qtype = question.qtype
    if qtype is QuestionType.MULTICHOICE:
        if question.single:
            best = max(range(len(question.answers)), key=lambda i: question.answers[i].fraction)
            return {"choice": best}
        return {"choices": [i for i, a in enumerate(question.answers) if a.fraction > 0]}
    if qtype is QuestionType.TRUEFALSE:
        true = next(a for a in question.answers if a.text == "true")
        return {"value": true.fraction == 1}
    if qtype in (QuestionType.SHORTANSWER, QuestionType.NUMERICAL):
        right = next(a for a in question.answers if a.fraction == 1 and a.text != "*")
        return {"text": right.text.replace("*", "")}
    if qtype is QuestionType.MATCHING:
        return {"pairs": {i: p.answer for i, p in enumerate(question.match_pairs) if p.question.text}}
    if qtype is QuestionType.ORDERING:
        return {"order": list(range(len(question.answers)))}
    if qtype is QuestionType.CLOZE:
        gaps: dict[int, Any] = {}
        for number, part in enumerate(question.cloze_parts, start=1):
            if part.kind.value == "multichoice":
                positive = [i for i, a in enumerate(part.answers) if a.fraction > 0]
                best = max(range(len(part.answers)), key=lambda i: part.answers[i].fraction)
                gaps[number] = best if part.single else positive
            else:
                gaps[number] = next(a.text for a in part.answers if a.fraction == 1).replace("*", "")
        return {"gaps": gaps}
    return None  # essay, description: nothing to score automatically


@pytest.mark.parametrize("path", [p for p in sorted(CORPUS) if CORPUS[p].get("demo")])
def test_every_demo_question_can_be_answered_with_full_marks(path):
    """A demo quiz a learner cannot pass would be a broken demo: each graded question has a right answer."""
    checked = 0
    for question in _read(path):
        given = _full_marks(question)
        if given is None:
            continue
        score = types.for_question(question.qtype).score_given(question, given)
        assert score.fraction is not None and score.fraction >= FULL_MARKS, (question.name, given, score)
        checked += 1
    assert checked, f"{path} holds no automatically graded question"
