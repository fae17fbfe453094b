"""Synthetic national-scale data for bench/reports.py (DESIGN.md contract: `generate_scale_data`).

~11,000 organisations with realistic ARS keys on every level (16 Länder, Regierungsbezirke where
the Länder have them, ~400 Kreise and kreisfreie Städte, Gemeindeverbände, ~10,500 Gemeinden and
some other public bodies), 300,000 learners placed by headcount, 3,000,000 enrolments and, once
courses.certificates provides its model, 1,000,000 certificates (valid, expiring within 90 days,
expired, revoked). Rows go in with PostgreSQL COPY (batched INSERTs elsewhere, for small test runs).
The same seed gives the same data. Runs on an empty, migrated database only.

Every column of every model is filled from the model's own field defaults unless set here, so a
field another app adds later (with a default) does not break the generator.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from courses.catalog.models import CoursePage, Topic
from courses.progress.models import Enrolment
from lernplattform.accounts.models import Membership, Organisation, User

from . import certificate_source

# Land code, name, number of Regierungsbezirke (0: none), Kreise, kreisfreie Städte; roughly the real counts.
LAENDER = [
    ("01", "Schleswig-Holstein", 0, 11, 4),
    ("02", "Hamburg", 0, 0, 1),
    ("03", "Niedersachsen", 0, 36, 8),
    ("04", "Bremen", 0, 0, 2),
    ("05", "Nordrhein-Westfalen", 5, 31, 22),
    ("06", "Hessen", 3, 21, 5),
    ("07", "Rheinland-Pfalz", 0, 24, 12),
    ("08", "Baden-Württemberg", 4, 35, 9),
    ("09", "Bayern", 7, 71, 25),
    ("10", "Saarland", 0, 6, 0),
    ("11", "Berlin", 0, 0, 1),
    ("12", "Brandenburg", 0, 14, 4),
    ("13", "Mecklenburg-Vorpommern", 0, 6, 2),
    ("14", "Sachsen", 0, 10, 3),
    ("15", "Sachsen-Anhalt", 0, 11, 3),
    ("16", "Thüringen", 0, 17, 5),
]
# Gemeinden per Kreis and the share of them inside a Gemeindeverband, per Land (Rheinland-Pfalz and
# Schleswig-Holstein have many small Ortsgemeinden in Verbandsgemeinden / Ämtern).
GEMEINDEN_PER_KREIS = {
    "01": 95,
    "03": 26,
    "05": 12,
    "06": 18,
    "07": 95,
    "08": 28,
    "09": 27,
    "10": 9,
    "12": 29,
    "13": 110,
    "14": 15,
    "15": 19,
    "16": 35,
}
GV_SHARE = {"01": 0.95, "03": 0.5, "07": 0.97, "09": 0.4, "12": 0.6, "13": 0.95, "15": 0.5, "16": 0.6}
GV_LABELS = {
    "01": "Amt",
    "03": "Samtgemeinde",
    "07": "Verbandsgemeinde",
    "09": "Verwaltungsgemeinschaft",
    "12": "Amt",
    "13": "Amt",
    "15": "Verbandsgemeinde",
    "16": "Verwaltungsgemeinschaft",
}
SYLLABLES = [
    "Ahr",
    "Bach",
    "Berg",
    "Burg",
    "Dorf",
    "Feld",
    "Hagen",
    "Hausen",
    "Heim",
    "Hof",
    "Kirch",
    "Lind",
    "Mühl",
    "Neu",
    "Ober",
    "Rode",
    "Stein",
    "Tal",
    "Unter",
    "Wald",
    "Weil",
    "Wies",
    "Zell",
    "Brück",
]
TOPICS = ["Datenschutz", "Informationssicherheit", "Datenmanagement", "Vergaberecht", "Digitale Verwaltung"]
SCALE_EMAIL_DOMAIN = "scale.lernplattform.example"
BENCH_PASSWORD = "Scale-Passwort-2026"  # noqa: S105 - documented login of synthetic benchmark data


@dataclass
class Plan:
    learners: int = 300_000
    enrolments: int = 3_000_000
    certificates: int = 1_000_000
    seed: int = 20261202


@dataclass
class Org:
    id: int
    ars: str | None
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    headcount: int
    key: str = ""  # the ARS, or the parent's for bodies without one


def _name(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES).lower()


def organisations_plan(rng: random.Random, first_id: int) -> list[Org]:
    """The ARS tree: Land 2 digits, Regierungsbezirk 1, Kreis 2, Gemeindeverband 4, Gemeinde 3."""
    orgs: list[Org] = []
    next_id = first_id

    def add(ars, name, kind, parent, headcount, label="") -> Org:
        nonlocal next_id
        org = Org(next_id, ars, name, kind, label, parent.id if parent else None, headcount, ars or parent.ars)
        next_id += 1
        orgs.append(org)
        return org

    K = Organisation.Kind
    for (
        code,
        land_name,
        rbs,
        kreise,
        staedte,
    ) in LAENDER:
        land = add(f"{code}0000000000", land_name, K.LAND, None, rng.randint(4000, 20000))
        parents = [land]
        if rbs:
            parents = [
                add(
                    f"{code}{rb}000000000",
                    f"Regierungsbezirk {_name(rng)}",
                    K.REGIERUNGSBEZIRK,
                    land,
                    rng.randint(300, 1500),
                )
                for rb in range(1, rbs + 1)
            ]
        kreis_numbers: dict[tuple[int, bool], int] = {}
        for index in range(kreise + staedte):
            parent = parents[index % len(parents)]
            rb_digit = parent.ars[2] if parent.kind == K.REGIERUNGSBEZIRK else "0"
            # Like the real keys: kreisfreie Städte 01, 02, …; Landkreise from 51 (per Regierungsbezirk).
            counter = (index % len(parents), index >= kreise)
            kreis_numbers[counter] = kreis_numbers.get(counter, 0) + 1
            number = kreis_numbers[counter] + (0 if index >= kreise else 50)
            prefix = f"{code}{rb_digit}{number:02d}"
            if index >= kreise:  # kreisfreie Stadt: one municipality on Kreis level
                add(f"{prefix}0000000", f"Stadt {_name(rng)}", K.KREISFREIE_STADT, parent, rng.randint(800, 12000))
                continue
            kreis = add(f"{prefix}0000000", f"Landkreis {_name(rng)}", K.KREIS, parent, rng.randint(300, 2000))
            count = max(3, int(rng.gauss(GEMEINDEN_PER_KREIS.get(code, 20), 4)))
            share = GV_SHARE.get(code, 0.0)
            in_gv = int(count * share)
            gemeinde_number = 0
            gv_number = 5000
            remaining = in_gv
            while remaining > 0:
                size = min(remaining, rng.randint(4, 14))
                gv_number += 1
                gv = add(
                    f"{prefix}{gv_number:04d}000",
                    f"{GV_LABELS.get(code, 'Amt')} {_name(rng)}",
                    K.GEMEINDEVERBAND,
                    kreis,
                    rng.randint(20, 120),
                    GV_LABELS.get(code, "Amt"),
                )
                for _ in range(size):
                    gemeinde_number += 1
                    add(
                        f"{gv.ars[:9]}{gemeinde_number:03d}",
                        _name(rng),
                        K.GEMEINDE,
                        gv,
                        int(rng.lognormvariate(2.5, 0.8)) + 2,
                        "Ortsgemeinde",
                    )
                remaining -= size
            for _ in range(count - in_gv):
                gemeinde_number += 1
                # Gemeinden outside a Gemeindeverband: "0" + their own number in the GV digits.
                add(
                    f"{prefix}0{gemeinde_number:03d}{gemeinde_number:03d}",
                    _name(rng),
                    K.GEMEINDE,
                    kreis,
                    int(rng.lognormvariate(4.0, 1.0)) + 5,
                    "Gemeinde",
                )
    # Other public bodies (Zweckverbände, Eigenbetriebe), attached to Kreise and large Gemeinden.
    anchors = [o for o in orgs if o.kind in (K.KREIS, K.KREISFREIE_STADT)]
    for anchor in rng.sample(anchors, min(len(anchors), 350)):
        add(None, f"Zweckverband {_name(rng)}", K.OTHER, anchor, rng.randint(10, 300), "Zweckverband")
    return orgs


def _fields_defaults(model: type[models.Model]) -> list[tuple[str, object]]:
    result = []
    for f in model._meta.concrete_fields:
        default = f.get_default() if f.has_default() else None
        result.append((f.column, default))
    return result


def _plain(value):
    # JSON columns go in as text (COPY and SQLite both take it).
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


class Writer:
    """COPY on PostgreSQL, batched INSERTs elsewhere; missing columns take the model's defaults."""

    def __init__(self, stdout: Callable[[str], None]):
        self.stdout = stdout
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], rows: Iterable[dict], label: str) -> int:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            self.stdout(f"  {label}: 0")
            return 0
        rows = itertools.chain([first], rows)
        # Without an explicit id the database's sequence numbers the rows.
        columns = [
            (name, default)
            for name, default in _fields_defaults(model)
            if name != model._meta.pk.column or name in first
        ]
        names = [name for name, _default in columns]
        table = model._meta.db_table
        count = 0

        def tuples() -> Iterator[tuple]:
            nonlocal count
            for row in rows:
                count += 1
                yield tuple(_plain(row.get(name, default)) for name, default in columns)

        with connection.cursor() as cursor:
            if self.postgres:
                quoted = ", ".join(connection.ops.quote_name(n) for n in names)
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for values in tuples():
                        copy.write_row(values)
            else:
                placeholders = ", ".join(["%s"] * len(names))
                sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608 - model names
                batch: list[tuple] = []
                for values in tuples():
                    batch.append(values)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        self.stdout(f"  {label}: {count:n}")
        return count

    def reset_sequence(self, model: type[models.Model]) -> None:
        if not self.postgres:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))",  # noqa: S608
                [table],
            )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def courses_ensure(rng: random.Random) -> list[CoursePage]:
    """Five topics with a course per level and two extra Grundlagen courses each (25 courses)."""
    from courses.catalog.demo import catalog_page_ensure
    from lernplattform.portal.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Keine Startseite gefunden: bitte zuerst `migrate` ausführen.")
    catalog = catalog_page_ensure(home=home)
    courses = []
    for index, name in enumerate(TOPICS):
        topic, _ = Topic.objects.get_or_create(name=name, defaults={"slug": f"skala-{index + 1}"})
        for number, level in enumerate(
            [
                CoursePage.Level.BASIC,
                CoursePage.Level.BASIC,
                CoursePage.Level.BASIC,
                CoursePage.Level.ADVANCED,
                CoursePage.Level.EXPERT,
            ]
        ):
            slug = f"skala-{index + 1}-{number + 1}"
            course = CoursePage.objects.filter(slug=slug).first()
            if course is None:
                course = CoursePage(
                    title=f"{name} – {CoursePage.Level(level).label} {number + 1}",
                    slug=slug,
                    topic=topic,
                    level=level,
                    summary=f"Synthetischer Kurs für Messungen ({name}).",
                )
                catalog.add_child(instance=course)
                course.save_revision().publish()
            courses.append(course)
    return courses


def generate(*, plan: Plan, stdout: Callable[[str], None]) -> dict[str, int]:
    rng = random.Random(plan.seed)  # noqa: S311 - repeatable synthetic data, not secrets
    writer = Writer(stdout)
    today = timezone.localdate()
    now = timezone.now()
    counts: dict[str, int] = {}

    with transaction.atomic():
        courses = courses_ensure(rng)
        orgs = organisations_plan(rng, _next_id(Organisation))
        by_parent_first = sorted(orgs, key=lambda o: (o.parent_id is not None, o.id))
        counts["organisations"] = writer.write(
            Organisation,
            (
                {
                    "id": o.id,
                    "ars": o.ars,
                    "name": o.name,
                    "kind": o.kind,
                    "kind_label": o.kind_label,
                    "parent_id": o.parent_id,
                    "headcount": o.headcount,
                    "requires_approval": False,
                }
                for o in by_parent_first
            ),
            "Organisationen",
        )
        writer.reset_sequence(Organisation)

        # Learners are placed by headcount: a bigger administration has more people on the platform.
        weights = [o.headcount for o in orgs]
        first_user = _next_id(User)
        placements = rng.choices(range(len(orgs)), weights=weights, k=plan.learners)
        unusable = make_password(None)
        counts["users"] = writer.write(
            User,
            (
                {
                    "id": first_user + i,
                    "email": f"person{i:06d}@{SCALE_EMAIL_DOMAIN}",
                    "full_name": f"{_name(rng)} {_name(rng)}",
                    "password": unusable,
                    "is_active": True,
                    "is_staff": False,
                    "is_superuser": False,
                    "last_login": None,
                    "date_joined": now - datetime.timedelta(days=rng.randint(1, 900)),
                }
                for i in range(plan.learners)
            ),
            "Personen",
        )
        first_membership = _next_id(Membership)
        counts["memberships"] = writer.write(
            Membership,
            (
                {
                    "id": first_membership + i,
                    "user_id": first_user + i,
                    "organisation_id": orgs[placements[i]].id,
                    "role": Membership.Role.LEARNER,
                    "valid_from": today - datetime.timedelta(days=rng.randint(30, 900)),
                    "valid_to": None,
                    "approved": True,
                    "created_at": now,
                }
                for i in range(plan.learners)
            ),
            "Mitgliedschaften",
        )
        writer.reset_sequence(User)
        writer.reset_sequence(Membership)

        # Enrolments: distinct courses per person; 55 % completed, 35 % active, 10 % cancelled.
        course_ids = [c.pk for c in courses]
        per_user = plan.enrolments / plan.learners
        completed_pairs: list[tuple[int, int, datetime.datetime]] = []
        enrol_target = plan.enrolments

        def enrolments() -> Iterator[dict]:
            produced = 0
            for i in range(plan.learners):
                if produced >= enrol_target:
                    return
                n = min(len(course_ids), max(0, round(rng.gauss(per_user, 2))))
                n = min(n, enrol_target - produced)
                for course_id in rng.sample(course_ids, n):
                    produced += 1
                    enrolled = now - datetime.timedelta(days=rng.randint(1, 800), minutes=rng.randint(0, 1440))
                    roll = rng.random()
                    row = {
                        "user_id": first_user + i,
                        "course_id": course_id,
                        "method": Enrolment.Method.BULK,
                        "enrolled_at": enrolled,
                        "due_date": None,
                        "completed_at": None,
                        "unenrolled_at": None,
                        "last_activity_at": None,
                        "last_activity_id": None,
                        "enrolled_by_id": None,
                        "unenrolled_by_id": None,
                    }
                    if roll < 0.55:
                        done = enrolled + datetime.timedelta(days=rng.randint(1, 60))
                        row.update(status=Enrolment.Status.COMPLETED, completed_at=done, last_activity_at=done)
                        completed_pairs.append((first_user + i, course_id, done))
                    elif roll < 0.90:
                        row.update(status=Enrolment.Status.ACTIVE)
                        if rng.random() < 0.7:
                            row["last_activity_at"] = enrolled + datetime.timedelta(days=rng.randint(0, 30))
                        if rng.random() < 0.4:
                            row["due_date"] = today + datetime.timedelta(days=rng.randint(-120, 180))
                    else:
                        row.update(
                            status=Enrolment.Status.CANCELLED,
                            unenrolled_at=enrolled + datetime.timedelta(days=rng.randint(1, 30)),
                        )
                    yield row

        counts["enrolments"] = writer.write(Enrolment, enrolments(), "Einschreibungen")
        writer.reset_sequence(Enrolment)

        model = certificate_source.certificate_model()
        if model is not None and plan.certificates:
            counts["certificates"] = certificates_write(
                model=model,
                writer=writer,
                rng=rng,
                completed=completed_pairs,
                limit=plan.certificates,
                placement_of=lambda user_id: orgs[placements[user_id - first_user]],
                courses={c.pk: c for c in courses},
                today=today,
            )
            writer.reset_sequence(model)
        else:
            counts["certificates"] = 0
            stdout("  Zertifikate: übersprungen (courses.certificates hat noch kein Modell)")

        # Logins for the benchmark: a platform admin and admins at Land, Kreis and Gemeinde level.
        admins_create(orgs=orgs, rng=rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Statistics for the planner and the visibility map for index-only scans, as autovacuum
            # would leave them some minutes after a bulk load.
            # (VACUUM cannot run inside a transaction, e.g. in a test: there ANALYZE alone.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return counts


def admins_create(*, orgs: list[Org], rng: random.Random) -> None:
    K = Organisation.Kind
    bavaria = next(o for o in orgs if o.ars == "090000000000")
    kreis = next(o for o in orgs if o.kind == K.KREIS and o.ars.startswith("09"))
    gemeinde = next(o for o in orgs if o.kind == K.GEMEINDE and o.ars.startswith(kreis.ars[:5]))
    password = make_password(BENCH_PASSWORD)
    for email, org, role in (
        (f"plattform@{SCALE_EMAIL_DOMAIN}", bavaria, Membership.Role.PLATFORM_ADMIN),
        (f"land@{SCALE_EMAIL_DOMAIN}", bavaria, Membership.Role.ORG_ADMIN),
        (f"kreis@{SCALE_EMAIL_DOMAIN}", kreis, Membership.Role.ORG_ADMIN),
        (f"gemeinde@{SCALE_EMAIL_DOMAIN}", gemeinde, Membership.Role.ORG_ADMIN),
    ):
        user = User.objects.create(email=email, full_name=f"Messung {org.name}", password=password)
        Membership.objects.create(
            user=user, organisation_id=org.id, role=role, valid_from=timezone.localdate() - datetime.timedelta(days=1)
        )


def certificates_write(
    *,
    model: type[models.Model],
    writer: Writer,
    rng: random.Random,
    completed: list[tuple[int, int, datetime.datetime]],
    limit: int,
    placement_of: Callable[[int], Org],
    courses: dict[int, CoursePage],
    today: datetime.date,
) -> int:
    """Certificates for completed enrolments: 60 % valid, 10 % expiring within 90 days, 20 % expired,
    10 % revoked. The PDF column names a placeholder path (no files are written for synthetic data)."""
    chosen = completed if len(completed) <= limit else rng.sample(completed, limit)
    first_id = _next_id(model)

    def rows() -> Iterator[dict]:
        for index, (user_id, course_id, done) in enumerate(chosen):
            course = courses[course_id]
            org = placement_of(user_id)
            roll = rng.random()
            revoked_at = None
            reason = ""
            if roll < 0.15:
                valid_until = None
            elif roll < 0.60:
                valid_until = today + datetime.timedelta(days=rng.randint(91, 1000))
            elif roll < 0.70:
                valid_until = today + datetime.timedelta(days=rng.randint(0, 90))
            elif roll < 0.90:
                valid_until = today - datetime.timedelta(days=rng.randint(1, 700))
            else:
                valid_until = today + datetime.timedelta(days=rng.randint(-300, 700))
                revoked_at = done + datetime.timedelta(days=rng.randint(1, 30))
                reason = "error"
            yield {
                "id": first_id + index,
                "number": f"S-{first_id + index:010d}",
                "code": f"{rng.getrandbits(96):024x}",
                "user_id": user_id,
                "organisation_id": org.id,
                "organisation_ars": org.key,
                "course_id": course_id,
                "path_id": None,
                "topic_id": course.topic_id,
                "level": course.level,
                "course_completion_id": None,
                "path_completion_id": None,
                "template_id": None,
                "holder_name": f"Person {user_id}",
                "title": course.title,
                "snapshot": {"synthetic": True},
                "completed_at": done,
                "issued_at": done,
                "valid_until": valid_until,
                "pdf": "certificates/synthetisch.pdf",
                "pdf_sha256": "0" * 64,
                "renews_id": None,
                "cycle": 1,
                "renewal_opened_at": None,
                "revoked_at": revoked_at,
                "revoked_by_id": None,
                "revocation_reason": reason,
                "revocation_comment": "",
                "replaced_by_id": None,
            }

    return writer.write(model, rows(), "Zertifikate")


def certificates_add(*, plan: Plan, stdout: Callable[[str], None]) -> int:
    """Certificates for data generated before courses.certificates had its model (`--add-certificates`).

    Picks completed enrolments in id order with probability limit/total (the seed decides), so the
    same data and seed give the same certificates.
    """
    model = certificate_source.certificate_model()
    if model is None:
        raise RuntimeError("courses.certificates hat noch kein Zertifikatsmodell.")
    if model.objects.exists():
        raise RuntimeError("Es gibt schon Zertifikate; nichts wurde geändert.")
    rng = random.Random(plan.seed + 1)  # noqa: S311 - repeatable synthetic data, not secrets
    today = timezone.localdate()
    keys = dict(
        Organisation.objects.annotate(key=models.functions.Coalesce("ars", "parent__ars")).values_list("pk", "key")
    )
    placement: dict[int, Org] = {}
    for user_id, org_id in Membership.objects.filter(role=Membership.Role.LEARNER).values_list(
        "user_id", "organisation_id"
    ):
        placement[user_id] = Org(org_id, None, "", "", "", None, 0, keys.get(org_id) or "")
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, user_id__in=placement.keys())
    total = completed.count()
    share = min(1.0, plan.certificates / total) if total else 0
    chosen = [
        (user_id, course_id, done)
        for user_id, course_id, done in completed.order_by("pk")
        .values_list("user_id", "course_id", "completed_at")
        .iterator(chunk_size=20_000)
        if rng.random() < share
    ][: plan.certificates]
    courses = {c.pk: c for c in CoursePage.objects.filter(pk__in={c for _u, c, _d in chosen})}
    writer = Writer(stdout)
    with transaction.atomic():
        count = certificates_write(
            model=model,
            writer=writer,
            rng=rng,
            completed=chosen,
            limit=plan.certificates,
            placement_of=placement.__getitem__,
            courses=courses,
            today=today,
        )
        writer.reset_sequence(model)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return count


# How much of this month's figures a generated history month had, per month back: registrations
# grow slowly, learning faster (a platform that is being rolled out).
HISTORY_GROWTH = {"registered": 0.01, "default": 0.05}


def snapshot_history(*, months: int, stdout: Callable[[str], None] | None = None) -> int:
    """Backdate this month's snapshot into the `months - 1` months before it, so that trends have a
    history to read and to measure: month k back holds this month's figures scaled down (registered
    by 1 % per month, every other figure by 5 %). One INSERT … SELECT per month, in the database;
    months that already have snapshots are left alone (a second run writes nothing). Synthetic data
    only (bench/reports.py): a real history comes from `reports.snapshot_take` each month.
    """
    from .models import MonthlySnapshot
    from .services import first_of_month

    this_month = first_of_month(timezone.localdate())
    if not MonthlySnapshot.objects.filter(month=this_month).exists():
        raise RuntimeError("Für diesen Monat gibt es noch keinen Monatsstand (erst reports.snapshot_take).")
    table = connection.ops.quote_name(MonthlySnapshot._meta.db_table)
    figures = list(MonthlySnapshot.FIGURES)
    written = 0
    month = this_month
    for back in range(1, months):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        if MonthlySnapshot.objects.filter(month=month).exists():
            continue
        scaled = []
        params: list = [connection.ops.adapt_datefield_value(month), timezone.now()]
        for name in figures:
            share = max(0.0, 1 - back * HISTORY_GROWTH.get(name, HISTORY_GROWTH["default"]))
            scaled.append(f"CAST({name} * %s AS INTEGER)")
            params.append(share)
        params.append(connection.ops.adapt_datefield_value(this_month))
        sql = (
            f"INSERT INTO {table} (month, taken_at, organisation_id, ars, topic_id, {', '.join(figures)}) "  # noqa: S608 - fixed names; values are parameters
            f"SELECT %s, %s, organisation_id, ars, topic_id, {', '.join(scaled)} FROM {table} WHERE month = %s"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
        written += rows
        if stdout:
            stdout(f"  Monatsstand {month:%m.%Y}: {rows:n} Zeilen")
    return written
