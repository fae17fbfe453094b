"""python manage.py export_questions --format gift|moodlexml --category NAME [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.questions.formats import FORMATS
from courses.questions.formats.ir import split_category_path
from courses.questions.models import QuestionCategory
from courses.questions.selectors import category_by_path
from courses.questions.services import questions_export


def _find_category(name: str) -> QuestionCategory | None:
    path = split_category_path(name)
    return category_by_path(names=path) if path else None


class Command(BaseCommand):
    help = "Exportiert eine Kategorie mit Unterkategorien als GIFT oder Moodle XML."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--category", required=True)
        parser.add_argument("--output", "-o", type=Path, help="Zieldatei (Standard: Standardausgabe)")

    def handle(self, *args, fmt: str, category: str, output: Path | None, **options):
        node = _find_category(category)
        if node is None:
            raise CommandError(f"Kategorie „{category}“ gibt es nicht.")
        result = questions_export(category=node, fmt=fmt)
        for loss in result.losses:
            self.stderr.write(f"Hinweis: {loss}")
        if output:
            output.write_text(result.content, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Exportiert nach {output}."))
        else:
            self.stdout.write(result.content, ending="")
