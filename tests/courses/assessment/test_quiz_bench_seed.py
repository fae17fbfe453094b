"""The benchmark's seed command: learners who can log in and a quiz of the requested size, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.assessment import attempt_services as svc
from courses.assessment.quiz_models import QuizPage

pytestmark = pytest.mark.django_db


def test_seeds_learners_and_a_quiz_and_prints_its_id_last():
    out = StringIO()
    call_command("quiz_bench_seed", learners=3, questions=5, password="Bench-Passwort-2026", stdout=out)
    call_command("quiz_bench_seed", learners=3, questions=5, password="Bench-Passwort-2026", stdout=StringIO())
    quiz = QuizPage.objects.get(pk=int(out.getvalue().strip().splitlines()[-1]))
    learners = get_user_model().objects.filter(email__endswith="@bench.example")
    assert learners.count() == 3
    assert learners.first().check_password("Bench-Passwort-2026")
    attempt = svc.attempt_start(quiz=quiz, user=learners.first())
    assert attempt.slots.count() == 5
