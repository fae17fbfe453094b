"""Pages of certificates: public verification, "Meine Zertifikate", downloads, the admins' list.

Thin views: rules live in services and selectors.
"""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.throttling import SimpleRateThrottle

from courses.catalog.models import CoursePage
from lernplattform.accounts.selectors import organisations_in_scope, user_is_platform_admin
from lernplattform.core.errors import ApplicationError
from lernplattform.core.tasks import enqueue_on_commit

from . import selectors, services
from .forms import CertificateFilterForm, RevokeForm
from .models import Certificate, CertificateExport


class VerifyThrottle(SimpleRateThrottle):
    """Per client address: verification codes cannot be guessed by trying many."""

    scope = "certificate_verify"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def verify_throttled(request: HttpRequest) -> int | None:
    """Seconds to wait if this client asked too often, else None."""
    throttle = VerifyThrottle()
    if throttle.allow_request(request, None):
        return None
    return int(throttle.wait() or 60)


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "certificates/too_many.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return _noindex(response)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public verification page (no login): status and every field the PDF shows."""
    wait = verify_throttled(request)
    if wait is not None:
        return too_many_requests(request, wait)
    verification = selectors.certificate_verification(code=code)
    response = render(
        request,
        "certificates/verify.html",
        {"verification": verification, "code": code},
        status=200 if verification.found else 404,
    )
    return _noindex(response)


def verify_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type a code read off a certificate."""
    code = (request.GET.get("code") or "").strip()
    if code:
        normalized = services.code_normalize(code) or code
        return redirect("certificates:verify", code=normalized)
    return _noindex(render(request, "certificates/verify_lookup.html"))


def _may_download(request: HttpRequest, certificate: Certificate) -> bool:
    return certificate.user_id == request.user.pk or services.user_may_administer_certificate(
        viewer=request.user, certificate=certificate
    )


@login_required
def download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The stored PDF, never regenerated."""
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    if not _may_download(request, certificate):
        raise Http404
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Die PDF-Datei dieses Zertifikats fehlt.")) from error
    return FileResponse(
        handle, as_attachment=True, filename=f"{certificate.number}.pdf", content_type="application/pdf"
    )


def _renewal_target(certificate: Certificate) -> dict[str, str] | None:
    """Where the learner renews: the course's refresher course or the course, or the learning path."""
    if certificate.course_id:
        course = certificate.course.renewal_course or certificate.course
        return {"title": course.title, "url": course.url or ""}
    if certificate.path_id:
        return {"title": certificate.path.title, "url": reverse("progress:path_detail", args=[certificate.path.slug])}
    return None


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """ "Meine Zertifikate": status, download, share link, what to renew and by when."""
    waits = list(selectors.certificate_waits_of_user(user=request.user))
    if waits and services.printable_name(request.user):
        # The learner completed their name since: issue now instead of waiting for the beat task.
        issued = services.user_waits_resume(user=request.user)
        if issued:
            messages.success(request, _("Ihr Zertifikat wurde ausgestellt."))
        waits = list(selectors.certificate_waits_of_user(user=request.user))
    today = timezone.localdate()
    certificates = list(selectors.certificates_of_user(user=request.user))
    rows = []
    for certificate in certificates:
        status = certificate.status_on(today)
        renewal = None
        if status in (Certificate.Status.VALID, Certificate.Status.EXPIRED) and certificate.valid_until:
            renewed = any(r.replaced_by_id is None and r.revoked_at is None for r in certificate.renewals.all())
            if not renewed:
                window = certificate.snapshot.get("policy", {}).get("window_days") or 90
                opens = certificate.valid_until - datetime.timedelta(days=window)
                renewal = {
                    "opens": opens,
                    "until": certificate.valid_until,
                    "open": today >= opens,
                    "overdue": today > certificate.valid_until,
                    "target": _renewal_target(certificate),
                }
        rows.append(
            {
                "certificate": certificate,
                "status": status,
                "status_label": Certificate.Status(status).label,
                "renewal": renewal,
            }
        )
    return render(
        request,
        "certificates/mine.html",
        {"rows": rows, "waits": waits, "name_ok": services.printable_name(request.user) is not None},
    )


def _admin_or_404(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not (
        user_is_platform_admin(user=request.user) or organisations_in_scope(viewer=request.user).exists()
    ):
        raise Http404


def _filtered(request: HttpRequest) -> tuple[CertificateFilterForm, object]:
    form = CertificateFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters() if form.is_valid() else {}
    return form, selectors.certificates_in_scope(viewer=request.user, **filters)


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    """Certificates of the people in the admin's scope: filters, sorting, pagination, CSV, ZIP."""
    _admin_or_404(request)
    form, certificates = _filtered(request)
    page = Paginator(certificates, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    sort_query = request.GET.copy()
    sort_query.pop("sortierung", None)
    sort_query.pop("seite", None)
    exports = CertificateExport.objects.filter(requested_by=request.user)[:5]
    return render(
        request,
        "certificates/org_list.html",
        {
            "form": form,
            "page_obj": page,
            "today": timezone.localdate(),
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "sort": request.GET.get("sortierung", "-ausgestellt"),
            "exports": exports,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def org_csv(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    _form, certificates = _filtered(request)
    today = timezone.localdate()
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Nummer"),
                _("Name"),
                _("E-Mail"),
                _("Organisation"),
                _("ARS"),
                _("Kurs"),
                _("Ausgestellt am"),
                _("Gültig bis"),
                _("Status"),
            ]
        )
        for c in certificates.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    c.number,
                    c.holder_name,
                    c.user.email,
                    c.organisation.name if c.organisation else "",
                    c.organisation_ars,
                    c.title,
                    timezone.localdate(c.issued_at).strftime("%d.%m.%Y"),
                    c.valid_until.strftime("%d.%m.%Y") if c.valid_until else _("unbefristet"),
                    str(Certificate.Status(c.status_on(today)).label),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zertifikate-{today:%Y-%m-%d}.csv"'
    return response


@login_required
@require_POST
def org_zip(request: HttpRequest) -> HttpResponse:
    """Start the ZIP job for the filtered list; the page shows the download link when it is done."""
    _admin_or_404(request)
    form = CertificateFilterForm(request.POST, viewer=request.user)
    filters = form.filters() if form.is_valid() else {}
    from .tasks import certificates_zip_build

    with transaction.atomic():
        export = CertificateExport.objects.create(requested_by=request.user, filters=filters)
        enqueue_on_commit(certificates_zip_build, export.pk)
    messages.success(request, _("Das ZIP-Archiv wird erstellt. Der Link erscheint unten auf dieser Seite."))
    return redirect("certificates:org_list")


@login_required
def org_zip_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = get_object_or_404(CertificateExport, pk=export_id, requested_by=request.user, state="done")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"zertifikate-{export.pk}.zip")


@login_required
def revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("user"), pk=certificate_id)
    if not services.user_may_administer_certificate(viewer=request.user, certificate=certificate):
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Das Zertifikat %(number)s ist widerrufen.") % {"number": certificate.number})
            return redirect("certificates:org_list")
    return render(request, "certificates/revoke.html", {"certificate": certificate, "form": form})


@login_required
@require_POST
def reissue(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    if not services.user_may_administer_certificate(viewer=request.user, certificate=certificate):
        raise Http404
    try:
        new = services.certificate_reissue(
            certificate=certificate, by=request.user, comment=request.POST.get("comment", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Neu ausgestellt als %(new)s; %(old)s ist jetzt „ersetzt“.")
            % {"new": new.number, "old": certificate.number},
        )
    return redirect("certificates:org_list")


def course_filter_choices(viewer) -> list[tuple[int, str]]:
    ids = Certificate.objects.values_list("course_id", flat=True).distinct()
    return [(c.pk, c.title) for c in CoursePage.objects.filter(pk__in=ids).order_by("title")]
