"""python manage.py import_questions FILE --format gift|moodlexml --category NAME [--skip-unsupported]

The size limit (QUESTION_IMPORT_MAX_BYTES) holds here as on every other path; --max-size overrides it.
"""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.questions.formats import FORMATS, FormatError
from courses.questions.models import QuestionEvent
from courses.questions.services import (
    UnsupportedQuestionsError,
    category_root_get_or_create,
    import_max_bytes,
    import_size_check,
    questions_import,
    size_display,
)
from lernplattform.core.errors import ApplicationError


def _megabytes(value: str) -> int:
    try:
        size = float(value.replace(",", "."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"„{value}“ ist keine Zahl (Megabyte, z. B. 20).") from exc
    if size <= 0:
        raise argparse.ArgumentTypeError("Die Größe muss größer als 0 sein.")
    return int(size * 1024 * 1024)


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
        parser.add_argument(
            "--max-size",
            type=_megabytes,
            default=None,
            metavar="MB",
            help=f"Größte erlaubte Datei in Megabyte (Standard: {size_display(import_max_bytes())}, "
            "Einstellung QUESTION_IMPORT_MAX_BYTES). Nur für geprüfte Dateien erhöhen.",
        )

    def handle(self, *args, file: Path, fmt: str, category: str, skip_unsupported: bool, max_size=None, **options):
        try:
            # The limit is checked on the size on disk, before a byte is read or parsed.
            import_size_check(size=file.stat().st_size, max_bytes=max_size)
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Datei {file} kann nicht gelesen werden: {exc.strerror}") from exc
        except ApplicationError as exc:
            raise CommandError(f"{file}: {exc.message} Mit --max-size lässt sich die Grenze anheben.") from exc
        try:
            # The target category is created inside the import's transaction
            # only if the import succeeds, so a refused file leaves no trace.
            with transaction.atomic():
                target = category_root_get_or_create(name=category)
                report = questions_import(
                    content=content,
                    fmt=fmt,
                    category=target,
                    skip_unsupported=skip_unsupported,
                    source=QuestionEvent.Source.COMMAND,
                    max_bytes=max_size,
                )
        except FormatError as exc:
            raise CommandError(f"{file}: {exc} – nichts wurde importiert.") from exc
        except UnsupportedQuestionsError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except ApplicationError as exc:
            raise CommandError(f"{file}: {exc.message}") from exc
        for warning in report.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        for item in report.skipped:
            reason = f" ({item.reason})" if item.reason else ""
            self.stdout.write(f"Übersprungen (Zeile {item.line}): „{item.name}“ – {item.label}{reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} Fragen importiert nach „{target.full_name}“"
                f" ({len(report.categories_created)} neue Unterkategorien, {len(report.skipped)} übersprungen)."
            )
        )
