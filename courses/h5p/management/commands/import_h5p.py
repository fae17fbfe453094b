"""python manage.py import_h5p FILE [--title T]: the same checks and storage as the admin upload."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.h5p.package import H5PPackageError
from courses.h5p.selectors import h5p_library_upgrade_messages
from courses.h5p.services import h5p_content_import


class Command(BaseCommand):
    help = "Prüft ein .h5p-Paket und legt es als H5P-Inhalt an (alles oder nichts)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur .h5p-Datei")
        parser.add_argument("--title", default=None, help="Titel statt des Titels aus h5p.json")

    def handle(self, *args, file: str, title: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path.name}: Die Datei wurde nicht gefunden.")
        try:
            with path.open("rb") as fh:
                content = h5p_content_import(file=fh, filename=path.name, title=title)
        except H5PPackageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"H5P-Inhalt „{content.title}“ angelegt (Nr. {content.pk}, {content.main_library}).")
        )
        for note in h5p_library_upgrade_messages(content=content):
            self.stdout.write(self.style.WARNING(note))
