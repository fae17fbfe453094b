"""Certification cycles (Totara's model, done simply): renewal window, re-enrolment, reminders, expiry.

A certificate with a date opens its recertification window `window_days` before it expires (the
days are the policy copied into the certificate at issue, so a later policy change rewrites
nothing). Then the learner is enrolled again – into the course's refresher course if it names
one, else the same course – through courses.progress (`enrolment_create(renewal=True)`), which
starts a new cycle: their earlier completion stays as history, and completing again issues a new
certificate that continues the chain (`Certificate.renews`). A learning path's certificate renews
the same way: `path_enrolment_renew` starts the path's next cycle, its open steps' courses start
theirs through the same course renewal, and only courses completed in the new cycle count for
the path. Reminders go out before expiry and
once on expiry, each once per certificate and cycle by a dedupe key. Without a renewal by the
expiry date the certification is overdue.

`certifications_run` is the nightly beat job; every step is safe to run twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.progress.services import enrolment_create, path_enrolment_renew
from lernplattform.accounts.selectors import organisation_admin_emails
from lernplattform.core.errors import ApplicationError

from .models import Certificate, CertificateEvent
from .notify import notify
from .services import _context

logger = logging.getLogger(__name__)

MAX_WINDOW_DAYS = 730


def _not_renewed(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    renewal = Certificate.objects.filter(renews=OuterRef("pk"), revoked_at__isnull=True)
    return certificates.annotate(_renewed=Exists(renewal)).filter(_renewed=False)


def certifications_due(*, today: datetime.date) -> QuerySet[Certificate]:
    """Current, dated, not yet renewed certificates near or past expiry (within the longest window)."""
    return _not_renewed(
        Certificate.objects.current().filter(
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=MAX_WINDOW_DAYS),
            valid_until__gte=today - datetime.timedelta(days=60),
        )
    ).select_related("user", "organisation", "course__renewal_course", "path")


def certificate_renewal_open(*, certificate: Certificate, today: datetime.date) -> bool:
    """Enrol the learner again for the next cycle (of the course or the learning path), once;
    True if it was opened now.

    The conditional UPDATE of `renewal_opened_at`, the enrolment, the event and the e-mail's outbox
    row commit together: a job that runs twice opens the window once, and a broker outage delays
    the e-mail, never loses it.
    """
    if certificate.valid_until is None or (certificate.course_id is None and certificate.path_id is None):
        return False
    window = certificate.snapshot.get("policy", {}).get("window_days") or 90
    if today < certificate.valid_until - datetime.timedelta(days=window):
        return False
    due_date = certificate.valid_until if certificate.valid_until >= today else None
    try:
        with transaction.atomic():
            opened = Certificate.objects.filter(pk=certificate.pk, renewal_opened_at__isnull=True).update(
                renewal_opened_at=timezone.now()
            )
            if not opened:
                return False
            if certificate.course_id is not None:
                course = certificate.course.renewal_course or certificate.course
                enrolment_create(
                    user=certificate.user,
                    course=course,
                    enrolled_by=certificate.user,
                    renewal=True,
                    due_date=due_date,
                )
                target, kind = course.title, "certificates.recertification_due"
            else:
                path_enrolment_renew(
                    user=certificate.user, path=certificate.path, enrolled_by=certificate.user, due_date=due_date
                )
                target, kind = certificate.path.title, "certificates.path_recertification_due"
            CertificateEvent.objects.create(
                certificate=certificate, kind=CertificateEvent.Kind.RENEWAL_OPENED, comment=target
            )
            notify(
                kind=kind,
                dedupe_key=f"certificate:{certificate.pk}:renewal",
                user=certificate.user,
                context=_context(certificate, settings.WAGTAILADMIN_BASE_URL.rstrip("/")),
            )
    except (ValidationError, PermissionDenied, ApplicationError) as error:
        # E.g. the refresher course or the path is not published or the account is deactivated:
        # everything above rolled back, so tomorrow's run tries again.
        logger.warning("Renewal for certificate %s not opened: %s", certificate.pk, error)
        return False
    return True


def _recipients(certificate: Certificate) -> list[str]:
    return organisation_admin_emails(organisation=certificate.organisation) if certificate.organisation else []


def certificate_reminders_send(*, certificate: Certificate, today: datetime.date) -> list[str]:
    """Reminders before expiry (the nearest due one, once per cycle) and the notice on expiry."""
    assert certificate.valid_until is not None
    sent: list[str] = []
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if certificate.valid_until < today:
        key = f"certificate:{certificate.pk}:expired"
        notify(kind="certificates.expired", dedupe_key=key, user=certificate.user, context=_context(certificate, base))
        admins = _recipients(certificate)
        if admins:
            notify(
                kind="certificates.expired",
                dedupe_key=key + ":admins",
                recipients=admins,
                context=_context(certificate, base),
            )
        return [key]
    days_left = (certificate.valid_until - today).days
    due = [d for d in certificate.snapshot.get("policy", {}).get("reminder_days", []) if days_left <= d]
    if not due:
        return sent
    # Only the nearest threshold: a certificate first seen 20 days before expiry gets the 30-day
    # reminder, not the 90-day one as well.
    day = min(due)
    key = f"certificate:{certificate.pk}:cycle{certificate.cycle}:reminder:{day}"
    notify(kind="certificates.expiring", dedupe_key=key, user=certificate.user, context=_context(certificate, base))
    admins = _recipients(certificate)
    if admins:
        notify(
            kind="certificates.expiring",
            dedupe_key=key + ":admins",
            recipients=admins,
            context=_context(certificate, base),
        )
    return [key]


def certifications_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The nightly job: open renewal windows, send reminders and expiry notices."""
    day = today or timezone.localdate()
    counts = {"renewals": 0, "notices": 0}
    for certificate in certifications_due(today=day).iterator(chunk_size=500):
        if certificate_renewal_open(certificate=certificate, today=day):
            counts["renewals"] += 1
        with transaction.atomic():
            counts["notices"] += len(certificate_reminders_send(certificate=certificate, today=day))
    return counts


def certificate_is_overdue(*, certificate: Certificate, today: datetime.date) -> bool:
    """Past its date without a renewal: the certification is overdue."""
    if certificate.valid_until is None or certificate.valid_until >= today:
        return False
    return not Certificate.objects.filter(renews=certificate, revoked_at__isnull=True).exists()
