#!/usr/bin/env python3
"""Reports benchmark: the JSON API over HTTP on the generated national data, plus plain SQL.

Run through bench/run_reports.sh (it starts gunicorn on the scale database). Measures, as p50/p95
over --repeat requests each (after --warmup requests):
  - the national roll-up (platform admin, /api/v1/reports/germany/),
  - one Land's drill-down (Bayern, as its admin),
  - one Kreis (as its admin) and one Gemeinde dashboard (as its admin),
  - a people list page (the Kreis, page 2),
and in the same run the same roll-ups as plain SQL aggregates over the certificates joined to users
and organisations (psycopg, no ORM), and a 100,000-row XLSX people export written in-process with
the export code (XlsxWriter constant memory): its time and RSS growth untraced, and its peak Python
memory (tracemalloc) at 10,000 and 30,000 rows.

Needs DATABASE_URL (the scale database) and the logins generate_scale_data prints.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "scale.lernplattform.example"
PASSWORD = "Scale-Passwort-2026"  # noqa: S105 - the documented login of the synthetic data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, values: list[float]) -> dict:
    return {
        "name": name,
        "n": len(values),
        "p50_ms": round(percentile(values, 0.5), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def _loopback_cookies(session: requests.Session) -> None:
    # Production settings mark cookies Secure; on plain-HTTP loopback the client must send them anyway.
    for cookie in session.cookies:
        cookie.secure = False


def login(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/konto/anmelden/", timeout=30)
    page.raise_for_status()
    _loopback_cookies(session)
    token = session.cookies.get("csrftoken")
    response = session.post(
        f"{base}/konto/anmelden/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/konto/anmelden/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"Anmeldung für {email} fehlgeschlagen ({response.status_code}).")
    _loopback_cookies(session)
    return session


def timed(session: requests.Session, url: str, *, warmup: int, repeat: int) -> tuple[list[float], dict]:
    data = {}
    for _ in range(warmup):
        response = session.get(url, timeout=120)
        response.raise_for_status()
        data = response.json()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = session.get(url, timeout=120)
        response.raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
        data = response.json()
    return times, data


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lernplattform.settings.base")
    import django

    django.setup()


def sql_rollups(*, land: str, kreis: str, gemeinde: str, repeat: int) -> list[dict]:
    """The same roll-ups as plain SQL: people with a valid certificate, per child prefix."""
    from django.db import connection

    base = """
        SELECT substr(c.organisation_ars, 1, %(length)s) AS key, c.level, count(DISTINCT c.user_id)
        FROM certificates_certificate c
        JOIN accounts_user u ON u.id = c.user_id
        JOIN accounts_organisation o ON o.id = c.organisation_id
        WHERE c.revoked_at IS NULL AND c.replaced_by_id IS NULL
          AND (c.valid_until IS NULL OR c.valid_until >= CURRENT_DATE)
          AND u.is_active AND c.organisation_ars LIKE %(prefix)s
        GROUP BY 1, 2
    """
    cases = [
        ("SQL national roll-up (Länder)", {"length": 2, "prefix": "%"}),
        ("SQL Land drill-down (Kreise)", {"length": 5, "prefix": land + "%"}),
        ("SQL Kreis (Gemeinden)", {"length": 12, "prefix": kreis + "%"}),
        ("SQL Gemeinde", {"length": 12, "prefix": gemeinde + "%"}),
    ]
    from lernplattform.reports.certificate_source import certificate_model

    if certificate_model() is None:
        # Before courses.certificates exists: the same shape over completed enrolments, joined to users,
        # their memberships and organisations (ARS prefix).
        base = """
            SELECT substr(o.ars, 1, %(length)s) AS key, count(DISTINCT e.user_id)
            FROM progress_enrolment e
            JOIN accounts_user u ON u.id = e.user_id
            JOIN accounts_membership m ON m.user_id = e.user_id AND m.valid_to IS NULL
            JOIN accounts_organisation o ON o.id = m.organisation_id
            WHERE e.status = 'completed' AND u.is_active AND o.ars LIKE %(prefix)s
            GROUP BY 1
        """
        cases = [(name.replace("SQL", "SQL (Abschlüsse)"), params) for name, params in cases]
    results = []
    with connection.cursor() as cursor:
        for name, params in cases:
            times = []
            for index in range(repeat + 1):
                started = time.perf_counter()
                cursor.execute(base, params)
                cursor.fetchall()
                if index:  # the first run warms the cache
                    times.append((time.perf_counter() - started) * 1000)
            results.append(summary(name, times))
    return results


def trend_measure(*, land_id: int, kreis_id: int, gemeinde_id: int, repeat: int) -> list[dict]:
    """The monthly trend of a dashboard (12 months of snapshots, summed over the node by ARS prefix),
    in process: the query each dashboard runs, timed on its own, with the number of months found."""
    from functools import partial

    from lernplattform.accounts.models import Organisation
    from lernplattform.reports import selectors

    results = []
    for label, pk in (("Deutschland", None), ("Land", land_id), ("Kreis", kreis_id), ("Gemeinde", gemeinde_id)):
        organisation = Organisation.objects.get(pk=pk) if pk else None
        ways = [("", partial(selectors.trend, organisation=organisation, topic=None))]
        if organisation is None or organisation.kind in selectors.TREND_CACHED_KINDS:
            # What a dashboard gets (newest month + cache), and the sums the cache saves.
            start = selectors.trend(organisation=organisation, topic=None)[0][0]
            ways.append(
                (
                    ", Summen ohne Cache",
                    partial(selectors._trend_sums, organisation=organisation, topic=None, start=start),
                )
            )
        for suffix, read in ways:
            times = []
            months = 0
            for index in range(repeat + 1):
                started = time.perf_counter()
                months = len(read())
                if index:  # the first run warms the cache
                    times.append((time.perf_counter() - started) * 1000)
            results.append(summary(f"Verlauf {label} ({months} Monate{suffix}, im Prozess)", times))
    return results


def export_measure(rows: int, *, trace: bool) -> dict:
    """Write a people export of `rows` rows (Germany, platform scope) with the export code.

    With `trace`, tracemalloc records the peak Python memory (and slows Python several times, so
    the time of a traced run is not the export's time); without it the time is the export's own and
    the memory is the growth of the process's peak RSS (ru_maxrss) during the run.
    """
    import resource
    from itertools import islice

    from lernplattform.reports import exports
    from lernplattform.reports.figures import ReportFilters
    from lernplattform.reports.permissions import ReportScope
    from lernplattform.reports.selectors import PeopleQuery

    scope = ReportScope(national=True, roots=())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        source = exports.people_rows(scope=scope, organisation=None, filters=ReportFilters(), people=PeopleQuery())
        written = exports.write_xlsx(str(path), exports.people_headers(), islice(source, rows), sheet="Personen")
        size = path.stat().st_size
    seconds = time.perf_counter() - started
    result = {"rows": written, "seconds": round(seconds, 1), "bytes": size, "traced": trace}
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["peak_python_mib"] = round(peak / 2**20, 1)
    result["rss_growth_mib"] = round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8181")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    sessions = {who: login(base, f"{who}@{DOMAIN}") for who in ("plattform", "land", "kreis", "gemeinde")}
    results = []
    _, germany = timed(sessions["plattform"], f"{base}/api/v1/reports/germany/", warmup=1, repeat=0)
    land_id = next(row["organisation_id"] for row in germany["children"] if row["ars"] == "090000000000")

    times, germany = timed(
        sessions["plattform"], f"{base}/api/v1/reports/germany/", warmup=args.warmup, repeat=args.repeat
    )
    results.append(summary("API national roll-up", times))
    times, land = timed(
        sessions["land"], f"{base}/api/v1/reports/organisations/{land_id}/", warmup=args.warmup, repeat=args.repeat
    )
    results.append(summary("API Land drill-down (Bayern)", times))

    # The Kreis and Gemeinde the generator gave admins to: their own home pages.
    home = sessions["kreis"].get(f"{base}/auswertungen/", allow_redirects=False, timeout=30).headers["Location"]
    kreis_id = int(home.rstrip("/").split("/")[-1])
    home = sessions["gemeinde"].get(f"{base}/auswertungen/", allow_redirects=False, timeout=30).headers["Location"]
    gemeinde_id = int(home.rstrip("/").split("/")[-1])
    times, kreis = timed(
        sessions["kreis"], f"{base}/api/v1/reports/organisations/{kreis_id}/", warmup=args.warmup, repeat=args.repeat
    )
    results.append(summary(f"API Kreis ({kreis['name']}, {len(kreis['children'])} Zeilen)", times))
    times, gemeinde = timed(
        sessions["gemeinde"],
        f"{base}/api/v1/reports/organisations/{gemeinde_id}/",
        warmup=args.warmup,
        repeat=args.repeat,
    )
    results.append(summary(f"API Gemeinde dashboard ({gemeinde['name']})", times))
    times, people = timed(
        sessions["kreis"],
        f"{base}/api/v1/reports/organisations/{kreis_id}/people/?seite=2&sortierung=name",
        warmup=args.warmup,
        repeat=args.repeat,
    )
    results.append(summary(f"API people list page (Kreis, {people['count']} Personen)", times))

    django_setup()
    results.extend(
        sql_rollups(land=land["ars"][:2], kreis=kreis["ars"][:5], gemeinde=gemeinde["ars"], repeat=args.repeat)
    )
    results.extend(trend_measure(land_id=land_id, kreis_id=kreis_id, gemeinde_id=gemeinde_id, repeat=args.repeat))
    # Time and RSS first (untraced, 100,000 rows), then the Python peak traced at 10,000 and 30,000 rows.
    large = export_measure(args.export_rows, trace=False)
    small = export_measure(min(10_000, args.export_rows), trace=True)
    medium = export_measure(min(30_000, args.export_rows), trace=True)

    print(f"{'Messung':60} {'n':>4} {'p50 ms':>9} {'p95 ms':>9}")
    for row in results:
        print(f"{row['name']:60} {row['n']:>4} {row['p50_ms']:>9} {row['p95_ms']:>9}")
    print(
        f"XLSX-Export {large['rows']:,} Zeilen: {large['seconds']} s, {large['bytes'] / 2**20:.1f} MiB Datei, "
        f"Spitzen-RSS des Prozesses +{large['rss_growth_mib']} MiB (ohne tracemalloc)"
    )
    for traced in (small, medium):
        print(
            f"XLSX-Export {traced['rows']:,} Zeilen mit tracemalloc: Spitze {traced['peak_python_mib']} MiB (Python), "
            f"{traced['seconds']} s (durch tracemalloc verlangsamt)"
        )
    print(f"Quelle national: {germany['source']}, Stand {germany['stand']}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "export": [large, small, medium], "stand": germany["stand"]}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
