"""Writes on people and memberships. Memberships change only here."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from lernplattform.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

from .gv100ad import DirectoryEntry
from .hooks import membership_changed
from .models import Invitation, Membership, Organisation, User

# Wagtail groups derived from roles; never edited by hand (DESIGN.md, Roles).
ROLE_GROUPS: dict[str, str] = {
    Membership.Role.TRAINER: "Trainer/innen",
    Membership.Role.REVIEWER: "Redaktion",
    Membership.Role.ORG_ADMIN: "Organisationsverwaltung",
}
ADMIN_ACCESS_ROLES = {Membership.Role.TRAINER, Membership.Role.REVIEWER, Membership.Role.PLATFORM_ADMIN}


def role_group_get(*, role: str) -> Group:
    """The Wagtail group of a role, created with admin access on first use."""
    group, created = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if created and role in ADMIN_ACCESS_ROLES:
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


@transaction.atomic
def user_groups_sync(*, user: User) -> None:
    """Derive a person's Wagtail groups, staff and superuser flags from their active memberships."""
    roles = set(Membership.objects.active().filter(user=user, approved=True).values_list("role", flat=True).distinct())
    wanted = {role_group_get(role=role) for role in roles if role in ROLE_GROUPS}
    managed = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*[g for g in managed if g not in wanted])
    user.groups.add(*wanted)
    is_platform_admin = Membership.Role.PLATFORM_ADMIN in roles
    is_staff = is_platform_admin
    if user.is_superuser != is_platform_admin or user.is_staff != is_staff:
        user.is_superuser = is_platform_admin
        user.is_staff = is_staff
        user.save(update_fields=["is_superuser", "is_staff"])


@transaction.atomic
def membership_start(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    approved: bool = True,
) -> Membership:
    """Give a person a role in an organisation; an identical active membership is reused."""
    start = valid_from or timezone.localdate()
    existing = Membership.objects.active(start).filter(user=user, organisation=organisation, role=role).first()
    if existing:
        return existing
    membership = Membership(
        user=user, organisation=organisation, role=role, valid_from=start, valid_to=valid_to, approved=approved
    )
    membership.full_clean()
    membership.save()
    user_groups_sync(user=user)
    membership_changed(user=user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: datetime.date | None = None) -> Membership:
    """End a membership; the record stays as history."""
    end = on or timezone.localdate()
    if membership.valid_to is None or membership.valid_to > end:
        # The end day is exclusive; a membership ended before it began was never in force.
        membership.valid_to = max(end, membership.valid_from)
        membership.save(update_fields=["valid_to"])
    user_groups_sync(user=membership.user)
    membership_changed(user=membership.user)
    return membership


@transaction.atomic
def user_move_organisation(
    *,
    user: User,
    organisation: Organisation,
    on: datetime.date | None = None,
    within: models.QuerySet[Organisation] | None = None,
) -> list[Membership]:
    """Move a person to another employer: their memberships end, the same roles start there.

    ``within`` limits the move to memberships in those organisations (the mover's scope).
    """
    day = on or timezone.localdate()
    current_qs = Membership.objects.active(day).filter(user=user).exclude(role=Membership.Role.PLATFORM_ADMIN)
    if within is not None:
        current_qs = current_qs.filter(organisation__in=within)
    current = list(current_qs)
    started = []
    for membership in current:
        if membership.organisation_id == organisation.pk:
            started.append(membership)
            continue
        membership_end(membership=membership, on=day)
        started.append(membership_start(user=user, organisation=organisation, role=membership.role, valid_from=day))
    return started


@dataclass(frozen=True)
class OrganisationImportResult:
    created: int
    updated: int
    unchanged: int


# Rank of each kind in the tree; a record never lowers the kind an ARS already has (the
# Gemeinde record of a kreisfreie Stadt carries the same ARS as its Kreis record).
_KIND_RANK = {
    Organisation.Kind.LAND: 0,
    Organisation.Kind.REGIERUNGSBEZIRK: 1,
    Organisation.Kind.KREIS: 2,
    Organisation.Kind.KREISFREIE_STADT: 2,
    Organisation.Kind.GEMEINDEVERBAND: 3,
    Organisation.Kind.GEMEINDE: 4,
}


@transaction.atomic
def organisations_import_directory(*, entries: list[DirectoryEntry]) -> OrganisationImportResult:
    """Create or update organisations from the official directory; all or nothing, idempotent.

    Names, kinds and parents follow the directory; what admins keep (headcount, approval
    setting, memberships) is left alone, and organisations missing from the file stay.
    Entries must come parents first (``gv100ad.read_directory`` sorts them so).
    """
    # One read of every keyed organisation: a national directory holds ~12,500 of them, and a
    # list of keys that long would exceed SQLite's limit of query parameters.
    existing = {org.ars: org for org in Organisation.objects.filter(ars__isnull=False)}
    created = updated = unchanged = 0
    to_update: list[Organisation] = []
    # Parents first: each level is created in one query before its children need the keys.
    for _rank, level in groupby(entries, key=lambda e: _KIND_RANK.get(e.kind, 5)):
        new: list[Organisation] = []
        for entry in level:
            parent = existing[entry.parent_ars] if entry.parent_ars else None
            org = existing.get(entry.ars)
            if org is None:
                org = Organisation(
                    ars=entry.ars, name=entry.name, kind=entry.kind, kind_label=entry.kind_label, parent=parent
                )
                org.full_clean(validate_unique=False, validate_constraints=False)
                new.append(org)
                existing[entry.ars] = org
                continue
            kind, label = entry.kind, entry.kind_label
            if _KIND_RANK.get(org.kind, 5) < _KIND_RANK.get(kind, 5):
                kind, label = org.kind, org.kind_label
            wanted = {"name": entry.name, "kind": kind, "kind_label": label, "parent_id": parent.pk if parent else None}
            if all(getattr(org, field) == value for field, value in wanted.items()):
                unchanged += 1
                continue
            for field, value in wanted.items():
                setattr(org, field, value)
            to_update.append(org)
        Organisation.objects.bulk_create(new, batch_size=500)
        created += len(new)
    Organisation.objects.bulk_update(to_update, ["name", "kind", "kind_label", "parent"], batch_size=500)
    updated = len(to_update)
    return OrganisationImportResult(created=created, updated=updated, unchanged=unchanged)


class ScopeError(NotPermitted):
    """An admin tried to act outside their scope; the message is German and shown to them."""

    def __init__(self, message: str, *, code: str = "accounts.out_of_scope") -> None:
        super().__init__(code, message)


class _RegistrationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a password-reset link never confirms a registration, nor the other way round.
    # The token covers last_login, so it stops working once the confirmed person has logged in.
    key_salt = "lernplattform.accounts.registration"


registration_token_generator = _RegistrationTokenGenerator()


def _registration_unconfirmed(user: User) -> bool:
    return not user.is_active and user.last_login is None


def _ten_minutes() -> int:
    return int(timezone.now().timestamp() // 600)


def _registration_confirm_mail(*, user: User) -> None:
    from lernplattform.notifications.services import notification_schedule

    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "accounts:register_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), registration_token_generator.make_token(user)],
    )
    # At most one link per ten minutes; the earlier one stays valid meanwhile.
    notification_schedule(
        kind="accounts.registration_confirm",
        dedupe_key=f"registration_confirm:{user.pk}:{_ten_minutes()}",
        user=user,
        context={"confirm_url": link},
    )


def _registration_exists_mail(*, user: User) -> None:
    from lernplattform.notifications.services import notification_schedule

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    notification_schedule(
        kind="accounts.registration_exists",
        dedupe_key=f"registration_exists:{user.pk}:{_ten_minutes()}",
        user=user,
        context={"login_url": base + reverse("accounts:login"), "reset_url": base + reverse("accounts:password_reset")},
    )


@transaction.atomic
def user_register(*, email: str, full_name: str, password: str, organisation: Organisation) -> User | None:
    """Self-registration: an account that starts once its address is confirmed.

    The answer is the same whether or not the address has an account (issue 10): a new
    address gets a confirmation link; the owner of an existing account gets an e-mail saying
    so, and nothing changes (an unconfirmed registration gets its link again). Returns the new,
    still inactive user, or None when the address was taken.
    """
    if organisation.kind == Organisation.Kind.OTHER and organisation.parent is None:
        raise ValidationError(_("Diese Organisation nimmt keine Registrierungen an."))
    email = _normalise_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        if _registration_unconfirmed(existing):
            _registration_confirm_mail(user=existing)
        else:
            _registration_exists_mail(user=existing)
        return None
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip(), is_active=False)
    needs_approval = organisation.requires_approval
    membership_start(user=user, organisation=organisation, role=Membership.Role.LEARNER, approved=not needs_approval)
    _registration_confirm_mail(user=user)
    return user


def registration_user_for(*, uidb64: str, token: str) -> User | None:
    """The unconfirmed registration a confirmation link belongs to, if the link is valid."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError):
        return None
    if user is None or not _registration_unconfirmed(user):
        return None
    return user if registration_token_generator.check_token(user, token) else None


@transaction.atomic
def user_registration_confirm(*, uidb64: str, token: str) -> User:
    """Confirm the address of a registration: the account becomes active; admins hear of pending ones."""
    user = registration_user_for(uidb64=uidb64, token=token)
    if user is None:
        raise NotFound(
            "accounts.registration_link_invalid",
            _(
                "Dieser Bestätigungslink ist ungültig oder abgelaufen. Registrieren Sie sich mit derselben Adresse "
                "erneut; Sie erhalten dann einen neuen Link."
            ),
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    pending = Membership.objects.active().filter(user=user, approved=False).select_related("organisation")
    for membership in pending:
        from lernplattform.notifications.services import notification_send

        from .selectors import organisation_admin_emails

        notification_send(
            recipients=organisation_admin_emails(organisation=membership.organisation),
            subject=_("Neue Registrierung wartet auf Bestätigung: %(name)s") % {"name": user.full_name},
            body=_(
                "%(name)s (%(email)s) hat sich für %(org)s registriert und wartet auf Ihre Bestätigung.\n\n"
                "Bestätigen oder ablehnen: %(url)s"
            )
            % {
                "name": user.full_name,
                "email": user.email,
                "org": membership.organisation.name,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("accounts:people"),
            },
            topic="registration_pending",
        )
    return user


def _require_scope(*, by: User, organisation: Organisation) -> None:
    from .selectors import organisations_in_scope

    if not organisations_in_scope(viewer=by).filter(pk=organisation.pk).exists():
        raise ScopeError(_("„%(org)s“ liegt außerhalb Ihres Zuständigkeitsbereichs.") % {"org": organisation.name})


def _require_person(*, by: User, user: User) -> None:
    """The person check of every write on someone's memberships (issue 10, finding 1)."""
    from .selectors import user_may_manage

    if by.pk == user.pk:
        raise ScopeError(_("Ihre eigenen Rollen kann nur eine übergeordnete Verwaltung ändern."), code="accounts.self")
    if not user_may_manage(viewer=by, user=user):
        raise ScopeError(
            _(
                "Diese Person liegt nicht vollständig in Ihrem Zuständigkeitsbereich oder verwaltet selbst "
                "eine Organisation auf Ihrer Ebene oder darüber. Sie können sie nur einladen."
            ),
            code="accounts.person_out_of_scope",
        )


def _require_role(*, by: User, organisation: Organisation, role: str) -> None:
    from .selectors import role_grantable_by

    if role not in role_grantable_by(viewer=by, organisation=organisation):
        if role in (Membership.Role.TRAINER, Membership.Role.REVIEWER, Membership.Role.PLATFORM_ADMIN):
            message = _("Diese Rolle kann nur die Plattformverwaltung vergeben.")
        else:
            message = _(
                "Die Organisationsverwaltung für „%(org)s“ vergibt die Verwaltung der übergeordneten Ebene."
            ) % {"org": organisation.name}
        raise ScopeError(message, code="accounts.role_not_grantable")


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    """An admin confirms a self-registration in their scope."""
    _require_scope(by=by, organisation=membership.organisation)
    _require_person(by=by, user=membership.user)
    if not membership.approved:
        membership.approved = True
        membership.save(update_fields=["approved"])
        user_groups_sync(user=membership.user)
        membership_changed(user=membership.user)
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, by: User) -> None:
    """An admin turns down a self-registration: the membership never comes into force."""
    _require_scope(by=by, organisation=membership.organisation)
    _require_person(by=by, user=membership.user)
    if membership.approved:
        raise Conflict(
            "accounts.already_approved", _("Diese Mitgliedschaft ist bereits bestätigt; beenden Sie sie stattdessen.")
        )
    membership.valid_to = membership.valid_from
    membership.save(update_fields=["valid_to"])


# Roles an organisation admin may hand out at most (the admin role only below her own level,
# see selectors.role_grantable_by); trainer, reviewer and platform admin come from platform admins.
HEADCOUNT_MAX = 10_000_000  # no public body employs more; see forms.OrganisationSettingsForm

ORG_ADMIN_GRANTABLE = [Membership.Role.LEARNER, Membership.Role.ORG_ADMIN]


@transaction.atomic
def membership_grant(*, by: User, user: User, organisation: Organisation, role: str) -> Membership:
    """An admin gives a person of her scope a role in an organisation of her scope.

    Someone outside her scope is invited instead (:func:`invitation_create`).
    """
    _require_scope(by=by, organisation=organisation)
    _require_role(by=by, organisation=organisation, role=role)
    _require_person(by=by, user=user)
    return membership_start(user=user, organisation=organisation, role=role)


@dataclass(frozen=True)
class GrantOutcome:
    """What the grant form did: granted directly (the person was in scope) or invited."""

    membership: Membership | None
    invitation: Invitation | None


@transaction.atomic
def membership_grant_or_invite(*, by: User, email: str, organisation: Organisation, role: str) -> GrantOutcome:
    """The grant form: a person the admin manages gets the role now, anyone else an invitation.

    Whether an account exists for an address the admin cannot already see is never revealed:
    a stranger's address and an unknown one both become an invitation.
    """
    from .selectors import users_manageable_by

    email = _normalise_email(email)
    _require_scope(by=by, organisation=organisation)
    _require_role(by=by, organisation=organisation, role=role)
    if email == by.email:
        raise ScopeError(_("Sich selbst kann niemand eine Rolle geben."), code="accounts.self")
    person = users_manageable_by(viewer=by).filter(email=email).first()
    if person is not None:
        return GrantOutcome(
            membership=membership_start(user=person, organisation=organisation, role=role), invitation=None
        )
    return GrantOutcome(
        membership=None, invitation=invitation_create(by=by, email=email, organisation=organisation, role=role)
    )


@transaction.atomic
def _require_not_last_admin(*, membership: Membership) -> None:
    """An organisation is never left without an admin: the last admin role ends only after another."""
    if membership.role != Membership.Role.ORG_ADMIN:
        return
    others = (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ORG_ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ScopeError(
            _(
                "%(name)s ist die letzte Verwaltung von „%(org)s“. Vergeben Sie die Rolle zuerst an eine "
                "andere Person; danach kann diese Rolle enden."
            )
            % {"name": membership.user, "org": membership.organisation.name},
            code="accounts.last_admin",
        )


def membership_revoke_check(*, by: User, membership: Membership) -> None:
    """Raise what ending this membership would be refused with (the confirmation page asks first)."""
    from .selectors import user_is_platform_admin

    _require_scope(by=by, organisation=membership.organisation)
    if membership.role == Membership.Role.PLATFORM_ADMIN and not user_is_platform_admin(user=by):
        raise ScopeError(
            _("Diese Rolle kann nur die Plattformverwaltung entziehen."), code="accounts.role_not_grantable"
        )
    _require_person(by=by, user=membership.user)
    _require_not_last_admin(membership=membership)


def membership_revoke(*, by: User, membership: Membership) -> Membership:
    """An admin ends a membership of a person in her scope; the record stays as history.

    Refused for one's own memberships and for the last admin role of an organisation.
    """
    membership_revoke_check(by=by, membership=membership)
    return membership_end(membership=membership)


@transaction.atomic
def user_move_within_scope(*, by: User, user: User, organisation: Organisation) -> list[Membership]:
    """An admin moves a person between organisations of her scope (history stays).

    Only memberships inside the mover's scope end; the person check already refuses anyone
    with memberships elsewhere, the filter keeps it so should that check ever widen.
    """
    from .selectors import organisations_in_scope

    _require_scope(by=by, organisation=organisation)
    _require_person(by=by, user=user)
    scope = organisations_in_scope(viewer=by)
    leaving = (
        Membership.objects.active()
        .filter(user=user, organisation__in=scope, role=Membership.Role.ORG_ADMIN)
        .exclude(organisation=organisation)
        .select_related("organisation", "user")
    )
    for membership in leaving:
        _require_not_last_admin(membership=membership)
    return user_move_organisation(user=user, organisation=organisation, within=scope)


@transaction.atomic
def organisation_headcount_set(*, by: User, organisation: Organisation, headcount: int | None) -> Organisation:
    """An admin keeps the staff headcount of an organisation in their scope (denominator of quotas)."""
    _require_scope(by=by, organisation=organisation)
    if headcount is not None and headcount < 0:
        raise ValidationFailed("accounts.headcount_negative", _("Die Zahl der Beschäftigten kann nicht negativ sein."))
    if headcount is not None and headcount > HEADCOUNT_MAX:
        raise ValidationFailed(
            "accounts.headcount_too_large",
            _("Die Zahl der Beschäftigten kann höchstens 10.000.000 betragen. Bitte prüfen Sie die Eingabe."),
        )
    organisation.headcount = headcount
    organisation.save(update_fields=["headcount"])
    return organisation


@transaction.atomic
def organisation_settings_set(*, by: User, organisation: Organisation, requires_approval: bool) -> Organisation:
    _require_scope(by=by, organisation=organisation)
    organisation.requires_approval = requires_approval
    organisation.save(update_fields=["requires_approval"])
    return organisation


def user_profile_update(*, user: User, full_name: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError(_("Bitte geben Sie Ihren vollständigen Namen an."))
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


def user_groups_sync_due(*, on: datetime.date | None = None) -> int:
    """Re-derive the groups of everyone whose memberships start or end on a day (nightly task)."""
    day = on or timezone.localdate()
    user_ids = (
        Membership.objects.filter(models.Q(valid_from=day) | models.Q(valid_to=day))
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user in User.objects.filter(pk__in=list(user_ids)):
        user_groups_sync(user=user)
        count += 1
    return count


# --- Invitations -------------------------------------------------------------------------
# An invitation offers a role to an address; the role starts only when the person accepts.
# Admins reach people outside their scope only this way, and bulk enrolment invites people
# who have no account yet. The link's token is random and single-use; only its keyed hash is
# stored, so a database dump or an admin's view of the table never yields a working link.


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed("accounts.invalid_email", _("Bitte geben Sie eine gültige E-Mail-Adresse an.")) from None
    return email


def invitation_token_hash(token: str) -> str:
    """The stored form of an invitation token: an HMAC keyed with the secret key."""
    return salted_hmac("lernplattform.accounts.invitation", token, algorithm="sha256").hexdigest()


def _invitation_issue_token(invitation: Invitation) -> str:
    """A fresh token and expiry; any earlier link of this invitation stops working."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    # The raw token lives only on this object, for the e-mail and for callers such as bulk
    # enrolment that mail it themselves; it is never stored.
    invitation.token = token  # type: ignore[attr-defined]
    return token


def invitation_accept_url(*, token: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


def _invitation_mail(*, invitation: Invitation, token: str) -> None:
    from lernplattform.notifications.services import notification_schedule

    inviter = invitation.invited_by.full_name if invitation.invited_by else _("Die Plattformverwaltung")
    notification_schedule(
        kind="accounts.invitation",
        # One message per link: a resend (new token) is a new message, a retried request is not.
        dedupe_key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}",
        recipients=[invitation.email],
        context={
            "organisation_name": invitation.organisation.name,
            "role_name": str(invitation.get_role_display()),
            "invite_url": invitation_accept_url(token=token),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
            "invited_by": str(inviter),
        },
    )


@transaction.atomic
def invitation_create(*, by: User, email: str, organisation: Organisation, role: str) -> Invitation:
    """Invite an address to a role in an organisation of the inviter's scope, and e-mail the link.

    Idempotent: while an invitation for the same address, organisation and role is open and
    its link works, that one is returned and nothing is sent again (``token`` is then absent);
    an expired open one gets a new link. Whether the address has an account plays no part.
    """
    email = _normalise_email(email)
    _require_scope(by=by, organisation=organisation)
    _require_role(by=by, organisation=organisation, role=role)
    if email == by.email:
        raise ScopeError(_("Sich selbst kann niemand eine Rolle geben."), code="accounts.self")
    existing = (
        Invitation.objects.open().select_for_update().filter(email=email, organisation=organisation, role=role).first()
    )
    if existing is not None:
        if not existing.is_expired:
            return existing
        token = _invitation_issue_token(existing)
        existing.invited_by = by
        existing.save(update_fields=["token_hash", "sent_at", "expires_at", "invited_by"])
        _invitation_mail(invitation=existing, token=token)
        return existing
    invitation = Invitation(email=email, organisation=organisation, role=role, invited_by=by)
    token = _invitation_issue_token(invitation)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Two requests raced; the constraint let one through, and that one is the answer.
        return Invitation.objects.open().get(email=email, organisation=organisation, role=role)
    _invitation_mail(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """Send an open invitation again with a new link and a new expiry; the old link is dead."""
    _require_scope(by=by, organisation=invitation.organisation)
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise Conflict("accounts.invitation_closed", _("Diese Einladung ist bereits angenommen oder zurückgezogen."))
    token = _invitation_issue_token(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _invitation_mail(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation; its link stops working. The record stays."""
    _require_scope(by=by, organisation=invitation.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise Conflict(
            "accounts.invitation_closed",
            _("Diese Einladung ist bereits angenommen; beenden Sie stattdessen die Mitgliedschaft."),
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(*, invitation: Invitation | None) -> Invitation:
    """The invitation if its link can still be used, else the German reason why not."""
    if invitation is None:
        raise NotFound(
            "accounts.invitation_invalid",
            _("Dieser Einladungslink ist ungültig. Prüfen Sie, ob Sie ihn vollständig kopiert haben."),
        )
    if invitation.accepted_at:
        raise Conflict("accounts.invitation_used", _("Diese Einladung wurde bereits angenommen."))
    if invitation.revoked_at:
        raise Conflict("accounts.invitation_revoked", _("Diese Einladung wurde zurückgezogen."))
    if invitation.is_expired:
        raise Conflict(
            "accounts.invitation_expired",
            _("Diese Einladung ist abgelaufen. Bitten Sie die einladende Stelle, sie erneut zu senden."),
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, password: str | None = None, full_name: str | None = None
) -> Invitation:
    """Accept an invitation: the membership starts.

    With ``user`` (the person logged in) the invitation must be addressed to their e-mail
    address. Without, an account is created from ``full_name`` and ``password``; if the
    address already has an account the person has to log in first. The token works once.
    """
    invitation = invitation_check(
        # Only the invitation row: PostgreSQL refuses FOR UPDATE on the outer join to a nullable inviter.
        invitation=Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(token_hash=invitation_token_hash(token or ""))
        .first()
    )
    # The inviter's right is checked again: an invitation from an admin who has since lost the
    # role, or from a role now reserved for platform admins, does not outlive that right.
    inviter = invitation.invited_by
    try:
        if inviter is None or not inviter.is_active:
            raise ScopeError("")
        _require_scope(by=inviter, organisation=invitation.organisation)
        _require_role(by=inviter, organisation=invitation.organisation, role=invitation.role)
    except NotPermitted:
        raise Conflict(
            "accounts.invitation_stale",
            _("Die einladende Stelle ist dafür nicht mehr zuständig. Bitten Sie um eine neue Einladung."),
        ) from None
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            raise NotPermitted(
                "accounts.invitation_other_address",
                _("Diese Einladung gilt für %(email)s. Melden Sie sich mit diesem Konto an, um sie anzunehmen.")
                % {"email": invitation.email},
            )
    else:
        if User.objects.filter(email=invitation.email).exists():
            raise Conflict(
                "accounts.invitation_login_required",
                _("Für %(email)s gibt es schon ein Konto. Melden Sie sich an, um die Einladung anzunehmen.")
                % {"email": invitation.email},
            )
        full_name = (full_name or "").strip()
        if not full_name:
            raise ValidationFailed("accounts.name_required", _("Bitte geben Sie Ihren vollständigen Namen an."))
        candidate = User(email=invitation.email, full_name=full_name)
        try:
            password_validation.validate_password(password or "", candidate)
        except ValidationError as error:
            raise ValidationFailed("accounts.password_invalid", " ".join(error.messages)) from None
        user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    membership = membership_start(user=user, organisation=invitation.organisation, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.membership = membership
    invitation.save(update_fields=["accepted_at", "user", "membership"])
    return invitation
