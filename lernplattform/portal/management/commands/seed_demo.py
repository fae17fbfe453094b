"""Create or refresh the demo content: organisations, one user per role, courses and progress.

Each app contributes its part through `<app>/demo.py` with `seed(*, stdout)`; they run in a
fixed order so later parts can build on earlier ones. Running the command twice changes nothing.
"""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "lernplattform.accounts.demo",
    "lernplattform.portal.demo",
    "courses.catalog.demo",
    # The bank before the lessons (they show its practice questions), the lessons before the
    # quizzes (a course lists its lessons first).
    "courses.questions.demo",
    "courses.lessons.demo",
    "courses.assessment.demo_quizzes",
    "courses.h5p.demo",
    # Templates first, so the demo learner's finished course certifies when progress completes it.
    "courses.certificates.demo_templates",
    "courses.progress.demo",
    "courses.certificates.demo",
]


class Command(BaseCommand):
    help = "Legt Demodaten an (idempotent): Organisationen, Benutzer je Rolle, Kurse, Fortschritt."

    def handle(self, *args, **options) -> None:
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            self.stdout.write(f"Demo: {name}")
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodaten sind bereit."))
