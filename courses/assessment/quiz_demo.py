"""Demo quizzes: a final quiz in every demo course, drawing from its topic's demo questions.

Called at the end of the bank's demo seed (``demo.py``), after courses and questions exist.
Idempotent: a course that already has a quiz keeps it as it is.
"""

from __future__ import annotations

from decimal import Decimal

from courses.catalog.models import CoursePage

from .models import Question, QuestionCategory
from .quiz_models import GradingMethod, QuizPage, QuizQuestionRule, ReviewWhen

QUESTIONS_PER_QUIZ = 8
INTRO = (
    "<p>Prüfen Sie, was Sie aus diesem Kurs mitnehmen. Die Fragen werden für jeden Versuch neu aus der "
    "Fragensammlung des Themenfelds gezogen. Ihre Antworten werden laufend gespeichert: Sie können den "
    "Test unterbrechen und später – auch auf einem anderen Gerät – fortsetzen.</p>"
)


def seed_quizzes(*, stdout) -> None:
    created = 0
    for course in CoursePage.objects.select_related("topic", "owner"):
        if course.topic is None or QuizPage.objects.child_of(course).exists():
            continue
        category = QuestionCategory.get_root_nodes().filter(name=course.topic.name).first()
        if category is None:
            continue
        available = (
            Question.objects.filter(category__path__startswith=category.path, is_archived=False)
            .exclude(current_version__qtype="description")
            .count()
        )
        if not available:
            continue
        quiz = QuizPage(
            title=f"Abschlusstest: {course.title}",
            slug="abschlusstest",
            owner=course.owner,
            intro=INTRO,
            time_limit_minutes=20,
            attempts_allowed=3,
            passing_grade=Decimal(60),
            grading_method=GradingMethod.HIGHEST,
            show_feedback=ReviewWhen.IMMEDIATELY,
            show_correct_answers=ReviewWhen.AFTER_LAST_ATTEMPT,
            is_required=True,
        )
        quiz.question_rules = [QuizQuestionRule(category=category, count=min(QUESTIONS_PER_QUIZ, available))]
        course.add_child(instance=quiz)
        quiz.save_revision(user=course.owner).publish()
        created += 1
    stdout.write(f"  Tests: {created} neue Abschlusstests")
