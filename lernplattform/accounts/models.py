"""Users, organisations keyed by the Amtlicher Regionalschlüssel, and memberships.

Memberships are the one permission layer (DESIGN.md): roles, scopes and Wagtail groups all
derive from them; nobody edits groups by hand.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are stored lower-case; logins are case-insensitive.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    full_name = models.CharField(
        _("Vollständiger Name"),
        max_length=200,
        help_text=_("So, wie er auf Zertifikaten stehen soll."),
    )
    is_staff = models.BooleanField(_("Zugang zur Verwaltung"), default=False)
    is_active = models.BooleanField(_("Aktiv"), default=True)
    date_joined = models.DateTimeField(_("Registriert am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("Benutzer/in")
        verbose_name_plural = _("Benutzer/innen")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Wagtail's admin lists users by first and last name where a model has them.
    @property
    def first_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[0] if " " in self.full_name else self.full_name

    @property
    def last_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[1] if " " in self.full_name else ""


ars_validator = RegexValidator(r"^\d{12}$", _("Der Regionalschlüssel (ARS) besteht aus genau 12 Ziffern."))


class Organisation(models.Model):
    """A Land, Kreis, Gemeinde or other public body, keyed by its ARS."""

    class Kind(models.TextChoices):
        LAND = "land", _("Land")
        REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
        KREIS = "kreis", _("Kreis")
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
        GEMEINDEVERBAND = "gemeindeverband", _("Gemeindeverband")
        GEMEINDE = "gemeinde", _("Gemeinde / Stadt")
        OTHER = "other", _("Sonstige öffentliche Stelle")

    # How many leading ARS digits an organisation of each kind owns: its scope is every
    # organisation whose ARS starts with these digits (Land 2, RB 1, Kreis 2, GV 4, Gemeinde 3).
    SCOPE_DIGITS = {
        Kind.LAND: 2,
        Kind.REGIERUNGSBEZIRK: 3,
        Kind.KREIS: 5,
        Kind.KREISFREIE_STADT: 5,
        Kind.GEMEINDEVERBAND: 9,
        Kind.GEMEINDE: 12,
    }

    ars = models.CharField(
        _("Amtlicher Regionalschlüssel (ARS)"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[ars_validator],
        help_text=_("12 Ziffern; leer nur bei sonstigen öffentlichen Stellen."),
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind.choices)
    kind_label = models.CharField(
        _("Bezeichnung"),
        max_length=100,
        blank=True,
        help_text=_("Amtliche Bezeichnung, z. B. Verbandsgemeinde, Amt, Samtgemeinde, Zweckverband."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Übergeordnete Organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    headcount = models.PositiveIntegerField(
        _("Beschäftigte"),
        null=True,
        blank=True,
        help_text=_("Zahl der Beschäftigten; Grundlage für Qualifizierungsquoten."),
    )
    requires_approval = models.BooleanField(
        _("Registrierungen bestätigen"),
        default=False,
        help_text=_("Neue Registrierungen müssen von der Organisationsverwaltung bestätigt werden."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["ars", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="other") | Q(ars__isnull=False),
                name="organisation_ars_required_unless_other",
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | Q(parent__isnull=False),
                name="organisation_other_needs_parent",
            ),
        ]

    def __str__(self) -> str:
        label = self.kind_label or self.get_kind_display()
        return f"{self.name} ({label})"

    @property
    def ags(self) -> str | None:
        """The 8-digit Amtlicher Gemeindeschlüssel: Land, RB, Kreis and Gemeinde of the ARS."""
        if not self.ars:
            return None
        return self.ars[:5] + self.ars[9:]

    @property
    def scope_prefix(self) -> str | None:
        """The ARS prefix an admin of this organisation oversees; None for bodies without ARS."""
        if not self.ars:
            return None
        return self.ars[: self.SCOPE_DIGITS[self.Kind(self.kind)]]

    def clean(self) -> None:
        if self.kind == self.Kind.OTHER:
            if self.parent is None:
                raise ValidationError(
                    {"parent": _("Sonstige öffentliche Stellen brauchen eine übergeordnete Organisation.")}
                )
            if self.parent.kind == self.Kind.OTHER:
                raise ValidationError({"parent": _("Die übergeordnete Organisation braucht einen Regionalschlüssel.")})
        elif not self.ars:
            raise ValidationError({"ars": _("Der Regionalschlüssel (ARS) ist erforderlich.")})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: datetime.date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class Membership(models.Model):
    """A person's role in an organisation for a period: the one permission layer."""

    class Role(models.TextChoices):
        LEARNER = "learner", _("Lernende/r")
        TRAINER = "trainer", _("Trainer/in")
        REVIEWER = "reviewer", _("Redaktion (Freigabe)")
        ORG_ADMIN = "org_admin", _("Organisationsverwaltung")
        PLATFORM_ADMIN = "platform_admin", _("Plattformverwaltung")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Organisation"),
    )
    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("Gültig ab"), default=timezone.localdate)
    valid_to = models.DateField(_("Gültig bis"), null=True, blank=True, help_text=_("Leer: unbefristet."))
    approved = models.BooleanField(
        _("Bestätigt"),
        default=True,
        help_text=_("Selbstregistrierungen können eine Bestätigung durch die Organisation erfordern."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["organisation", "role"]), models.Index(fields=["user", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation.name}"

    def in_force_on(self, day: datetime.date) -> bool:
        """The same rule as `MembershipQuerySet.active`, for memberships already loaded (prefetched)."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Das Ende darf nicht vor dem Beginn liegen.")})


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (an expired one is still open: it can be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def usable(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Open and not yet expired: its link still works."""
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An offer of a role in an organisation to an e-mail address; it takes effect when accepted.

    Admins reach people outside their scope only this way (issue 10): the person decides. The
    link carries a random single-use token; only its keyed hash is stored, so neither a database
    dump nor an admin can use someone else's link.
    """

    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Organisation")
    )
    role = models.CharField(_("Rolle"), max_length=32, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("Eingeladen von"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("Erstellt am"), default=timezone.now)
    sent_at = models.DateTimeField(_("Zuletzt verschickt am"), default=timezone.now)
    expires_at = models.DateTimeField(_("Gültig bis"))
    accepted_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("Angenommen von"),
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "accepted_at", "revoked_at"])]
        constraints = [
            # One open invitation per address, organisation and role: creating it twice (a CSV
            # imported again, a double click) finds the first.
            models.UniqueConstraint(
                fields=["email", "organisation", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email_organisation_role",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="invitation_accepted_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.organisation.name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.is_expired else "open"
