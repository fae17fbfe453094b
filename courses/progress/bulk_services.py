"""Bulk enrolment from a CSV file: upload, validation report, confirmation, import.

Nothing changes until the admin confirms: validation writes only the report (one row per line),
the import enrols the lines that were valid. Both run as Celery tasks that load the upload by id
and can run twice – validation replaces its report under a row lock on the upload and flips the
status once; the import works through the valid lines in chunks, each chunk under that lock and
marking its lines imported, so a second run (or a run after a crash) continues where the first
stopped and never enrols anyone twice. Re-uploading the same file finds everyone already
enrolled and changes nothing.

Queries are per chunk, not per line, wherever the rules allow (see bench/enrolment_import.py).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.selectors import organisations_in_scope, role_grantable_by, users_manageable_by
from lernplattform.core.errors import ApplicationError, Conflict, NotPermitted, ValidationFailed
from lernplattform.core.tasks import enqueue, enqueue_on_commit

from . import bulk_csv
from .models import BulkEnrolment, BulkEnrolmentLine, Enrolment, LearningPath, PathEnrolment
from .selectors import CURRENT

IMPORT_CHUNK = 200
# A task hands over to a new one after this long (CELERY_TASK_TIME_LIMIT is a few minutes).
IMPORT_SECONDS_PER_TASK = 60
PROGRESS_EVERY = 500

# What admins may write in the role column; German labels as the platform shows them, and the codes.
ROLE_ALIASES: dict[str, str] = {
    "": Membership.Role.LEARNER,
    "learner": Membership.Role.LEARNER,
    "lernende": Membership.Role.LEARNER,
    "lernender": Membership.Role.LEARNER,
    "lernende/r": Membership.Role.LEARNER,
    "lernende/lernender": Membership.Role.LEARNER,
    "teilnehmende": Membership.Role.LEARNER,
    "trainer": Membership.Role.TRAINER,
    "trainerin": Membership.Role.TRAINER,
    "trainer/in": Membership.Role.TRAINER,
    "reviewer": Membership.Role.REVIEWER,
    "redaktion": Membership.Role.REVIEWER,
    "redaktion (freigabe)": Membership.Role.REVIEWER,
    "org_admin": Membership.Role.ORG_ADMIN,
    "organisationsverwaltung": Membership.Role.ORG_ADMIN,
}


def bulk_enrolment_may_use(*, user: User) -> bool:
    """Organisation and platform admins may enrol many people at once."""
    return user.is_authenticated and organisations_in_scope(viewer=user).exists()


def bulk_enrolment_upload(
    *,
    by: User,
    file_name: str,
    content: bytes,
    course: CoursePage | None = None,
    path: LearningPath | None = None,
    due_date: datetime.date | None = None,
    default_organisation: Organisation,
) -> BulkEnrolment:
    """Store an uploaded file and start its validation; nothing else changes."""
    if not bulk_enrolment_may_use(user=by):
        raise NotPermitted(
            "progress.bulk_not_permitted", _("Nur die Organisationsverwaltung kann Sammeleinschreibungen vornehmen.")
        )
    if (course is None) == (path is None):
        raise ValidationFailed("progress.bulk_target", _("Bitte wählen Sie entweder einen Kurs oder einen Lernpfad."))
    if course is not None and not course.live:
        raise ValidationFailed("progress.course_not_live", _("Dieser Kurs ist nicht veröffentlicht."))
    if path is not None and not path.live:
        raise ValidationFailed("progress.path_not_live", _("Dieser Lernpfad ist nicht veröffentlicht."))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationFailed(
            "progress.due_date_past", _("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen.")
        )
    if not organisations_in_scope(viewer=by).filter(pk=default_organisation.pk).exists():
        raise NotPermitted(
            "progress.bulk_organisation_scope",
            _("„%(org)s“ liegt außerhalb Ihres Zuständigkeitsbereichs.") % {"org": default_organisation.name},
        )
    if len(content) > bulk_csv.MAX_BYTES:
        raise ValidationFailed(
            "progress.bulk_too_large",
            _("Die Datei ist größer als %(mb)d MB. Bitte teilen Sie sie auf.")
            % {"mb": bulk_csv.MAX_BYTES // (1024 * 1024)},
        )
    bulk = BulkEnrolment.objects.create(
        created_by=by,
        course=course,
        path=path,
        due_date=due_date,
        default_organisation=default_organisation,
        file_name=(file_name or "upload.csv")[:255],
        content=content,
    )
    from .tasks import bulk_enrolment_validate_task

    enqueue_on_commit(bulk_enrolment_validate_task, bulk.pk)
    return bulk


@dataclass
class _Verdict:
    status: str
    code: str = ""
    message: str = ""
    organisation: Organisation | None = None
    user: User | None = None
    role: str = ""


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _already_enrolled_ids(*, bulk: BulkEnrolment, user_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(user_ids, 2000):
        if bulk.course_id:
            rows = Enrolment.objects.filter(CURRENT, course_id=bulk.course_id, user_id__in=chunk)
        else:
            rows = PathEnrolment.objects.filter(path_id=bulk.path_id, user_id__in=chunk).exclude(
                status=PathEnrolment.Status.CANCELLED
            )
        found.update(rows.values_list("user_id", flat=True))
    return found


def _manageable_ids(*, admin: User, user_ids: list[int]) -> set[int]:
    """The people of the file the admin may enrol: wholly in her scope – and herself."""
    found = {admin.pk} if admin.pk in user_ids else set()
    for chunk in _chunks(user_ids, 2000):
        found.update(users_manageable_by(viewer=admin).filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _pending_ids(*, user_ids: list[int]) -> set[int]:
    """Self-registrations not yet confirmed (an unapproved membership in force and no approved one)."""
    unapproved: set[int] = set()
    approved: set[int] = set()
    for chunk in _chunks(user_ids, 2000):
        for user_id, is_approved in (
            Membership.objects.active().filter(user_id__in=chunk).values_list("user_id", "approved")
        ):
            (approved if is_approved else unapproved).add(user_id)
    return unapproved - approved


def _already_invited_emails(*, bulk: BulkEnrolment, emails: list[str]) -> set[str]:
    """Addresses invited by an earlier upload into the same course or path, invitation still open."""
    target = {"bulk__course_id": bulk.course_id} if bulk.course_id else {"bulk__path_id": bulk.path_id}
    found: set[str] = set()
    for chunk in _chunks(emails, 2000):
        found.update(
            BulkEnrolmentLine.objects.filter(
                outcome=BulkEnrolmentLine.Outcome.INVITED,
                user__isnull=True,
                email__in=chunk,
                invitation__accepted_at__isnull=True,
                invitation__revoked_at__isnull=True,
                **target,
            ).values_list("email", flat=True)
        )
    return found


def _validate_lines(*, bulk: BulkEnrolment, lines: list[bulk_csv.CsvLine]) -> list[_Verdict]:
    """Check every line against the platform in a fixed number of queries, whatever the file's size."""
    admin = bulk.created_by
    emails = sorted({line.email.lower() for line in lines if line.email})
    found: dict[str, User] = {}
    for chunk in _chunks(emails, 2000):
        found.update({u.email: u for u in User.objects.filter(email__in=chunk)})
    manageable = _manageable_ids(admin=admin, user_ids=[u.pk for u in found.values()])
    # Accounts the admin may not manage do not exist for this report (issue 10, finding 1: no
    # upload may tell her which addresses outside her scope have an account): their lines read
    # like unknown addresses and become invitations, which only the person can accept.
    users = {email: u for email, u in found.items() if u.pk in manageable}
    user_ids = [u.pk for u in users.values()]
    pending = _pending_ids(user_ids=user_ids)
    enrolled = _already_enrolled_ids(bulk=bulk, user_ids=user_ids)
    invited = _already_invited_emails(bulk=bulk, emails=[e for e in emails if e not in users])
    keys = sorted({bulk_csv.normalise_ars(line.ars) for line in lines if line.ars})
    organisations = {o.ars: o for o in Organisation.objects.filter(ars__in=keys)} if keys else {}
    in_scope = (
        set(
            organisations_in_scope(viewer=admin)
            .filter(pk__in=[o.pk for o in organisations.values()])
            .values_list("pk", flat=True)
        )
        if organisations
        else set()
    )
    # What the admin may grant where: one answer per organisation named (a handful), not per line.
    grantable: dict[int, set[str]] = {}

    def may_grant(organisation: Organisation, role: str) -> bool:
        if organisation.pk not in grantable:
            grantable[organisation.pk] = set(role_grantable_by(viewer=admin, organisation=organisation))
        return role in grantable[organisation.pk]

    target = bulk.course.title if bulk.course_id else bulk.path.title  # type: ignore[union-attr]
    seen: dict[str, int] = {}
    verdicts: list[_Verdict] = []

    def invalid(code: str, message: str) -> _Verdict:
        return _Verdict(status=BulkEnrolmentLine.Status.INVALID, code=code, message=message)

    for index, line in enumerate(lines):
        if index and index % PROGRESS_EVERY == 0:
            BulkEnrolment.objects.filter(pk=bulk.pk).update(processed_lines=index)
        email = line.email.lower()
        if not email:
            verdicts.append(invalid("missing_email", _("Die E-Mail-Adresse fehlt.")))
            continue
        try:
            validate_email(email)
        except ValidationError:
            verdicts.append(
                invalid("invalid_email", _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": line.email})
            )
            continue
        if email in seen:
            verdicts.append(
                invalid(
                    "duplicate",
                    _("Doppelte Zeile: Diese E-Mail-Adresse steht bereits in Zeile %(line)d.") % {"line": seen[email]},
                )
            )
            continue
        seen[email] = line.number
        organisation = bulk.default_organisation
        if line.ars:
            key = bulk_csv.normalise_ars(line.ars)
            if not (len(key) == 12 and key.isdigit()):
                verdicts.append(
                    invalid(
                        "invalid_ars",
                        _(
                            "„%(value)s“ ist kein gültiger Regionalschlüssel (12 Ziffern). Formatieren Sie die "
                            "Spalte in Excel als Text, damit keine Ziffern verloren gehen."
                        )
                        % {"value": line.ars},
                    )
                )
                continue
            found = organisations.get(key)
            if found is None:
                verdicts.append(
                    invalid(
                        "unknown_organisation",
                        _("Unbekannte Organisation: Es gibt keine Organisation mit dem Regionalschlüssel %(ars)s.")
                        % {"ars": key},
                    )
                )
                continue
            if found.pk not in in_scope:
                verdicts.append(
                    invalid(
                        "organisation_out_of_scope",
                        _("Die Organisation „%(org)s“ liegt außerhalb Ihres Zuständigkeitsbereichs.")
                        % {"org": found.name},
                    )
                )
                continue
            organisation = found
        role = ROLE_ALIASES.get(line.role.strip().lower())
        if role is None:
            verdicts.append(
                invalid(
                    "unknown_role",
                    _("Unbekannte Rolle „%(value)s“. Lassen Sie die Spalte leer oder schreiben Sie „Lernende/r“.")
                    % {"value": line.role},
                )
            )
            continue
        if not may_grant(organisation, role):
            verdicts.append(
                invalid(
                    "role_not_permitted",
                    _("Die Rolle „%(role)s“ dürfen Sie in „%(org)s“ nicht vergeben.")
                    % {"role": Membership.Role(role).label, "org": organisation.name},
                )
            )
            continue
        user = users.get(email)
        if user is not None:
            if not user.is_active:
                verdicts.append(invalid("inactive_account", _("Das Benutzerkonto dieser Person ist deaktiviert.")))
                continue
            if user.pk in pending:
                verdicts.append(
                    invalid(
                        "pending_registration",
                        _(
                            "Die Registrierung dieser Person wartet noch auf Bestätigung. Bestätigen Sie sie "
                            "zuerst unter „Personen“."
                        ),
                    )
                )
                continue
            if user.pk in enrolled:
                verdicts.append(
                    _Verdict(
                        status=BulkEnrolmentLine.Status.SKIPPED,
                        code="already_enrolled",
                        message=_("Bereits eingeschrieben in „%(target)s“; bleibt unverändert.") % {"target": target},
                        organisation=organisation,
                        user=user,
                        role=role,
                    )
                )
                continue
        else:
            if email in invited:
                verdicts.append(
                    _Verdict(
                        status=BulkEnrolmentLine.Status.SKIPPED,
                        code="already_invited",
                        message=_(
                            "Bereits eingeladen; wird in „%(target)s“ eingeschrieben, sobald die Einladung "
                            "angenommen ist."
                        )
                        % {"target": target},
                        organisation=organisation,
                        role=role,
                    )
                )
                continue
            if len(line.full_name) > 200:
                verdicts.append(invalid("name_too_long", _("Der Name ist länger als 200 Zeichen.")))
                continue
        verdicts.append(
            _Verdict(status=BulkEnrolmentLine.Status.VALID, organisation=organisation, user=user, role=role)
        )
    return verdicts


def bulk_enrolment_validate(*, bulk_id: int) -> BulkEnrolment | None:
    """Read the file and write the validation report; a no-op once the upload has moved on."""
    bulk = (
        BulkEnrolment.objects.select_related("created_by", "course", "path", "default_organisation")
        .filter(pk=bulk_id)
        .first()
    )
    if bulk is None or bulk.status != BulkEnrolment.Status.VALIDATING:
        return bulk
    try:
        parsed = bulk_csv.parse(bytes(bulk.content))
    except bulk_csv.CsvFileError as error:
        BulkEnrolment.objects.filter(pk=bulk.pk, status=BulkEnrolment.Status.VALIDATING).update(
            status=BulkEnrolment.Status.REJECTED, file_error=error.message, validated_at=timezone.now()
        )
        bulk.refresh_from_db()
        return bulk
    BulkEnrolment.objects.filter(pk=bulk.pk).update(
        total_lines=len(parsed.lines), encoding=parsed.encoding, delimiter=parsed.delimiter
    )
    bulk.total_lines = len(parsed.lines)
    verdicts = _validate_lines(bulk=bulk, lines=parsed.lines)
    rows = [
        BulkEnrolmentLine(
            bulk=bulk,
            line_number=line.number,
            email=line.email[:254],
            full_name=line.full_name[:200],
            ars=line.ars[:40],
            role=verdict.role or line.role[:40],
            organisation=verdict.organisation,
            user=verdict.user,
            status=verdict.status,
            code=verdict.code,
            message=verdict.message,
        )
        for line, verdict in zip(parsed.lines, verdicts, strict=True)
    ]
    valid = sum(1 for r in rows if r.status == BulkEnrolmentLine.Status.VALID)
    with transaction.atomic():
        locked = BulkEnrolment.objects.select_for_update().get(pk=bulk.pk)
        if locked.status != BulkEnrolment.Status.VALIDATING:
            return locked  # a concurrent run finished first
        BulkEnrolmentLine.objects.filter(bulk=locked).delete()
        BulkEnrolmentLine.objects.bulk_create(rows, batch_size=1000)
        locked.status = BulkEnrolment.Status.VALIDATED
        locked.total_lines = len(rows)
        locked.processed_lines = len(rows)
        locked.valid_lines = valid
        locked.invalid_lines = len(rows) - valid
        locked.encoding = parsed.encoding
        locked.delimiter = parsed.delimiter
        locked.validated_at = timezone.now()
        locked.save()
    return locked


def bulk_enrolment_confirm(*, bulk: BulkEnrolment, by: User) -> BulkEnrolment:
    """The admin confirms the valid lines: the import starts (once, however often she clicks)."""
    if bulk.created_by_id != by.pk:
        raise NotPermitted("progress.bulk_not_yours", _("Nur wer die Datei hochgeladen hat, kann sie bestätigen."))
    with transaction.atomic():
        updated = BulkEnrolment.objects.filter(
            pk=bulk.pk, status=BulkEnrolment.Status.VALIDATED, valid_lines__gt=0
        ).update(status=BulkEnrolment.Status.IMPORTING, confirmed_at=timezone.now(), processed_lines=0)
        bulk.refresh_from_db()
        if not updated:
            if bulk.status in (BulkEnrolment.Status.IMPORTING, BulkEnrolment.Status.DONE):
                return bulk  # a second click: already under way
            if bulk.status == BulkEnrolment.Status.VALIDATED:
                raise Conflict(
                    "progress.bulk_nothing_to_import", _("Die Datei enthält keine gültigen Zeilen zum Einschreiben.")
                )
            raise Conflict("progress.bulk_not_ready", _("Diese Datei kann nicht (mehr) bestätigt werden."))
        from .tasks import bulk_enrolment_import_task

        enqueue_on_commit(bulk_enrolment_import_task, bulk.pk)
    return bulk


def bulk_enrolment_discard(*, bulk: BulkEnrolment, by: User) -> BulkEnrolment:
    """The admin drops an upload she does not want to import; the report stays readable."""
    if bulk.created_by_id != by.pk:
        raise NotPermitted("progress.bulk_not_yours", _("Nur wer die Datei hochgeladen hat, kann sie verwerfen."))
    BulkEnrolment.objects.filter(
        pk=bulk.pk, status__in=[BulkEnrolment.Status.VALIDATED, BulkEnrolment.Status.REJECTED]
    ).update(status=BulkEnrolment.Status.DISCARDED, finished_at=timezone.now())
    bulk.refresh_from_db()
    return bulk


def bulk_enrolment_import(*, bulk_id: int) -> BulkEnrolment | None:
    """Enrol the valid lines of a confirmed upload, chunk by chunk; safe to run twice or after a crash."""
    bulk = BulkEnrolment.objects.filter(pk=bulk_id).first()
    if bulk is None or bulk.status != BulkEnrolment.Status.IMPORTING:
        return bulk
    started = time.monotonic()
    while True:
        if time.monotonic() - started > IMPORT_SECONDS_PER_TASK:
            # Tasks stay well inside the Celery time limit: the next chunks go to a fresh task.
            from .tasks import bulk_enrolment_import_task

            enqueue(bulk_enrolment_import_task, bulk_id)
            return BulkEnrolment.objects.get(pk=bulk_id)
        with transaction.atomic():
            locked = (
                BulkEnrolment.objects.select_for_update(of=("self",))
                .select_related("created_by", "course", "path", "default_organisation")
                .get(pk=bulk_id)
            )
            if locked.status != BulkEnrolment.Status.IMPORTING:
                return locked
            chunk = list(
                BulkEnrolmentLine.objects.filter(bulk=locked, status=BulkEnrolmentLine.Status.VALID)
                .select_related("organisation")
                .order_by("line_number")[:IMPORT_CHUNK]
            )
            if not chunk:
                locked.status = BulkEnrolment.Status.DONE
                locked.finished_at = timezone.now()
                locked.save(update_fields=["status", "finished_at"])
                return locked
            _import_chunk(bulk=locked, lines=chunk)
            BulkEnrolment.objects.filter(pk=bulk_id).update(processed_lines=F("processed_lines") + len(chunk))


def _import_chunk(*, bulk: BulkEnrolment, lines: list[BulkEnrolmentLine]) -> None:
    from lernplattform.accounts.services import invitation_create, membership_grant

    admin = bulk.created_by
    # The world may have changed since validation: look people up again, and check scope again.
    emails = [line.email.lower() for line in lines]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    manageable = _manageable_ids(admin=admin, user_ids=[u.pk for u in users.values()])
    # Memberships the lines ask for that people do not have yet, in one query.
    have = set(
        Membership.objects.active()
        .filter(user_id__in=[u.pk for u in users.values()])
        .values_list("user_id", "organisation_id", "role")
    )
    to_enrol: list[User] = []
    for line in lines:
        user = users.get(line.email.lower())
        if user is not None and line.user_id is None and user.pk not in manageable:
            user = None  # validated as an invitation: an account she may not manage stays unseen
        try:
            if user is None:
                # No account: an invitation (a signed single-use link to set a password); the
                # membership starts and the enrolment follows when it is accepted (see
                # `bulk_invitations_fulfil`).
                line.invitation = invitation_create(
                    by=admin,
                    email=line.email.lower(),
                    organisation=line.organisation or bulk.default_organisation,
                    role=line.role or Membership.Role.LEARNER,
                )
                line.outcome = BulkEnrolmentLine.Outcome.INVITED
            else:
                if user.pk not in manageable or not user.is_active:
                    raise NotPermitted(
                        "progress.person_out_of_scope",
                        _("Diese Person liegt inzwischen außerhalb Ihres Zuständigkeitsbereichs."),
                    )
                # Only an organisation written in the file adds a membership to someone with an account.
                if line.ars and line.organisation_id and (user.pk, line.organisation_id, line.role) not in have:
                    with transaction.atomic():
                        membership_grant(by=admin, user=user, organisation=line.organisation, role=line.role)
                line.user = user
                line.outcome = BulkEnrolmentLine.Outcome.ENROLLED
                to_enrol.append(user)
            line.status = BulkEnrolmentLine.Status.IMPORTED
        except ApplicationError as error:
            line.status = BulkEnrolmentLine.Status.INVALID
            line.code = error.code.rsplit(".", 1)[-1]
            line.message = error.message
    if to_enrol:
        _enrol(bulk=bulk, users=to_enrol)
    BulkEnrolmentLine.objects.bulk_update(lines, ["status", "code", "message", "outcome", "user", "invitation"])


def _enrol(*, bulk: BulkEnrolment, users: list[User]) -> None:
    from . import services

    due = bulk.due_date if bulk.due_date and bulk.due_date >= timezone.localdate() else None
    if bulk.course_id:
        services.enrolments_create_many(
            users=users, course=bulk.course, enrolled_by=bulk.created_by, due_date=due, method=Enrolment.Method.BULK
        )
    else:
        services.path_enrolments_create_many(
            users=users, path=bulk.path, enrolled_by=bulk.created_by, due_date=due, method=Enrolment.Method.BULK
        )


def bulk_invitations_fulfil(*, user: User) -> int:
    """A person accepted an invitation from a bulk upload: enrol them as the upload said.

    Called by the progress service that runs on membership changes (accepting an invitation
    starts the membership). Idempotent: a line is fulfilled once (it then names the person).
    """
    lines = list(
        BulkEnrolmentLine.objects.filter(
            outcome=BulkEnrolmentLine.Outcome.INVITED, user__isnull=True, invitation__user=user
        ).select_related("bulk__created_by", "bulk__course", "bulk__path")
    )
    done = 0
    for line in lines:
        with transaction.atomic():
            try:
                _enrol(bulk=line.bulk, users=[user])
            except ApplicationError as error:
                # The inviting admin lost her rights, or the course went offline: say so in the report.
                line.code = error.code.rsplit(".", 1)[-1]
                line.message = error.message
            else:
                done += 1
            line.user = user
            line.save(update_fields=["user", "code", "message"])
    return done


def bulk_enrolments_resume(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Beat: uploads whose task was lost (broker down, worker killed) are picked up again."""
    from .tasks import bulk_enrolment_import_task, bulk_enrolment_validate_task

    cutoff = timezone.now() - older_than
    count = 0
    for bulk in BulkEnrolment.objects.filter(status=BulkEnrolment.Status.VALIDATING, created_at__lt=cutoff).only("pk"):
        enqueue(bulk_enrolment_validate_task, bulk.pk)
        count += 1
    for bulk in BulkEnrolment.objects.filter(status=BulkEnrolment.Status.IMPORTING, confirmed_at__lt=cutoff).only("pk"):
        enqueue(bulk_enrolment_import_task, bulk.pk)
        count += 1
    return count


def bulk_enrolment_report(*, bulk: BulkEnrolment) -> bytes:
    """The report as a CSV file for Excel: every line, its result and the reason."""
    header = [
        _("Zeile"),
        _("E-Mail-Adresse"),
        _("Name"),
        _("Regionalschlüssel"),
        _("Rolle"),
        _("Ergebnis"),
        _("Begründung"),
    ]
    lines = BulkEnrolmentLine.objects.filter(bulk=bulk).order_by("line_number")
    rows = (
        [
            line.line_number,
            line.email,
            line.full_name,
            line.ars,
            line.role,
            line.get_outcome_display() if line.outcome else line.get_status_display(),
            line.message,
        ]
        for line in lines.iterator(chunk_size=2000)
    )
    return bulk_csv.write_report(rows, header=header)
