"""Demo question bank: a category per topic with German questions of several types.

Idempotent: a topic's category that already holds questions is left alone.
"""

from django.db import transaction

from .demo_questions import BANK
from .models import Question, QuestionEvent
from .quiz_demo import seed_quizzes
from .services import category_create, questions_import


@transaction.atomic
def seed(*, stdout) -> None:
    created = 0
    for topic, files in BANK.items():
        category = category_create(
            name=topic,
            description=f"Fragen zum Themenfeld {topic} (Demo, frei verwendbar für Tests).",
            source=QuestionEvent.Source.SEED,
        )
        if Question.objects.filter(category__path__startswith=category.path).exists():
            continue
        for fmt, content in files:
            report = questions_import(content=content, fmt=fmt, category=category, source=QuestionEvent.Source.SEED)
            created += len(report.created)
    stdout.write(f"  Fragensammlung: {created} neue Fragen in {len(BANK)} Themenkategorien")
    seed_quizzes(stdout=stdout)
