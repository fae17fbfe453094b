"""Builders for quizzes and bank questions, for the quiz and attempt tests.

Questions are written the way the bank stores them: a QuestionVersion whose ``data`` is the
format-neutral document of ``formats.ir``.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from courses.assessment.quiz_models import QuizPage, QuizQuestionRule
from courses.catalog.models import CoursePage
from courses.questions.formats import ir
from courses.questions.models import Question, QuestionCategory, QuestionVersion
from courses.questions.services import category_create, question_create, question_update
from tests.factories.pages import QuizPageFactory
from tests.factories.pages import course as course  # kept for callers of f.course(); built in pages

_seq = itertools.count(1)


def category(name: str = "Testfragen", parent: QuestionCategory | None = None) -> QuestionCategory:
    return category_create(name=f"{name} {next(_seq)}", parent=parent)


def _store(cat: QuestionCategory, q: ir.Question) -> Question:
    return question_create(category=cat, content=q)


def new_version(question: Question, **changes) -> QuestionVersion:
    """Edit a question the bank's way: a new version, the old one untouched."""
    data = {**question.current_version.data, **changes}
    return question_update(question=question, content=ir.question_from_dict(data))


def multichoice(
    cat,
    *,
    text="Welche Stadt ist Hauptstadt von Bayern?",
    right="München",
    wrong=("Nürnberg", "Augsburg"),
    mark=Decimal(1),
    single=True,
) -> Question:
    answers = [ir.Answer(right, Decimal(1), ir.FormattedText("Richtig, München."))]
    answers += [ir.Answer(w, Decimal(0), ir.FormattedText(f"Nein, {w} nicht.")) for w in wrong]
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.MULTICHOICE,
            name=f"MC {next(_seq)}",
            text=ir.FormattedText(f"<p>{text}</p>"),
            general_feedback=ir.FormattedText("<p>Allgemeines Feedback.</p>"),
            default_mark=mark,
            answers=answers,
            single=single,
        ),
    )


def multiresponse(cat, *, right=("A", "B"), wrong=("C",)) -> Question:
    share = Decimal(1) / len(right)
    answers = [ir.Answer(r, share) for r in right] + [ir.Answer(w, Decimal(-1)) for w in wrong]
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.MULTICHOICE,
            name=f"MR {next(_seq)}",
            text=ir.FormattedText("<p>Wähle A und B.</p>"),
            answers=answers,
            single=False,
        ),
    )


def truefalse(cat, *, correct=True) -> Question:
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.TRUEFALSE,
            name=f"TF {next(_seq)}",
            text=ir.FormattedText("<p>Die Erde ist rund.</p>"),
            answers=[ir.Answer("true", Decimal(int(correct))), ir.Answer("false", Decimal(int(not correct)))],
        ),
    )


def shortanswer(cat, *, accepted=("Datenschutz*",), case_sensitive=False) -> Question:
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.SHORTANSWER,
            name=f"SA {next(_seq)}",
            text=ir.FormattedText("<p>Was regelt die DSGVO?</p>"),
            answers=[ir.Answer(a, Decimal(1)) for a in accepted],
            case_sensitive=case_sensitive,
        ),
    )


def numerical(cat, *, value="42", tolerance="0.5") -> Question:
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.NUMERICAL,
            name=f"NUM {next(_seq)}",
            text=ir.FormattedText("<p>Wie viel?</p>"),
            answers=[ir.Answer(value, Decimal(1), tolerance=Decimal(tolerance))],
        ),
    )


def matching(cat) -> Question:
    pairs = [("Bayern", "München"), ("Hessen", "Wiesbaden"), ("Sachsen", "Dresden"), ("", "Köln")]
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.MATCHING,
            name=f"MA {next(_seq)}",
            text=ir.FormattedText("<p>Ordne zu.</p>"),
            match_pairs=[ir.MatchPair(ir.FormattedText(q), a) for q, a in pairs],
        ),
    )


def ordering(cat) -> Question:
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.ORDERING,
            name=f"ORD {next(_seq)}",
            text=ir.FormattedText("<p>Sortiere.</p>"),
            answers=[ir.Answer(t, Decimal(0)) for t in ("Antrag", "Prüfung", "Bescheid")],
        ),
    )


def cloze(cat) -> Question:
    parts = [
        ir.ClozePart(ir.ClozeKind.SHORTANSWER, 1, [ir.Answer("Berlin", Decimal(1))]),
        ir.ClozePart(ir.ClozeKind.MULTICHOICE, 1, [ir.Answer("16", Decimal(1)), ir.Answer("12", Decimal(0))]),
    ]
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.CLOZE,
            name=f"CL {next(_seq)}",
            text=ir.FormattedText("<p>Hauptstadt: {#1}. Länder: {#2}.</p>"),
            cloze_parts=parts,
        ),
    )


def essay(cat, *, mark=Decimal(2)) -> Question:
    return _store(
        cat,
        ir.Question(
            qtype=ir.QuestionType.ESSAY,
            name=f"ES {next(_seq)}",
            default_mark=mark,
            text=ir.FormattedText("<p>Beschreiben Sie Ihr Vorgehen.</p>"),
        ),
    )


def quiz(parent: CoursePage, *, questions=(), categories=(), title="Abschlusstest", **settings) -> QuizPage:
    """A quiz in `parent` (added without a revision) drawing the given questions and categories."""
    page = QuizPageFactory(parent=parent, title=title, publish=False, **settings)
    order = itertools.count()
    for question in questions:
        QuizQuestionRule.objects.create(page=page, question=question, sort_order=next(order))
    for cat, count in categories:
        QuizQuestionRule.objects.create(page=page, category=cat, count=count, sort_order=next(order))
    return page
