"""Pages of bulk enrolment for organisation admins: upload, report, confirm, status, download.

Thin views: validation and import live in `bulk_services` and run as Celery tasks; these pages
show their state. The status page works without JavaScript (it refreshes itself); with it, a
small script polls the JSON status and announces progress to screen readers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.catalog.models import CoursePage
from lernplattform.core.errors import ApplicationError

from . import bulk_services
from .forms import BulkEnrolmentForm
from .models import BulkEnrolment, BulkEnrolmentLine


def _require_admin(request: HttpRequest) -> None:
    if not bulk_services.bulk_enrolment_may_use(user=request.user):
        raise PermissionDenied


def _own_upload(request: HttpRequest, pk: int) -> BulkEnrolment:
    _require_admin(request)
    # Only the admin who uploaded a file sees its report: it names people.
    return get_object_or_404(
        BulkEnrolment.objects.select_related("course", "path", "default_organisation"), pk=pk, created_by=request.user
    )


@login_required
def bulk_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = BulkEnrolmentForm(request.POST or None, request.FILES or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        upload = form.cleaned_data["file"]
        try:
            bulk = bulk_services.bulk_enrolment_upload(
                by=request.user,
                file_name=upload.name,
                content=upload.read(),
                course=target if isinstance(target, CoursePage) else None,
                path=None if isinstance(target, CoursePage) else target,
                due_date=form.cleaned_data["due_date"],
                default_organisation=form.cleaned_data["default_organisation"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("progress:bulk_detail", pk=bulk.pk)
    recent = BulkEnrolment.objects.filter(created_by=request.user).select_related("course", "path")[:10]
    return render(request, "progress/bulk_upload.html", {"form": form, "recent": recent})


def _status_text(bulk: BulkEnrolment) -> str:
    if bulk.status == BulkEnrolment.Status.VALIDATING:
        return _("Die Datei wird geprüft: %(done)d von %(total)d Zeilen.") % {
            "done": bulk.processed_lines,
            "total": bulk.total_lines,
        }
    if bulk.status == BulkEnrolment.Status.IMPORTING:
        return _("Personen werden eingeschrieben: %(done)d von %(total)d.") % {
            "done": bulk.processed_lines,
            "total": bulk.valid_lines,
        }
    return bulk.get_status_display()


@login_required
def bulk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = _own_upload(request, pk)
    counts = dict(BulkEnrolmentLine.objects.filter(bulk=bulk).values_list("status").annotate(n=Count("pk")).order_by())
    outcomes = dict(
        BulkEnrolmentLine.objects.filter(bulk=bulk, status=BulkEnrolmentLine.Status.IMPORTED)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    problems = BulkEnrolmentLine.objects.filter(
        bulk=bulk, status__in=[BulkEnrolmentLine.Status.INVALID, BulkEnrolmentLine.Status.SKIPPED]
    ).order_by("line_number")
    page = Paginator(problems, 100).get_page(request.GET.get("seite"))
    context = {
        "bulk": bulk,
        "counts": counts,
        "invalid": counts.get(BulkEnrolmentLine.Status.INVALID, 0),
        "skipped": counts.get(BulkEnrolmentLine.Status.SKIPPED, 0),
        "valid": counts.get(BulkEnrolmentLine.Status.VALID, 0),
        "invited": outcomes.get(BulkEnrolmentLine.Outcome.INVITED, 0),
        "enrolled": outcomes.get(BulkEnrolmentLine.Outcome.ENROLLED, 0),
        "page_obj": page,
        "status_text": _status_text(bulk),
    }
    return render(request, "progress/bulk_detail.html", context)


@login_required
def bulk_status(request: HttpRequest, pk: int) -> JsonResponse:
    bulk = _own_upload(request, pk)
    return JsonResponse(
        {
            "status": bulk.status,
            "running": bulk.is_running,
            "percent": bulk.percent,
            "processed": bulk.processed_lines,
            "text": _status_text(bulk),
        }
    )


@login_required
@require_POST
def bulk_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = _own_upload(request, pk)
    try:
        bulk_services.bulk_enrolment_confirm(bulk=bulk, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("progress:bulk_detail", pk=bulk.pk)


@login_required
@require_POST
def bulk_discard(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = _own_upload(request, pk)
    try:
        bulk_services.bulk_enrolment_discard(bulk=bulk, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Datei wurde verworfen; niemand wurde eingeschrieben."))
    return redirect("progress:bulk_upload")


@login_required
def bulk_report(request: HttpRequest, pk: int) -> HttpResponse:
    bulk = _own_upload(request, pk)
    response = HttpResponse(bulk_services.bulk_enrolment_report(bulk=bulk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pruefbericht-{bulk.pk}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
