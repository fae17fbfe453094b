"""`python manage.py generate_scale_data`: synthetic national-scale data for bench/reports.py."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lernplattform.accounts.models import Organisation
from lernplattform.reports import scale


class Command(BaseCommand):
    help = (
        "Erzeugt synthetische Daten in Bundesgröße (ca. 11.000 Organisationen mit ARS, 300.000 Lernende, "
        "3.000.000 Einschreibungen, 1.000.000 Zertifikate) für bench/reports.py. Nur für eine leere, "
        "migrierte Datenbank (eigene Datenbank verwenden!)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=300_000)
        parser.add_argument("--enrolments", type=int, default=3_000_000)
        parser.add_argument("--certificates", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=20261202, help="Gleicher Seed, gleiche Daten.")
        parser.add_argument(
            "--add-certificates",
            action="store_true",
            help="Nur Zertifikate zu schon erzeugten Daten ergänzen (wenn courses.certificates später kam).",
        )
        parser.add_argument(
            "--snapshot-history",
            type=int,
            metavar="MONATE",
            help="Nur Monatsstände der MONATE-1 Monate vor diesem aus dem jetzigen ableiten (für den Verlauf).",
        )
        parser.add_argument(
            "--no-summary", action="store_true", help="Übersichtstabelle und Monatsstand nicht berechnen."
        )

    def handle(self, *args, **options):
        if options["snapshot_history"] is not None:
            if options["snapshot_history"] < 1:
                raise CommandError("--snapshot-history braucht mindestens 1 Monat.")
            started = time.monotonic()
            try:
                count = scale.snapshot_history(months=options["snapshot_history"], stdout=self.stdout.write)
            except RuntimeError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"  {count:n} Zeilen Monatsstände in {time.monotonic() - started:.0f} s")
            return
        if options["add_certificates"]:
            started = time.monotonic()
            try:
                count = scale.certificates_add(
                    plan=scale.Plan(certificates=options["certificates"], seed=options["seed"]),
                    stdout=self.stdout.write,
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"  {count:n} Zertifikate in {time.monotonic() - started:.0f} s")
            if not options["no_summary"]:
                self._summary()
            return
        if Organisation.objects.exists():
            raise CommandError(
                "Die Datenbank enthält schon Organisationen. generate_scale_data füllt nur eine leere, "
                "migrierte Datenbank (z. B. DATABASE_URL=postgres://…/lp_scale); nichts wurde geändert."
            )
        for name in ("learners", "enrolments", "certificates"):
            if options[name] < 0:
                raise CommandError(f"--{name} darf nicht negativ sein.")
        if connection.vendor != "postgresql" and options["learners"] > 20_000:
            raise CommandError("Mehr als 20.000 Lernende nur auf PostgreSQL (COPY); für SQLite --learners verkleinern.")
        plan = scale.Plan(
            learners=options["learners"],
            enrolments=options["enrolments"],
            certificates=options["certificates"],
            seed=options["seed"],
        )
        started = time.monotonic()
        self.stdout.write(f"Erzeuge Daten (Seed {plan.seed}) …")
        counts = scale.generate(plan=plan, stdout=self.stdout.write)
        self.stdout.write(f"  fertig nach {time.monotonic() - started:.0f} s")
        if not options["no_summary"]:
            self._summary()
        self.stdout.write(
            self.style.SUCCESS(
                "Fertig: "
                + ", ".join(f"{value:n} {key}" for key, value in counts.items())
                + f". Anmeldungen für Messungen: plattform@, land@, kreis@, gemeinde@{scale.SCALE_EMAIL_DOMAIN}"
                f" mit dem Passwort {scale.BENCH_PASSWORD}."
            )
        )

    def _summary(self) -> None:
        from lernplattform.reports import services

        step = time.monotonic()
        rows = services.summary_rebuild()
        self.stdout.write(f"  Übersichtstabelle: {rows:n} Zeilen in {time.monotonic() - step:.0f} s")
        step = time.monotonic()
        rows = services.snapshot_take()
        self.stdout.write(f"  Monatsstand: {rows:n} Zeilen in {time.monotonic() - step:.0f} s")
