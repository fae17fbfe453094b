"""Exports of report views as CSV and XLSX.

The figures of a node (its drill-down table, privacy rules applied) are small and written in the
request. People lists can be long: up to `SYNC_EXPORT_LIMIT` rows they are written in the request,
above that a Celery task writes the file (XlsxWriter in constant-memory mode: rows go to disk as they
come, memory stays flat) and offers it to the requester alone until it expires.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lernplattform.accounts.models import Organisation

from . import selectors
from .figures import ReportFilters
from .permissions import ReportScope

SYNC_EXPORT_LIMIT = 2000
CHUNK = 2000
LEVEL_NAMES = {0: "keine", 1: "Grundlagen", 2: "Fortgeschritten", 3: "Expertise"}


def figures_table(*, report: selectors.NodeReport) -> tuple[list[str], list[list]]:
    """The drill-down table as rows: suppressed cells are exported as "< 5" / "nicht ausgewiesen"."""
    headers = [
        _("Organisation"),
        _("ARS"),
        _("Beschäftigte"),
        _("Registriert"),
        _("Eingeschrieben"),
        _("In Bearbeitung"),
        _("Abgeschlossen"),
        _("Frist überschritten"),
        *[label for _name, label in report.level_columns],
        _("Quote (%s)") % report.qualified_label,
        _("Läuft ab (90 Tage)"),
        _("Rezertifizierung überfällig"),
    ]
    rows = []
    for row in [*report.rows, report.total]:
        org = row.organisation
        rows.append(
            [
                row.label,
                (org.ars or "") if org is not None and not row.is_own_staff and row is not report.total else "",
                row.headcount.total if row.headcount.complete else _("Beschäftigtenzahl fehlt"),
                *[
                    row.cells[name].export_value()
                    for name in ("registered", "enrolled", "in_progress", "completed", "overdue")
                ],
                *[row.cells[name].export_value() for name, _label in report.level_columns],
                str(row.quota),
                row.cells["expiring"].export_value(),
                row.cells["recert_overdue"].export_value(),
            ]
        )
    return headers, rows


PEOPLE_HEADERS = (
    "Name",
    "E-Mail",
    "Organisation",
    "ARS",
    "Höchstes gültiges Niveau",
    "Einschreibungen",
    "In Bearbeitung",
    "Frist überschritten",
    "Abgeschlossen",
)


def people_headers() -> list[str]:
    return [_(header) for header in PEOPLE_HEADERS]


def people_rows(
    *,
    scope: ReportScope,
    organisation: Organisation | None,
    filters: ReportFilters,
    people: selectors.PeopleQuery,
) -> Iterator[list]:
    """Every row of a people list (no scores, ever), in blocks of CHUNK rows: the placements come
    through one server-side cursor, each block's figures from one grouped query."""
    queryset = selectors.people_in_scope(scope=scope, organisation=organisation, filters=filters, people=people)
    rows = queryset.iterator(chunk_size=CHUNK)
    while block := list(itertools.islice(rows, CHUNK)):
        for row in selectors.people_figures_attach(block, filters=filters):
            yield [
                row.user.full_name,
                row.user.email,
                row.organisation.name,
                row.organisation.ars or "",
                LEVEL_NAMES.get(row.level_rank or 0, "keine"),
                row.current_count,
                row.in_progress_count,
                row.overdue_count,
                row.completed_count,
            ]


def people_count(
    *, scope: ReportScope, organisation: Organisation | None, filters: ReportFilters, people: selectors.PeopleQuery
) -> int:
    return selectors.people_in_scope(scope=scope, organisation=organisation, filters=filters, people=people).count()


def _csv_safe(value):
    # Spreadsheet formula injection: a cell that starts like a formula is quoted as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(stream: IO[str], headers: list[str], rows: Iterable[list]) -> int:
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([str(header) for header in headers])
    count = 0
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
        count += 1
    return count


def write_xlsx(target, headers: list[str], rows: Iterable[list], *, sheet: str = "Auswertung") -> int:
    """Write an XLSX file to a path or binary stream; constant memory (row by row to disk)."""
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, [str(header) for header in headers], bold)
    worksheet.freeze_panes(1, 0)
    count = 0
    for index, row in enumerate(rows, start=1):
        worksheet.write_row(index, 0, [str(value) if isinstance(value, Promise) else value for value in row])
        count += 1
    workbook.close()
    return count


def xlsx_bytes(headers: list[str], rows: Iterable[list], *, sheet: str = "Auswertung") -> bytes:
    """A small XLSX in memory (constant-memory mode still streams rows through a temporary file)."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_xlsx(handle.name, headers, rows, sheet=sheet)
        handle.seek(0)
        return handle.read()
