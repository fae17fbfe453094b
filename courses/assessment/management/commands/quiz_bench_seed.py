"""Seed what bench/run_quiz_load.sh needs: N learners and a course with a 20-question quiz.

Prints the quiz page id as its last line. Idempotent: learners and pages that exist are reused.
For benchmarks and local load tests only (the learners share one password).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from courses.assessment.quiz_models import QuizPage, QuizQuestionRule
from courses.catalog.models import CoursePage
from courses.questions.formats import ir
from courses.questions.models import Question
from courses.questions.services import category_create, question_create

EMAIL = "bench-learner-{i:04d}@bench.example"


def _question(i: int) -> ir.Question:
    kind = i % 5
    text = ir.FormattedText(f"<p>Lastprobe, Frage {i + 1}: Welche Aussage trifft zu?</p>")
    if kind == 3:
        return ir.Question(
            qtype=ir.QuestionType.TRUEFALSE,
            name=f"Last {i + 1}",
            text=text,
            answers=[ir.Answer("true", Decimal(1)), ir.Answer("false", Decimal(0))],
        )
    if kind == 4:
        return ir.Question(
            qtype=ir.QuestionType.SHORTANSWER,
            name=f"Last {i + 1}",
            text=ir.FormattedText(f"<p>Lastprobe, Frage {i + 1}: Wofür steht DSGVO?</p>"),
            answers=[ir.Answer("Datenschutz*", Decimal(1))],
        )
    return ir.Question(
        qtype=ir.QuestionType.MULTICHOICE,
        name=f"Last {i + 1}",
        text=text,
        answers=[ir.Answer(f"Antwort {c}", Decimal(1 if c == "A" else 0)) for c in "ABCD"],
    )


class Command(BaseCommand):
    help = "Legt Lerndende und einen Test mit 20 Fragen für den Lasttest an (nur für bench/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, default=200)
        parser.add_argument("--questions", type=int, default=20)
        parser.add_argument("--password", required=True)

    @transaction.atomic
    def handle(self, *args, learners: int, questions: int, password: str, **options) -> None:
        if not 1 <= learners <= 5000 or not 1 <= questions <= 200:
            raise CommandError("--learners 1..5000, --questions 1..200")
        user_model = get_user_model()
        # One hash for all: hashing is deliberately slow, and the benchmark measures quizzes.
        template = user_model(email="template@bench.example")
        template.set_password(password)
        existing = set(user_model.objects.filter(email__endswith="@bench.example").values_list("email", flat=True))
        user_model.objects.bulk_create(
            [
                user_model(email=EMAIL.format(i=i), full_name=f"Lastprobe {i}", password=template.password)
                for i in range(learners)
                if EMAIL.format(i=i) not in existing
            ]
        )
        category = category_create(name="Lastprobe")
        have = Question.objects.filter(category=category).count()
        for i in range(have, questions):
            question_create(category=category, content=_question(i))
        home = Site.objects.get(is_default_site=True).root_page
        course = CoursePage.objects.filter(slug="lastprobe").first()
        if course is None:
            course = CoursePage(title="Lastprobe", slug="lastprobe")
            home.add_child(instance=course)
        quiz = QuizPage.objects.child_of(course).filter(slug="test").first()
        if quiz is None:
            quiz = QuizPage(title="Lastprobe-Test", slug="test", time_limit_minutes=120, passing_grade=Decimal(50))
            quiz.question_rules = [QuizQuestionRule(category=category, count=questions)]
            course.add_child(instance=quiz)
        self.stdout.write(f"{learners} Lernende, {questions} Fragen; Test-Seite:")
        self.stdout.write(str(quiz.pk))
