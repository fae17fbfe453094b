"""python manage.py import_organisations FILE: the Destatis Gemeindeverzeichnis (GV100AD)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lernplattform.accounts.gv100ad import GV100ADError, read_directory
from lernplattform.accounts.models import Organisation
from lernplattform.accounts.services import organisations_import_directory


class Command(BaseCommand):
    help = (
        "Liest das amtliche Gemeindeverzeichnis (GV100AD, Festbreiten-Textdatei von Destatis) ein: "
        "Länder, Regierungsbezirke, Kreise, Gemeindeverbände und Gemeinden mit ihrem Regionalschlüssel. "
        "Mehrfach ausführbar; bei einem Fehler wird nichts gespeichert."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Pfad zur Datei GV100AD_*.txt (UTF-8 oder Latin-1)")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Die Datei „{file}“ kann nicht gelesen werden: {error.strerror}.") from error
        known = Organisation.objects.filter(ars__isnull=False).values_list("ars", flat=True)
        try:
            entries = read_directory(data, known_ars=known)
        except GV100ADError as error:
            raise CommandError(f"{path.name}, {error} Es wurde nichts gespeichert.") from error
        if not entries:
            raise CommandError(f"{path.name}: Die Datei enthält keine Datensätze. Es wurde nichts gespeichert.")
        result = organisations_import_directory(entries=entries)
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {len(entries)} Organisationen gelesen – {result.created} neu, "
                f"{result.updated} geändert, {result.unchanged} unverändert."
            )
        )
