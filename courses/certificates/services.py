"""Issuing, revoking, re-issuing and renewing certificates: the only writes on certificates.

Exactly one certificate per completion: `Certificate.course_completion` / `path_completion` are
one-to-one in the database. The issuing service also locks the completion row and reads everything
it needs with that one query, so a task that runs again later returns the certificate at once;
a worker that waited for the lock while another issued hits the constraint at the insert, deletes
the PDF it stored and returns the winner's certificate.

All or nothing: the PDF is rendered in memory from the snapshot before anything is written; the
file is stored, then the row created in the same transaction; any failure deletes the file again.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import logging
import re
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, IntegerField, Max, Prefetch, Q
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage
from courses.progress.models import CourseCompletion, PathCompletion
from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.selectors import user_is_platform_admin
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed

from .models import (
    PLACEHOLDERS,
    Certificate,
    CertificateEvent,
    CertificateNumberCounter,
    CertificateTemplate,
    CertificateWait,
    placeholders_unknown,
)
from .notify import notify
from .pdf import CertificateRenderError, certificate_pdf_render

logger = logging.getLogger(__name__)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 80  # 16 Crockford characters in four groups: XXXX-XXXX-XXXX-XXXX


# Numbers and codes


def certificate_code_generate() -> str:
    """An unguessable verification code: 80 random bits, Crockford base32, read aloud in four groups."""
    number = int.from_bytes(secrets.token_bytes(CODE_BITS // 8), "big")
    chars = []
    for _position in range(CODE_BITS // 5):
        chars.append(CROCKFORD[number & 31])
        number >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def code_normalize(text: str) -> str | None:
    """What a person typed or read out, as the stored code: case, spaces, dashes and look-alikes forgiven."""
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").upper())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != CODE_BITS // 5 or any(c not in CROCKFORD for c in cleaned):
        return None
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def certificate_number_next(*, year: int) -> str:
    """The next number of the year, LP-2026-000123: unique, not necessarily gap-free.

    Called inside the issuing transaction. On PostgreSQL it comes from a sequence per year: nextval
    takes no row lock and is not undone by a rollback, so parallel workers never wait for each other
    here and a rolled-back issue leaves a gap (allowed). Elsewhere (SQLite) a counter row per year is
    incremented in the caller's transaction; SQLite has one writer at a time anyway. Either way the
    unique constraint on `Certificate.number` is what keeps numbers unique.
    """
    value = _number_sequence_next(year) if connection.vendor == "postgresql" else _number_counter_next(year)
    return f"LP-{year}-{value:06d}"


def _number_last(year: int) -> int:
    """The highest number of the year given out so far (by the counter row or on a certificate)."""
    counter = CertificateNumberCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    prefix = f"LP-{year}-"
    issued = (
        Certificate.objects.filter(number__startswith=prefix)
        .annotate(serial=Cast(Substr("number", len(prefix) + 1), IntegerField()))
        .aggregate(last=Max("serial"))["last"]
        or 0
    )
    return max(counter, issued)


def _number_sequence_next(year: int) -> int:
    name = f"certificates_number_{year:04d}"
    with connection.cursor() as cursor:
        # to_regclass gives NULL for a sequence that does not exist yet, and nextval(NULL) is NULL:
        # one statement in the common case, and no error that would abort the caller's transaction.
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        value = cursor.fetchone()[0]
        if value is None:
            # The first number of a year: continue after what the counter row (the earlier scheme)
            # or certificates already gave out. Created in the caller's transaction, so a rollback
            # takes it away again and the next issue creates it anew.
            start = _number_last(year) + 1
            try:
                with transaction.atomic():
                    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start:d}")
            except IntegrityError:
                pass  # a concurrent transaction created it and committed first; use that one
            cursor.execute("SELECT nextval(%s::regclass)", [name])
            value = cursor.fetchone()[0]
    return int(value)


def _number_counter_next(year: int) -> int:
    with transaction.atomic():
        if not CertificateNumberCounter.objects.filter(year=year).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    CertificateNumberCounter.objects.create(year=year, last=_number_last(year) + 1)
            except IntegrityError:
                CertificateNumberCounter.objects.filter(year=year).update(last=F("last") + 1)
        return CertificateNumberCounter.objects.get(year=year).last


# Dates and policy


def date_german(day: datetime.date | None) -> str:
    """25. November 2026 (always German: certificates are German documents)."""
    if day is None:
        return ""
    with translation.override("de"):
        return dateformat.format(day, "j. F Y")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_until(
    *, policy: dict[str, Any], completed_on: datetime.date, previous_until: datetime.date | None
) -> datetime.date | None:
    """The last day a certificate is valid under a policy; None: unlimited.

    From the previous expiry (renewing early loses nothing) when the previous certificate was
    still valid at completion; otherwise, and for first certificates, from the completion date.
    """
    kind = policy.get("validity")
    if kind == CertificateTemplate.Validity.FROM_COMPLETION:
        return _add_months(completed_on, policy["months"])
    if kind == CertificateTemplate.Validity.FROM_PREVIOUS_EXPIRY:
        start = previous_until if previous_until and previous_until >= completed_on else completed_on
        return _add_months(start, policy["months"])
    if kind == CertificateTemplate.Validity.FIXED_DATE:
        # Valid until the next fixed day (e.g. 31.12.) that is not before the completion.
        candidate = datetime.date(completed_on.year, policy["fixed_month"], policy["fixed_day"])
        if candidate < completed_on:
            candidate = datetime.date(completed_on.year + 1, policy["fixed_month"], policy["fixed_day"])
        return candidate
    return None


def printable_name(user: User) -> str | None:
    """The full name as it is printed, or None if it is not fit for a certificate (missing, no surname)."""
    name = " ".join((user.full_name or "").split())
    if len(name.split(" ")) < 2 or "@" in name or any(ch.isdigit() for ch in name):
        return None
    return name


def _organisation_ars(organisation: Organisation | None) -> str:
    if organisation is None:
        return ""
    if organisation.ars:
        return organisation.ars
    parent = organisation.parent
    return (parent.ars or "") if parent is not None else ""


def _organisation_at(memberships: list[Membership], at: datetime.datetime) -> Organisation | None:
    """The learner's organisation when they completed: their newest approved membership in force
    then, else their newest one. `memberships` come prefetched, newest first (see _completion_locked)."""
    day = timezone.localdate(at)
    for membership in memberships:
        if membership.approved and membership.in_force_on(day):
            return membership.organisation
    return memberships[0].organisation if memberships else None


def verify_url(code: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def _short_url(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def _outcomes(course: CoursePage | None, template: CertificateTemplate) -> list[str]:
    if template.outcomes.strip():
        return [line.strip() for line in template.outcomes.splitlines() if line.strip()]
    if course is None:
        return []
    return [str(block.value) for block in course.outcomes if str(block.value).strip()]


def hours_label(hours: Decimal | None) -> str:
    if hours is None:
        return ""
    text = f"{hours.normalize():f}".replace(".", ",")
    return _("%(hours)s Stunden") % {"hours": text} if hours != 1 else _("1 Stunde")


def body_fill(text: str, values: dict[str, str]) -> str:
    """Fill the template's placeholders; unknown ones are refused (the editor refuses them already)."""
    unknown = placeholders_unknown(text)
    if unknown:
        raise ValidationFailed(
            "certificates.placeholder_unknown",
            _("Unbekannter Platzhalter: %(names)s.") % {"names": ", ".join("{" + n + "}" for n in unknown)},
        )
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], text)


def certificate_snapshot(
    *,
    template: CertificateTemplate,
    name: str,
    organisation: Organisation | None,
    title: str,
    course: CoursePage | None,
    course_version: dict[str, Any],
    hours: Decimal | None,
    completed_at: datetime.datetime,
    issued_at: datetime.datetime,
    valid_until: datetime.date | None,
    number: str,
    code: str,
) -> dict[str, Any]:
    """Everything the PDF and the verification page show, frozen at issue."""
    completed_on = timezone.localdate(completed_at)
    outcomes = _outcomes(course, template)
    valid_label = date_german(valid_until) if valid_until else _("unbefristet")
    values = {
        "name": name,
        "organisation": organisation.name if organisation else "",
        "course": title,
        "hours": f"{hours.normalize():f}".replace(".", ",") if hours is not None else "",
        "date": date_german(completed_on),
        "valid_until": valid_label,
        "outcomes": "; ".join(outcomes),
    }
    assert set(values) == set(PLACEHOLDERS)
    url = verify_url(code)
    return {
        "number": number,
        "code": code,
        "name": name,
        "organisation": values["organisation"],
        "organisation_ars": _organisation_ars(organisation),
        "course": title,
        "course_version": course_version,
        "hours": str(hours) if hours is not None else None,
        "hours_label": hours_label(hours),
        "outcomes": outcomes,
        "completed_on": completed_on.isoformat(),
        "completed_on_label": date_german(completed_on),
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "issued_on_label": date_german(timezone.localdate(issued_at)),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "valid_until_label": valid_label,
        "heading": body_fill(template.heading, values),
        "body": body_fill(template.body, values),
        "issuer": template.issuer,
        "logo_image_id": template.logo_id,
        "signatories": [
            {"name": s.name, "title": s.title, "signature_image_id": s.signature_id} for s in template.signatories.all()
        ],
        "policy": template.policy,
        "template_id": template.pk,
        "template_revision_id": template.latest_revision_id,
        "verify_url": url,
        "verify_url_short": _short_url(url),
    }


def template_preview_pdf(*, template: CertificateTemplate) -> bytes:
    """A PDF of the template with a sample learner, for the editor; German errors, nothing stored."""
    now = timezone.now()
    snapshot = certificate_snapshot(
        template=template,
        name="Maria Musterfrau-Öztürk",
        organisation=Organisation(name="Stadt Garching b.München", ars="091840119119", kind="gemeinde"),
        title="Datenschutz im Bürgerbüro – „Grundlagen“",
        course=None,
        course_version={},
        hours=template.hours if template.hours is not None else Decimal("4.5"),
        completed_at=now,
        issued_at=now,
        valid_until=validity_until(policy=template.policy, completed_on=timezone.localdate(now), previous_until=None),
        number=f"LP-{now.year}-000000",
        code="MUST-ERXX-VORS-CHAU",
    )
    if not snapshot["outcomes"]:
        snapshot["outcomes"] = [
            "Personenbezogene Daten erkennen und schützen",
            "Auskunftsersuchen fristgerecht beantworten",
        ]
    return certificate_pdf_render(snapshot=snapshot)


# Issuing


def _completion_locked(*, field: str, completion_id: int) -> CourseCompletion | PathCompletion | None:
    """The completion, its row locked, with everything issuing reads from it in as few round trips
    as the database allows: course or path with its template, the learner, a certificate or wait row
    already there (reverse one-to-ones, joined), then the template's signatories and the learner's
    memberships with their organisations (two prefetch queries)."""
    memberships = Prefetch(
        "user__memberships",
        queryset=Membership.objects.select_related("organisation__parent").order_by("-valid_from", "-pk"),
    )
    queryset: Any
    if field == "course_completion_id":
        queryset = CourseCompletion.objects.select_related(
            "course__certificate_template", "user", "certificate", "certificate_wait"
        ).prefetch_related("course__certificate_template__signatories", memberships)
    else:
        queryset = PathCompletion.objects.select_related(
            "path__certificate_template", "user", "certificate", "certificate_wait"
        ).prefetch_related("path__certificate_template__signatories", memberships)
    # Only the completion row is locked (the joined rows are read, not locked).
    return queryset.select_for_update(of=("self",)).filter(pk=completion_id).first()


def _related_or_none(instance: Any, name: str) -> Any:
    """A reverse one-to-one loaded by select_related, or None where there is none."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _previous_certificate(*, user: User, course: CoursePage | None, path_id: int | None, before: datetime.datetime):
    """The certificate a renewal continues: the learner's latest current one for this course (or the
    course this refresher course renews) or path, issued before the new completion."""
    certificates = Certificate.objects.current().filter(user=user, issued_at__lte=before)
    if course is not None:
        certificates = certificates.filter(Q(course=course) | Q(course__renewal_course=course))
    else:
        certificates = certificates.filter(path_id=path_id)
    return certificates.order_by("-issued_at", "-pk").first()


def _wait(*, user: User, field: str, completion_id: int, reason: str, detail: str, title: str) -> None:
    wait, created = CertificateWait.objects.get_or_create(
        **{field: completion_id}, defaults={"user": user, "reason": reason, "detail": detail}
    )
    if not created:
        CertificateWait.objects.filter(pk=wait.pk).update(attempts=wait.attempts + 1, reason=reason, detail=detail)
    if reason == CertificateWait.Reason.NAME_MISSING and wait.asked_at is None:
        notify(
            kind="certificates.name_missing",
            dedupe_key=f"wait:{wait.pk}",
            user=user,
            context={
                "course_title": title,
                "course_url": "",
                "certificate_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificates:mine"),
                "verify_url": "",
                "valid_until": "",
                "person_name": user.full_name or user.email,
            },
        )
        CertificateWait.objects.filter(pk=wait.pk).update(asked_at=timezone.now())


def certificate_issue(
    *, course_completion_id: int | None = None, path_completion_id: int | None = None
) -> Certificate | None:
    """Issue the certificate a completion earns, once; None if it earns none or has to wait.

    Safe to call any number of times and concurrently for the same completion.
    """
    if (course_completion_id is None) == (path_completion_id is None):
        raise ValueError("Give exactly one of course_completion_id and path_completion_id.")  # programming error
    field = "course_completion_id" if course_completion_id is not None else "path_completion_id"
    completion_id = course_completion_id if course_completion_id is not None else path_completion_id
    assert completion_id is not None
    stored: list[str] = []
    try:
        return _certificate_issue_locked(field=field, completion_id=completion_id, stored=stored)
    except IntegrityError:
        # All or nothing: the transaction rolled back, so no row points to the file any more.
        _files_delete(stored)
        # A worker that waited for the completion's lock while another issued still saw no
        # certificate (PostgreSQL re-reads only the locked row after the wait, not the joined
        # ones), rendered, and was refused by the one-to-one constraint: the winner's certificate
        # is the answer. Any other integrity error is a real one.
        existing = Certificate.objects.filter(**{field: completion_id}).first()
        if existing is None:
            raise
        return existing
    except BaseException:
        _files_delete(stored)
        raise


def _certificate_issue_locked(*, field: str, completion_id: int, stored: list[str]) -> Certificate | None:
    with transaction.atomic():
        completion = _completion_locked(field=field, completion_id=completion_id)
        if completion is None:
            return None
        existing = _related_or_none(completion, "certificate")
        if existing is not None:
            return existing
        user = completion.user
        if isinstance(completion, CourseCompletion):
            course: CoursePage | None = completion.course
            path = None
            template = course.certificate_template if course.certificate_template_id else None
            # DESIGN.md trust rule: only a completion with a server-graded result certifies.
            if template is None or not completion.certifiable:
                return None
            title = completion.course_title or course.title
            hours = template.hours if template.hours is not None else course.estimated_hours
            course_version = {
                "revision_id": completion.course_revision_id,
                "published_at": completion.course_published_at.isoformat() if completion.course_published_at else None,
                "cycle": completion.cycle,
            }
        else:
            path = completion.path
            course = None
            template = path.certificate_template if path.certificate_template_id else None
            if template is None or not completion.trusted:
                return None
            title = path.title
            hours = template.hours
            if hours is None:
                hours = sum(
                    (c.estimated_hours for c in CoursePage.objects.filter(pk__in=completion.course_ids)), Decimal(0)
                )
            course_version = {"course_ids": completion.course_ids, "cycle": completion.cycle}
        name = printable_name(user)
        if name is None:
            _wait(
                user=user,
                field=field,
                completion_id=completion_id,
                reason=CertificateWait.Reason.NAME_MISSING,
                detail=_("Der vollständige Name (Vor- und Nachname) fehlt im Profil."),
                title=title,
            )
            return None
        organisation = _organisation_at(list(user.memberships.all()), completion.completed_at)
        previous = _previous_certificate(
            user=user, course=course, path_id=path.pk if path else None, before=completion.completed_at
        )
        completed_on = timezone.localdate(completion.completed_at)
        valid_until = validity_until(
            policy=template.policy, completed_on=completed_on, previous_until=previous.valid_until if previous else None
        )
        now = timezone.now()
        number = certificate_number_next(year=now.year)
        code = certificate_code_generate()
        snapshot = certificate_snapshot(
            template=template,
            name=name,
            organisation=organisation,
            title=title,
            course=course,
            course_version=course_version,
            hours=hours,
            completed_at=completion.completed_at,
            issued_at=now,
            valid_until=valid_until,
            number=number,
            code=code,
        )
        try:
            pdf = certificate_pdf_render(snapshot=snapshot)
        except CertificateRenderError as error:
            # Recorded outside this transaction's fate: the wait row says why nothing was issued.
            _wait(
                user=user,
                field=field,
                completion_id=completion_id,
                reason=CertificateWait.Reason.RENDER_FAILED,
                detail=error.message,
                title=title,
            )
            logger.warning("Certificate for %s %s not rendered: %s", field, completion_id, error.message)
            return None
        topic_id, level = (course.topic_id, course.level) if course is not None else (None, "")
        certificate = _certificate_store(
            pdf=pdf,
            fields={
                "number": number,
                "code": code,
                "user": user,
                "organisation": organisation,
                "organisation_ars": snapshot["organisation_ars"],
                "course": course,
                "path": path,
                "topic_id": topic_id,
                "level": level,
                field: completion_id,
                "template": template,
                "holder_name": name,
                "title": title,
                "snapshot": snapshot,
                "completed_at": completion.completed_at,
                "issued_at": now,
                "valid_until": valid_until,
                "renews": previous,
                "cycle": (previous.cycle + 1) if previous else 1,
            },
            stored=stored,
        )
        wait = _related_or_none(completion, "certificate_wait")
        if wait is not None:
            wait.delete()
        events = [CertificateEvent(certificate=certificate, kind=CertificateEvent.Kind.ISSUED, at=now)]
        if previous is not None:
            events.append(
                CertificateEvent(
                    certificate=previous, kind=CertificateEvent.Kind.RENEWED, at=now, comment=certificate.number
                )
            )
        CertificateEvent.objects.bulk_create(events)
        _notify_issued(certificate)
    return certificate


def _certificate_store(*, pdf: bytes, fields: dict[str, Any], stored: list[str]) -> Certificate:
    """Store the file, then the row, in the caller's transaction.

    `stored` collects the file names so the caller deletes them if the transaction fails, also when
    the insert itself is refused (a completion that has its certificate already, see certificate_issue).
    """
    name = default_storage.save(f"certificates/{timezone.now():%Y}/{fields['number']}.pdf", ContentFile(pdf))
    stored.append(name)
    return Certificate.objects.create(pdf=name, pdf_sha256=hashlib.sha256(pdf).hexdigest(), **fields)


def _files_delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - the file system refused; nothing more to do here
            logger.exception("Could not delete %s after a failed issue", name)


def _notify_issued(certificate: Certificate) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    notify(
        kind="certificates.issued",
        dedupe_key=f"certificate:{certificate.pk}",
        user=certificate.user,
        context=_context(certificate, base),
    )


def _context(certificate: Certificate, base: str) -> dict[str, str]:
    course_url = ""
    if certificate.course_id:
        renew = certificate.course.renewal_course or certificate.course
        course_url = base + renew.url if renew.url else ""
    elif certificate.path_id:
        refresher = certificate.path.renewal_course
        if refresher is not None and refresher.url:
            course_url = base + refresher.url  # the path renews through its refresher course
        else:
            course_url = base + reverse("progress:path_detail", args=[certificate.path.slug])
    return {
        "course_title": certificate.title,
        "course_url": course_url,
        "certificate_url": base + reverse("certificates:mine"),
        "verify_url": certificate.snapshot.get("verify_url", ""),
        "valid_until": date_german(certificate.valid_until) if certificate.valid_until else _("unbefristet"),
        "person_name": certificate.holder_name,
    }


def certificates_issue_pending(*, limit: int = 500) -> list[tuple[str, int]]:
    """Certifiable completions without a certificate (a lost task, a broker outage, a name now fixed).

    Returns (field, id) pairs for the reconcile task to enqueue.
    """
    courses = (
        CourseCompletion.objects.filter(
            certifiable=True, certificate__isnull=True, course__certificate_template__isnull=False
        )
        .exclude(certificate_wait__reason=CertificateWait.Reason.NAME_MISSING, user__full_name="")
        .values_list("pk", flat=True)[:limit]
    )
    paths = PathCompletion.objects.filter(
        trusted=True, certificate__isnull=True, path__certificate_template__isnull=False
    ).values_list("pk", flat=True)[:limit]
    return [("course", pk) for pk in courses] + [("path", pk) for pk in paths]


def user_waits_resume(*, user: User) -> list[Certificate]:
    """Retry the learner's waiting certificates (e.g. after they completed their name)."""
    issued = []
    for wait in CertificateWait.objects.filter(user=user):
        certificate = certificate_issue(
            course_completion_id=wait.course_completion_id, path_completion_id=wait.path_completion_id
        )
        if certificate is not None:
            issued.append(certificate)
    return issued


# Revocation and re-issue


def user_may_administer_certificate(*, viewer: User, certificate: Certificate) -> bool:
    """Platform admins, and the organisation admin whose scope holds the learner."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if user_is_platform_admin(user=viewer):
        return True
    from courses.progress.selectors import user_may_manage

    return user_may_manage(viewer=viewer, user=certificate.user)


def certificate_revoke(*, certificate: Certificate, by: User, reason: str, comment: str = "") -> Certificate:
    """Revoke a certificate: a new fact (who, when, why), shown on the verification page. Once."""
    if not user_may_administer_certificate(viewer=by, certificate=certificate):
        raise NotPermitted(
            "certificates.revoke_not_permitted",
            _("Sie dürfen nur Zertifikate von Personen in Ihrem Zuständigkeitsbereich widerrufen."),
        )
    if reason not in Certificate.RevocationReason.values:
        raise ValidationFailed("certificates.reason_invalid", _("Bitte wählen Sie einen Grund für den Widerruf."))
    comment = (comment or "").strip()
    if reason == Certificate.RevocationReason.OTHER and not comment:
        raise ValidationFailed(
            "certificates.comment_required", _("Bei „Sonstiger Grund“ ist ein Kommentar erforderlich.")
        )
    now = timezone.now()
    with transaction.atomic():
        changed = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revocation_reason=reason, revocation_comment=comment[:2000]
        )
        if not changed:
            raise Conflict("certificates.already_revoked", _("Dieses Zertifikat ist bereits widerrufen."))
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEvent.Kind.REVOKED,
            actor=by,
            at=now,
            reason=reason,
            comment=comment,
        )
    certificate.refresh_from_db()
    return certificate


def certificate_reissue(*, certificate: Certificate, by: User, comment: str = "") -> Certificate:
    """Issue a corrected certificate (e.g. after a name change): new number and code, the old one "ersetzt".

    The new one keeps the old one's completion and validity dates; its name and organisation are
    taken afresh, its template content is the template's current content.
    """
    if not user_may_administer_certificate(viewer=by, certificate=certificate):
        raise NotPermitted(
            "certificates.reissue_not_permitted",
            _("Sie dürfen nur Zertifikate von Personen in Ihrem Zuständigkeitsbereich neu ausstellen."),
        )
    stored: list[str] = []
    try:
        return _certificate_reissue_locked(certificate=certificate, by=by, comment=comment, stored=stored)
    except BaseException:
        _files_delete(stored)
        raise


def _certificate_reissue_locked(*, certificate: Certificate, by: User, comment: str, stored: list[str]) -> Certificate:
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("user", "template", "course")
            .get(pk=certificate.pk)
        )
        if old.revoked_at or old.replaced_by_id:
            raise Conflict(
                "certificates.not_current",
                _("Ein widerrufenes oder bereits ersetztes Zertifikat kann nicht neu ausgestellt werden."),
            )
        name = printable_name(old.user)
        if name is None:
            raise ValidationFailed(
                "certificates.name_missing",
                _("Im Profil der Person fehlt der vollständige Name (Vor- und Nachname)."),
            )
        template = old.template
        if template is None:
            raise Conflict("certificates.template_gone", _("Die Vorlage dieses Zertifikats gibt es nicht mehr."))
        now = timezone.now()
        number = certificate_number_next(year=now.year)
        code = certificate_code_generate()
        organisation = old.organisation
        snapshot = certificate_snapshot(
            template=template,
            name=name,
            organisation=organisation,
            title=old.title,
            course=old.course,
            course_version=old.snapshot.get("course_version", {}),
            hours=Decimal(old.snapshot["hours"]) if old.snapshot.get("hours") else None,
            completed_at=old.completed_at,
            issued_at=now,
            valid_until=old.valid_until,
            number=number,
            code=code,
        )
        snapshot["policy"] = old.snapshot.get("policy", snapshot["policy"])  # a policy change rewrites nothing
        pdf = certificate_pdf_render(snapshot=snapshot)
        new = _certificate_store(
            stored=stored,
            pdf=pdf,
            fields={
                "number": number,
                "code": code,
                "user": old.user,
                "organisation": organisation,
                "organisation_ars": old.organisation_ars,
                "course": old.course,
                "path": old.path,
                "topic_id": old.topic_id,
                "level": old.level,
                "template": template,
                "holder_name": name,
                "title": old.title,
                "snapshot": snapshot,
                "completed_at": old.completed_at,
                "issued_at": now,
                "valid_until": old.valid_until,
                "renews": old.renews,
                "cycle": old.cycle,
                "renewal_opened_at": old.renewal_opened_at,
            },
        )
        Certificate.objects.filter(pk=old.pk, replaced_by__isnull=True).update(replaced_by=new)
        CertificateEvent.objects.create(
            certificate=old, kind=CertificateEvent.Kind.REPLACED, actor=by, at=now, comment=comment
        )
        CertificateEvent.objects.create(
            certificate=new, kind=CertificateEvent.Kind.REISSUED, actor=by, at=now, comment=comment
        )
    return new


# The trust rule at publishing


def course_trust_problem(*, course: CoursePage) -> str | None:
    """Why a certifying course may not be published, or None (DESIGN.md trust rule).

    A course that certifies needs at least one server-graded quiz among its required, published
    activities: browser scores (H5P) alone never earn a certificate.
    """
    if not course.certificate_template_id:
        return None
    from courses.assessment.quiz_models import QuizPage

    if course.pk and QuizPage.objects.child_of(course).live().filter(is_required=True).exists():
        return None
    return _(
        "Dieser Kurs stellt ein Zertifikat aus und braucht deshalb mindestens einen veröffentlichten "
        "Pflicht-Test, der auf dem Server bewertet wird. Fügen Sie einen Test hinzu und markieren Sie ihn "
        "als Pflichtaktivität, oder entfernen Sie die Zertifikatsvorlage. Der Entwurf ist gespeichert."
    )


def course_scheduled_publish_refuse(*, page: CoursePage, revision: Any) -> bool:
    """At a scheduled go-live: refuse a certifying course that breaks the trust rule; True if refused.

    Wagtail's `publish_scheduled` publishes due revisions without the editor's checks, and a quiz
    that was live when the course was scheduled may be gone by then, so the rule is checked again
    when the revision would go live. Refused: the live version stays as it was, the draft stays
    saved, the schedule is cancelled (so the next run does not try again), the page's history
    says why and the editor who scheduled it and the course's trainers get an e-mail, all in one
    transaction.
    """
    from wagtail.log_actions import log
    from wagtail.models import Revision

    from courses.catalog.permissions import course_trainers

    candidate = revision.as_object()
    problem = course_trust_problem(course=candidate) if isinstance(candidate, CoursePage) else None
    if problem is None:
        return False
    with transaction.atomic():
        cancelled = Revision.objects.filter(pk=revision.pk, approved_go_live_at__isnull=False).update(
            approved_go_live_at=None
        )
        if not cancelled:  # another run refused it already
            return True
        go_live_at = revision.approved_go_live_at
        log(
            instance=page,
            action="certificates.scheduled_publish_refused",
            user=None,
            data={"reason": problem, "go_live_at": go_live_at.isoformat() if go_live_at else None},
            revision=revision,
            content_changed=False,
        )
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        edit_url = base + reverse("wagtailadmin_pages:edit", args=[page.pk])
        people = {person.pk: person for person in course_trainers(course=page)}
        if revision.user is not None and revision.user.is_active:
            people[revision.user.pk] = revision.user
        for person in people.values():
            notify(
                kind="certificates.scheduled_publish_refused",
                dedupe_key=f"revision:{revision.pk}:user:{person.pk}",
                user=person,
                context={
                    "course_title": candidate.title,
                    "course_url": edit_url,
                    "certificate_url": "",
                    "verify_url": "",
                    "valid_until": "",
                    "person_name": person.full_name or person.email,
                },
            )
    logger.warning("Scheduled go-live of course %s (revision %s) refused: trust rule", page.pk, revision.pk)
    return True
