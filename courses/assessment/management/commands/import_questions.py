"""python manage.py import_questions FILE --format gift|moodlexml --category NAME [--skip-unsupported]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.assessment.formats import FORMATS, FormatError
from courses.assessment.services import UnsupportedQuestionsError, category_root_get_or_create, questions_import


class Command(BaseCommand):
    help = "Importiert Fragen aus GIFT oder Moodle XML in eine Kategorie (alles oder nichts)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--category", required=True, help="Zielkategorie, z. B. „Datenschutz/Grundlagen“")
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Fragen nicht unterstützter Typen überspringen statt die Datei abzulehnen.",
        )

    def handle(self, *args, file: Path, fmt: str, category: str, skip_unsupported: bool, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Datei {file} kann nicht gelesen werden: {exc.strerror}") from exc
        try:
            # The target category is created inside the import's transaction
            # only if the import succeeds, so a refused file leaves no trace.
            with transaction.atomic():
                target = category_root_get_or_create(name=category)
                report = questions_import(content=content, fmt=fmt, category=target, skip_unsupported=skip_unsupported)
        except FormatError as exc:
            raise CommandError(f"{file}: {exc} – nichts wurde importiert.") from exc
        except UnsupportedQuestionsError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        for item in report.skipped:
            self.stdout.write(f"Übersprungen (Zeile {item.line}): „{item.name}“ – {item.label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} Fragen importiert nach „{target.full_name}“"
                f" ({len(report.categories_created)} neue Unterkategorien, {len(report.skipped)} übersprungen)."
            )
        )
