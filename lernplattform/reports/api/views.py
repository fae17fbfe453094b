"""REST API for reports (under /api/v1/reports/): the same figures as the pages, scoped by membership.

Suppressed cells come as ``{"value": null, "display": "< 5", "suppressed": true}``; exact ones carry
their number. People lists never contain scores or attempts, and every call is logged.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lernplattform.accounts.models import Organisation
from lernplattform.reports import selectors, services
from lernplattform.reports.exports import LEVEL_NAMES
from lernplattform.reports.figures import FIGURES
from lernplattform.reports.forms import ReportFilterForm
from lernplattform.reports.models import AccessLogEntry
from lernplattform.reports.permissions import ReportScope, report_scope_for

from .serializers import (
    NodeSerializer,
    PeoplePageSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter("thema", int, description="Themenfeld (id)"),
    OpenApiParameter("kurs", int, description="Kurs (id)"),
    OpenApiParameter("niveau", str, enum=["grundlagen", "fortgeschritten", "expertise"], description="Mindestniveau"),
    OpenApiParameter("zeitraum", str, enum=["30", "90", "365"], description="Tage zurück (Einschreibung/Abschluss)"),
]


def _cell(cell) -> dict:
    return {"value": cell.value if cell.shown else None, "display": str(cell), "suppressed": not cell.shown}


def _row(row: selectors.ReportRow) -> dict:
    org = row.organisation
    return {
        "organisation_id": org.pk if org is not None else None,
        "ars": org.ars if org is not None else None,
        "name": row.label,
        "kind": org.kind if org is not None else None,
        "own_staff": row.is_own_staff,
        "headcount": {
            "total": row.headcount.total,
            "missing": row.headcount.missing,
            "organisations": row.headcount.organisations,
            "complete": row.headcount.complete,
        },
        "figures": {name: _cell(row.cells[name]) for name in FIGURES},
        "qualified": _cell(row.qualified),
        "quota_percent": row.quota.percent,
        "quota": str(row.quota),
    }


def _target(status: selectors.TargetStatus) -> dict:
    target = status.target
    return {
        "id": target.pk,
        "description": target.describe(),
        "organisation_id": target.organisation_id,
        "applies_to": target.applies_to,
        "topic_id": target.topic_id,
        "level": target.level,
        "kind": target.kind,
        "value": target.value,
        "due_date": target.due_date.isoformat(),
        "inherited": status.inherited,
        "required": status.required,
        "actual": _cell(status.actual),
        "gap": _cell(status.gap) if status.gap is not None else None,
        "met": status.met,
        "reason": status.reason,
        "organisations_met": status.organisations_met,
        "organisations_total": status.organisations_total,
    }


class _ReportAPIView(APIView):
    def scope(self, request: Request) -> ReportScope:
        scope = report_scope_for(viewer=request.user)
        if scope.is_empty:
            raise PermissionDenied("Auswertungen sind der Organisations- und Plattformverwaltung vorbehalten.")
        return scope

    def node(self, scope: ReportScope, pk: int | None) -> Organisation | None:
        if pk is None:
            if not scope.national:
                raise Http404
            return None
        organisation = scope.node(pk)
        if organisation is None:
            raise Http404
        return organisation


class NodeView(_ReportAPIView):
    """Figures of Germany (platform admins) or an organisation's area, with one row per child."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=NodeSerializer)
    def get(self, request: Request, pk: int | None = None) -> Response:
        scope = self.scope(request)
        organisation = self.node(scope, pk)
        filters = ReportFilterForm(request.query_params or None).filters()
        report = selectors.node_report(scope=scope, organisation=organisation, filters=filters)
        data = {
            "organisation_id": organisation.pk if organisation else None,
            "name": report.label,
            "ars": organisation.ars if organisation else None,
            "source": report.source,
            "stand": timezone.localtime(report.stand).isoformat() if report.stand else None,
            "breadcrumb": [
                {"name": label, "organisation_id": org.pk if org else None, "allowed": allowed}
                for label, org, allowed in report.breadcrumb
            ],
            "total": _row(report.total),
            "children": [_row(row) for row in report.rows],
            "targets": [_target(status) for status in report.targets],
        }
        # The serializer documents the shape (OpenAPI); the dict already has it in plain JSON types,
        # so it goes out as it is (running ~100 nested field serializers per call cost more than the
        # figures of a Gemeinde).
        return Response(data)


class PeopleView(_ReportAPIView):
    """People of a node within the viewer's scope (50 per page); no scores or attempts; logged."""

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("suche", str),
            OpenApiParameter("status", str, enum=["enrolled", "in_progress", "overdue", "completed", "none"]),
            OpenApiParameter("qualifikation", str, enum=["keine", "grundlagen", "fortgeschritten", "expertise"]),
            OpenApiParameter("sortierung", str, enum=list(selectors.PEOPLE_SORTS)),
            OpenApiParameter("seite", int),
        ],
        responses=PeoplePageSerializer,
    )
    def get(self, request: Request, pk: int | None = None) -> Response:
        scope = self.scope(request)
        organisation = self.node(scope, pk)
        filters = ReportFilterForm(request.query_params or None).filters()
        people = selectors.people_query_from_params(request.query_params)
        rows = selectors.people_in_scope(scope=scope, organisation=organisation, filters=filters, people=people)
        page = selectors.people_page(rows, number=request.query_params.get("seite"), per_page=50)
        page.object_list = selectors.people_figures_attach(list(page.object_list), filters=filters)
        services.access_log_record(
            user=request.user,
            action=AccessLogEntry.Action.PEOPLE_API,
            organisation=organisation,
            filters={**filters.as_params(), "suche": people.query, "status": people.status, "seite": str(page.number)},
            row_count=len(page.object_list),
        )
        results = [
            {
                "user_id": row.user_id,
                "full_name": row.user.full_name,
                "email": row.user.email,
                "organisation_id": row.organisation_id,
                "organisation": row.organisation.name,
                "ars": row.organisation.ars,
                "highest_level": LEVEL_NAMES.get(row.level_rank or 0, "keine"),
                "enrolments": row.current_count,
                "in_progress": row.in_progress_count,
                "overdue": row.overdue_count,
                "completed": row.completed_count,
            }
            for row in page.object_list
        ]
        data = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": results,
        }
        return Response(data)  # the shape of PeoplePageSerializer (see NodeView)
