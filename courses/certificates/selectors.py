"""Reads on certificates: a learner's own, an admin's scoped list, the public verification view."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import user_is_platform_admin, users_visible_to

from .models import Certificate, CertificateWait
from .services import code_normalize, date_german

SORTS = {
    "ausgestellt": ("issued_at", "pk"),
    "-ausgestellt": ("-issued_at", "-pk"),
    "gueltig": ("valid_until", "pk"),
    "-gueltig": ("-valid_until", "-pk"),
    "name": ("holder_name", "pk"),
    "-name": ("-holder_name", "-pk"),
    "kurs": ("title", "pk"),
    "-kurs": ("-title", "-pk"),
}
STATUSES = ("valid", "expired", "revoked", "replaced", "expiring")


def certificate_by_code(*, code: str) -> Certificate | None:
    normalized = code_normalize(code)
    if normalized is None:
        return None
    return Certificate.objects.select_related("replaced_by", "renews", "course", "path").filter(code=normalized).first()


def certificate_renewal(*, certificate: Certificate) -> Certificate | None:
    """The certificate of the next cycle that continues this one (the newest not revoked), if any."""
    return (
        Certificate.objects.filter(renews=certificate, revoked_at__isnull=True)
        .only("number", "code")
        .order_by("-issued_at", "-pk")
        .first()
    )


def certificates_of_user(*, user: User) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(user=user)
        .select_related("course__renewal_course", "path", "replaced_by")
        .prefetch_related("renewals")
        .order_by("-issued_at", "-pk")
    )


def certificate_waits_of_user(*, user: User) -> QuerySet[CertificateWait]:
    return CertificateWait.objects.filter(user=user).select_related("course_completion", "path_completion__path")


def status_q(status: str, *, today: datetime.date, within_days: int | None = None) -> Q:
    """A filter for a status computed at query time (the indexed valid_until date)."""
    current = Q(revoked_at__isnull=True, replaced_by__isnull=True)
    if status == "valid":
        return current & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if status == "expired":
        return current & Q(valid_until__lt=today)
    if status == "revoked":
        return Q(revoked_at__isnull=False)
    if status == "replaced":
        return Q(revoked_at__isnull=True, replaced_by__isnull=False)
    if status == "expiring":
        days = within_days if within_days is not None else 90
        return current & Q(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days))
    return Q()


def certificates_in_scope(
    *,
    viewer: User,
    course_id: int | None = None,
    status: str = "",
    expiring_within: int | None = None,
    query: str = "",
    sort: str = "-ausgestellt",
) -> QuerySet[Certificate]:
    """The certificates of the people a viewer may see (platform admins: all), filtered and sorted.

    Scope by current membership (users_visible_to); one query, the caller paginates.
    """
    certificates = Certificate.objects.all()
    if not user_is_platform_admin(user=viewer):
        certificates = certificates.filter(user__in=users_visible_to(viewer=viewer))
    today = timezone.localdate()
    if course_id:
        certificates = certificates.filter(course_id=course_id)
    if status in STATUSES:
        certificates = certificates.filter(status_q(status, today=today, within_days=expiring_within))
    elif expiring_within is not None:
        certificates = certificates.filter(status_q("expiring", today=today, within_days=expiring_within))
    if query:
        certificates = certificates.filter(
            Q(holder_name__icontains=query) | Q(number__iexact=query) | Q(user__email__icontains=query)
        )
    return certificates.select_related("user", "organisation", "replaced_by").order_by(
        *SORTS.get(sort, SORTS["-ausgestellt"])
    )


@dataclass(frozen=True)
class Verification:
    """What the public verification page and JSON show for a code: the status and every PDF field."""

    found: bool
    status: str = ""
    status_label: str = ""
    status_detail: str = ""
    fields: dict[str, Any] | None = None


def certificate_verification(*, code: str, today: datetime.date | None = None) -> Verification:
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return Verification(found=False)
    day = today or timezone.localdate()
    status = certificate.status_on(day)
    detail = ""
    if status == Certificate.Status.EXPIRED:
        detail = _("abgelaufen seit %(date)s") % {
            "date": date_german(certificate.valid_until + datetime.timedelta(days=1))
        }
    elif status == Certificate.Status.REVOKED:
        detail = _("widerrufen am %(date)s – Grund: %(reason)s") % {
            "date": date_german(timezone.localdate(certificate.revoked_at)),
            "reason": certificate.get_revocation_reason_display(),
        }
    elif status == Certificate.Status.REPLACED and certificate.replaced_by is not None:
        detail = _("ersetzt durch Zertifikat %(number)s") % {"number": certificate.replaced_by.number}
    elif certificate.valid_until:
        detail = _("gültig bis %(date)s") % {"date": date_german(certificate.valid_until)}
    else:
        detail = _("unbefristet gültig")
    renewal = certificate_renewal(certificate=certificate)
    if renewal is not None and status in (Certificate.Status.VALID, Certificate.Status.EXPIRED):
        detail += " – " + _("verlängert durch Zertifikat %(number)s") % {"number": renewal.number}
    snap = certificate.snapshot
    fields = {
        "number": certificate.number,
        "name": snap.get("name", certificate.holder_name),
        "organisation": snap.get("organisation", ""),
        "organisation_ars": snap.get("organisation_ars", ""),
        "course": snap.get("course", certificate.title),
        "hours": snap.get("hours_label", ""),
        "outcomes": snap.get("outcomes", []),
        "completed_on": snap.get("completed_on"),
        "completed_on_label": snap.get("completed_on_label", ""),
        "issued_on": snap.get("issued_on"),
        "issued_on_label": snap.get("issued_on_label", ""),
        "valid_until": snap.get("valid_until"),
        "valid_until_label": snap.get("valid_until_label", ""),
        "issuer": snap.get("issuer", ""),
        "heading": snap.get("heading", ""),
        "body": snap.get("body", ""),
        "signatories": [{"name": s["name"], "title": s["title"]} for s in snap.get("signatories", [])],
        "revoked_on": timezone.localdate(certificate.revoked_at).isoformat() if certificate.revoked_at else None,
        "revocation_reason": certificate.get_revocation_reason_display() if certificate.revoked_at else "",
        "replaced_by": certificate.replaced_by.number
        if certificate.replaced_by_id and certificate.replaced_by
        else None,
        "replaced_by_code": certificate.replaced_by.code
        if certificate.replaced_by_id and certificate.replaced_by
        else None,
        # The certification chain: the next cycle's certificate, and the one this one renews.
        "renewed_by": renewal.number if renewal else None,
        "renewed_by_code": renewal.code if renewal else None,
        "renews": certificate.renews.number if certificate.renews_id and certificate.renews else None,
        "renews_code": certificate.renews.code if certificate.renews_id and certificate.renews else None,
        "pdf_sha256": certificate.pdf_sha256,
    }
    return Verification(
        found=True,
        status=status,
        status_label=str(Certificate.Status(status).label),
        status_detail=detail,
        fields=fields,
    )
