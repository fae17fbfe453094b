"""Report pages: the dashboard per node of the ARS path, targets, people lists, the access log.

Views translate HTTP into selector and service calls; scope and privacy rules live there.
"""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import Organisation
from lernplattform.core.errors import ApplicationError

from . import exports, selectors, services
from .forms import ReportFilterForm, TargetForm
from .models import AccessLogEntry, QualificationTarget, ReportExport
from .permissions import ReportScope, may_set_targets, report_scope_for

PEOPLE_PAGE_SIZE = 50


def report_access_required(view):
    """Organisation and platform admins only; the scope travels with the request."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        scope = report_scope_for(viewer=request.user)
        if scope.is_empty:
            raise PermissionDenied(_("Auswertungen sind der Organisations- und Plattformverwaltung vorbehalten."))
        request.report_scope = scope
        return view(request, *args, **kwargs)

    return wrapper


def _node(request: HttpRequest, pk: int | None) -> Organisation | None:
    """The organisation of the URL if it is in the viewer's scope; outside it, a plain 404."""
    scope: ReportScope = request.report_scope
    if pk is None:
        if not scope.national:
            raise Http404
        return None
    organisation = scope.node(pk)
    if organisation is None:
        raise Http404
    return organisation


def node_url(organisation: Organisation | None, params: dict | None = None) -> str:
    url = reverse("reports:germany") if organisation is None else reverse("reports:node", args=[organisation.pk])
    return f"{url}?{urlencode(params)}" if params else url


def _export_links(organisation: Organisation | None, what: str, query: str) -> list[tuple[str, str]]:
    links = []
    for fmt, label in (("csv", _("Als CSV exportieren")), ("xlsx", _("Als XLSX exportieren"))):
        if organisation is None:
            url = reverse(f"reports:germany_{what}_export", args=[fmt])
        else:
            url = reverse(f"reports:{what}_export", args=[organisation.pk, fmt])
        links.append((label, f"{url}?{query}" if query else url))
    return links


@report_access_required
def home(request: HttpRequest) -> HttpResponse:
    """Start at the viewer's own level: Germany for platform admins, else their organisation."""
    scope: ReportScope = request.report_scope
    return redirect(node_url(scope.home()))


def _render_node(
    request: HttpRequest, organisation: Organisation | None, *, target_form: TargetForm | None = None, status: int = 200
) -> HttpResponse:
    scope: ReportScope = request.report_scope
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    report = selectors.node_report(scope=scope, organisation=organisation, filters=filters)
    can_set_targets = organisation is not None and may_set_targets(scope=scope, organisation=organisation)
    if can_set_targets and target_form is None:
        target_form = TargetForm(organisation=organisation)
    params = filters.as_params()
    return render(
        request,
        "reports/node.html",
        {
            "report": report,
            "form": form,
            "params": params,
            "query_string": urlencode(params),
            "export_links": _export_links(organisation, "figures", urlencode(params)),
            "organisation": organisation,
            "scope": scope,
            "other_roots": [root for root in scope.roots if organisation is None or root.pk != organisation.pk],
            "target_form": target_form if can_set_targets else None,
            "can_set_targets": can_set_targets,
            "max_level_value": max(
                [1, *[report.total.cells[name].value or 0 for name, _label in report.level_columns]]
            ),
        },
        status=status,
    )


@report_access_required
def node(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _render_node(request, _node(request, pk))


@report_access_required
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _node(request, pk)
    form = TargetForm(request.POST, organisation=organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            target = services.target_create(
                actor=request.user,
                organisation=organisation,
                topic=data["topic"],
                level=data["level"],
                kind=data["kind"],
                value=data["value"],
                due_date=data["due_date"],
                applies_to=data["applies_to"],
                note=data.get("note") or "",
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Ziel gespeichert: %(goal)s") % {"goal": target.describe()})
            return redirect(node_url(organisation) + "#ziele")
    return _render_node(request, organisation, target_form=form, status=400)


@report_access_required
@require_POST
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    organisation = _node(request, pk)
    target = get_object_or_404(QualificationTarget, pk=target_pk, organisation=organisation)
    try:
        services.target_delete(actor=request.user, target=target)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ziel gelöscht."))
    return redirect(node_url(organisation) + "#ziele")


PEOPLE_STATUS_CHOICES = [
    ("", _("Alle")),
    ("enrolled", _("eingeschrieben")),
    ("in_progress", _("in Bearbeitung")),
    ("overdue", _("Frist überschritten")),
    ("completed", _("mit Abschluss")),
    ("none", _("ohne Einschreibung")),
]


@report_access_required
def people(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The people of a node within the viewer's scope: enrolments, completions, qualification, no scores."""
    organisation = _node(request, pk)
    scope: ReportScope = request.report_scope
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    people_query = selectors.people_query_from_params(request.GET)
    rows = selectors.people_in_scope(scope=scope, organisation=organisation, filters=filters, people=people_query)
    page = selectors.people_page(rows, number=request.GET.get("seite"), per_page=PEOPLE_PAGE_SIZE)
    page.object_list = selectors.people_figures_attach(list(page.object_list), filters=filters)
    completions = selectors.people_completions(user_ids=[row.user_id for row in page.object_list], filters=filters)
    for row in page.object_list:
        row.completions = completions.get(row.user_id, [])
    params = {
        **filters.as_params(),
        "suche": people_query.query,
        "status": people_query.status,
        "qualifikation": people_query.qualification,
    }
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.PEOPLE_LIST,
        organisation=organisation,
        filters={**params, "sortierung": people_query.sort, "seite": str(page.number)},
        row_count=len(page.object_list),
    )
    params = {k: v for k, v in params.items() if v}
    return render(
        request,
        "reports/people.html",
        {
            "organisation": organisation,
            "label": selectors.node_label(organisation),
            "breadcrumb": selectors.breadcrumb(organisation=organisation, scope=scope),
            "form": form,
            "page": page,
            "people_query": people_query,
            "status_choices": PEOPLE_STATUS_CHOICES,
            "level_choices": CoursePage.Level.choices,
            "params": params,
            "query_string": urlencode(params),
            "sort_string": urlencode({**params, "sortierung": people_query.sort}),
            "export_links": _export_links(
                organisation, "people", urlencode({**params, "sortierung": people_query.sort})
            ),
            "sorts": [
                ("name", _("Name A–Z")),
                ("-name", _("Name Z–A")),
                ("organisation", _("Organisation")),
                ("overdue", _("Überfällige zuerst")),
                ("enrolled", _("Meiste Einschreibungen zuerst")),
            ],
        },
    )


@report_access_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Platform admins: who looked at or exported which people list, when."""
    scope: ReportScope = request.report_scope
    if not scope.national:
        raise PermissionDenied(_("Das Zugriffsprotokoll sieht nur die Plattformverwaltung."))
    query = request.GET.get("suche", "").strip()[:100]
    action = request.GET.get("aktion", "")
    if action not in AccessLogEntry.Action.values:
        action = ""
    page = Paginator(selectors.access_log(user_query=query, action=action), 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "reports/access_log.html",
        {
            "page": page,
            "query": query,
            "action": action,
            "actions": AccessLogEntry.Action.choices,
            "query_string": urlencode({k: v for k, v in {"suche": query, "aktion": action}.items() if v}),
        },
    )


# Exports ----------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _file_response(content: bytes, *, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export_name(organisation: Organisation | None, what: str) -> str:
    key = organisation.ars or str(organisation.pk) if organisation is not None else "deutschland"
    return f"{what}-{key}-{timezone.localdate():%Y-%m-%d}"


def _encode(fmt: str, headers: list[str], rows) -> bytes:
    if fmt == "xlsx":
        return exports.xlsx_bytes(headers, rows)
    stream = io.StringIO()
    exports.write_csv(stream, headers, rows)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")  # BOM: spreadsheet programs read UTF-8


@report_access_required
def figures_export(request: HttpRequest, fmt: str, pk: int | None = None) -> HttpResponse:
    """The drill-down table of a node as CSV/XLSX, with the same privacy rules as the page."""
    organisation = _node(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    filters = ReportFilterForm(request.GET or None).filters()
    report = selectors.node_report(scope=request.report_scope, organisation=organisation, filters=filters)
    headers, rows = exports.figures_table(report=report)
    return _file_response(_encode(fmt, headers, rows), fmt=fmt, name=_export_name(organisation, "qualifizierung"))


@report_access_required
def people_export(request: HttpRequest, fmt: str, pk: int | None = None) -> HttpResponse:
    """A people list as CSV/XLSX: small ones at once, large ones built by a task for the requester alone."""
    organisation = _node(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    scope: ReportScope = request.report_scope
    filters = ReportFilterForm(request.GET or None).filters()
    people_query = selectors.people_query_from_params(request.GET)
    params = {
        key: value
        for key, value in {
            **filters.as_params(),
            "suche": people_query.query,
            "status": people_query.status,
            "qualifikation": people_query.qualification,
            "sortierung": people_query.sort,
        }.items()
        if value
    }
    count = exports.people_count(scope=scope, organisation=organisation, filters=filters, people=people_query)
    if count > exports.SYNC_EXPORT_LIMIT:
        try:
            services.export_request(
                user=request.user, organisation=organisation, params=params, fmt=fmt, row_count=count
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(node_url(organisation))
        messages.success(
            request,
            _(
                "Der Export mit %(count)s Zeilen wird erstellt. Sie erhalten eine E-Mail, sobald er bereitsteht; "
                "dann finden Sie ihn hier."
            )
            % {"count": f"{count:n}"},
        )
        return redirect("reports:exports")
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.PEOPLE_EXPORT,
        organisation=organisation,
        filters={**params, "format": fmt},
        row_count=count,
    )
    rows = exports.people_rows(scope=scope, organisation=organisation, filters=filters, people=people_query)
    return _file_response(
        _encode(fmt, exports.people_headers(), rows), fmt=fmt, name=_export_name(organisation, "personen")
    )


@report_access_required
def export_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/exports.html",
        {
            "exports": selectors.exports_for(user=request.user, scope=request.report_scope),
            "lifetime_hours": int(services.EXPORT_LIFETIME.total_seconds() // 3600),
        },
    )


@report_access_required
def export_download(request: HttpRequest, export_pk: int) -> FileResponse:
    """Only the requester, only while it has not expired and its area is in her scope; else a 404."""
    export = get_object_or_404(
        selectors.exports_for(user=request.user, scope=request.report_scope),
        pk=export_pk,
        status=ReportExport.Status.READY,
        expires_at__gt=timezone.now(),
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"personen-{export.pk}.{export.format}",
        content_type=CONTENT_TYPES[export.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
