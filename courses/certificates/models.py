"""Certificate templates, issued certificates and what happens to them afterwards.

An issued `Certificate` is immutable (DESIGN.md): its `snapshot` holds everything the PDF shows,
taken at issue, and the PDF is rendered once and stored. What happens later – revocation,
replacement by a re-issue, renewal in the next certification cycle – is a new fact: a
`CertificateEvent` row plus a write-once column (`revoked_at`, `replaced_by`, `renewed_by` through
`renews`), never an edit of the snapshot. Reports (lernplattform.reports) aggregate the plain
columns: `user`, `organisation`, `organisation_ars` (indexed for ARS prefix queries), `topic`,
`level`, `issued_at`, `valid_until` (indexed; null = unlimited), `revoked_at`, `replaced_by`.

Changes go only through `courses.certificates.services` (STYLE.md rule 1).
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin, RevisionMixin

# The placeholders a template body may use; the renderer fills exactly these.
PLACEHOLDERS = {
    "name": _("Name der Person, wie er gedruckt wird"),
    "organisation": _("Organisation"),
    "course": _("Kurs oder Lernpfad"),
    "hours": _("Umfang in Stunden"),
    "date": _("Datum des Abschlusses"),
    "valid_until": _("Gültig bis (oder „unbefristet“)"),
    "outcomes": _("Lernziele"),
}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


def placeholders_unknown(text: str) -> list[str]:
    """The placeholders in a text that the renderer does not know, in order of appearance."""
    unknown: list[str] = []
    for name in PLACEHOLDER_RE.findall(text or ""):
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def reminder_days_parse(value: str) -> list[int]:
    """ "90, 30" -> [90, 30]; raises ValidationError on anything else."""
    days: list[int] = []
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 730:
            raise ValidationError(
                _("Erinnerungen: ganze Tage zwischen 1 und 730, durch Kommas getrennt (z. B. „90, 30“).")
            )
        days.append(int(part))
    return sorted(set(days), reverse=True)


class CertificateTemplate(PreviewableMixin, RevisionMixin, ClusterableModel):
    """A certificate design with its validity policy (a snippet for platform admins and the Redaktion)."""

    class Validity(models.TextChoices):
        UNLIMITED = "unlimited", _("Unbefristet")
        FROM_COMPLETION = "from_completion", _("N Monate ab Abschluss")
        FROM_PREVIOUS_EXPIRY = "from_previous_expiry", _("N Monate ab bisherigem Ablauf (früh verlängern lohnt)")
        FIXED_DATE = "fixed_date", _("Bis zu einem festen Tag im Jahr")

    name = models.CharField(_("Interner Name"), max_length=120, unique=True)
    heading = models.CharField(_("Überschrift"), max_length=120, default="Zertifikat")
    body = models.TextField(
        _("Text"),
        default=(
            "{name} ({organisation}) hat den Kurs „{course}“ im Umfang von {hours} Stunden am {date} "
            "erfolgreich abgeschlossen."
        ),
        help_text=_(
            "Platzhalter: {name}, {organisation}, {course}, {hours}, {date}, {valid_until}, {outcomes}. "
            "Absätze durch Leerzeilen."
        ),
    )
    issuer = models.CharField(
        _("Ausstellende Stelle"),
        max_length=200,
        default="Lernplattform für Kommunen",
        help_text=_("Steht auf dem Zertifikat und auf der Prüfseite."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.DecimalField(
        _("Stunden"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leer: der geschätzte Aufwand des Kurses."),
    )
    outcomes = models.TextField(
        _("Lernziele"),
        blank=True,
        help_text=_("Eines je Zeile. Leer: die Lernziele des Kurses."),
    )
    validity = models.CharField(_("Gültigkeit"), max_length=32, choices=Validity.choices, default=Validity.UNLIMITED)
    validity_months = models.PositiveSmallIntegerField(
        _("Gültigkeit (Monate)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    fixed_month = models.PositiveSmallIntegerField(
        _("Fester Tag: Monat"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    fixed_day = models.PositiveSmallIntegerField(
        _("Fester Tag: Tag"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    window_days = models.PositiveSmallIntegerField(
        _("Rezertifizierung öffnet (Tage vor Ablauf)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Ab dann wird die Person erneut eingeschrieben."),
    )
    reminder_days = models.CharField(
        _("Erinnerungen (Tage vor Ablauf)"),
        max_length=50,
        default="90, 30",
        blank=True,
        help_text=_("An die Person und ihre Organisationsverwaltung, je einmal; leer: keine."),
    )
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("heading"), FieldPanel("body"), FieldPanel("issuer"), FieldPanel("logo")],
            heading=_("Inhalt"),
        ),
        MultiFieldPanel([FieldPanel("hours"), FieldPanel("outcomes")], heading=_("Umfang und Lernziele")),
        InlinePanel("signatories", label=_("Unterschriften"), max_num=3),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_(
                        "Eine Änderung gilt nur für künftig ausgestellte Zertifikate; "
                        "ausgestellte bleiben, wie sie sind."
                    )
                ),
                FieldPanel("validity"),
                FieldPanel("validity_months"),
                FieldRowPanel([FieldPanel("fixed_day"), FieldPanel("fixed_month")]),
                FieldPanel("window_days"),
                FieldPanel("reminder_days"),
            ],
            heading=_("Gültigkeit und Rezertifizierung"),
        ),
    ]

    class Meta:
        verbose_name = _("Zertifikatsvorlage")
        verbose_name_plural = _("Zertifikatsvorlagen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity="unlimited") | Q(validity="fixed_date") | Q(validity_months__isnull=False),
                name="certificates_template_months_for_monthly_validity",
            ),
            models.CheckConstraint(
                condition=~Q(validity="fixed_date") | Q(fixed_month__isnull=False, fixed_day__isnull=False),
                name="certificates_template_fixed_date_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("heading", "body"):
            unknown = placeholders_unknown(getattr(self, field))
            if unknown:
                errors[field] = [
                    _("Unbekannter Platzhalter: %(names)s. Erlaubt sind: %(allowed)s.")
                    % {
                        "names": ", ".join("{" + name + "}" for name in unknown),
                        "allowed": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                    }
                ]
        if self.validity in (self.Validity.FROM_COMPLETION, self.Validity.FROM_PREVIOUS_EXPIRY):
            if not self.validity_months:
                errors["validity_months"] = [_("Bitte geben Sie an, wie viele Monate das Zertifikat gilt.")]
        if self.validity == self.Validity.FIXED_DATE:
            if not self.fixed_month or not self.fixed_day:
                errors["fixed_day"] = [_("Bitte geben Sie Tag und Monat an, bis zu dem das Zertifikat gilt.")]
            else:
                try:
                    datetime.date(2023, self.fixed_month, self.fixed_day)  # not a leap year: 29.2. is refused
                except ValueError:
                    errors["fixed_day"] = [_("Diesen Tag gibt es nicht in jedem Jahr.")]
        try:
            reminder_days_parse(self.reminder_days)
        except ValidationError as error:
            errors["reminder_days"] = error.messages
        if errors:
            raise ValidationError(errors)

    preview_modes = [("", _("PDF mit Beispielperson"))]

    def serve_preview(self, request, mode_name):
        """The live preview in the editor: the PDF with a sample learner, or the German reason it fails."""
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        from lernplattform.core.errors import ApplicationError

        from .services import template_preview_pdf

        try:
            pdf = template_preview_pdf(template=self)
        except ApplicationError as error:
            html = render_to_string("certificates/preview_error.html", {"message": error.message}, request=request)
            return HttpResponse(html, status=200)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="vorschau.pdf"'
        return response

    @property
    def policy(self) -> dict:
        """The validity policy as it is copied into each issued certificate."""
        return {
            "validity": self.validity,
            "months": self.validity_months,
            "fixed_month": self.fixed_month,
            "fixed_day": self.fixed_day,
            "window_days": self.window_days,
            "reminder_days": reminder_days_parse(self.reminder_days),
        }


class CertificateSignatory(Orderable):
    """A person who signs certificates of a template."""

    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("Name"), max_length=120)
    title = models.CharField(_("Funktion"), max_length=120, help_text=_("z. B. Leitung des Kompetenzzentrums"))
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Unterschrift (Bild)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("Unterschrift")
        verbose_name_plural = _("Unterschriften")

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class CertificateNumberCounter(models.Model):
    """The last number given out per year: LP-2026-000123. Unique, not necessarily gap-free."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zertifikatsnummernkreis")
        verbose_name_plural = _("Zertifikatsnummernkreise")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def current(self) -> CertificateQuerySet:
        """Neither revoked nor replaced (validity by date is a separate question)."""
        return self.filter(revoked_at__isnull=True, replaced_by__isnull=True)

    def valid_on(self, day: datetime.date) -> CertificateQuerySet:
        return self.current().filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Certificate(models.Model):
    """An issued certificate: an immutable snapshot and its stored PDF."""

    class Status(models.TextChoices):
        VALID = "valid", _("gültig")
        EXPIRED = "expired", _("abgelaufen")
        REVOKED = "revoked", _("widerrufen")
        REPLACED = "replaced", _("ersetzt")

    class RevocationReason(models.TextChoices):
        ERROR = "error", _("Irrtümlich ausgestellt")
        FRAUD = "fraud", _("Täuschung oder Betrug")
        DATA = "data", _("Falsche Angaben auf dem Zertifikat")
        WITHDRAWN = "withdrawn", _("Kurs zurückgezogen")
        OTHER = "other", _("Sonstiger Grund")

    number = models.CharField(_("Nummer"), max_length=20, unique=True)
    # Verification looks certificates up by this code, never by the sequential number.
    code = models.CharField(_("Prüfcode"), max_length=24, unique=True)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("Person")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("Organisation bei Ausstellung"),
    )
    # The ARS of the organisation at issue (its parent's for bodies without one): reports filter by prefix.
    organisation_ars = models.CharField(_("ARS der Organisation"), max_length=12, blank=True)
    course = models.ForeignKey(
        "catalog.CoursePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("Kurs"),
    )
    path = models.ForeignKey(
        "progress.LearningPath",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("Lernpfad"),
    )
    topic = models.ForeignKey(
        "catalog.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("Themenfeld"),
    )
    level = models.CharField(_("Niveau"), max_length=20, blank=True)
    course_completion = models.OneToOneField(
        "progress.CourseCompletion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("Kursabschluss"),
    )
    path_completion = models.OneToOneField(
        "progress.PathCompletion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("Lernpfadabschluss"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("Vorlage"),
    )

    # The snapshot: what the PDF and the verification page show. Never edited.
    holder_name = models.CharField(_("Name wie gedruckt"), max_length=200)
    title = models.CharField(_("Kurs oder Lernpfad"), max_length=255)
    snapshot = models.JSONField(_("Inhalt bei Ausstellung"), default=dict)
    completed_at = models.DateTimeField(_("Abgeschlossen am"))
    issued_at = models.DateTimeField(_("Ausgestellt am"), default=timezone.now)
    valid_until = models.DateField(_("Gültig bis"), null=True, blank=True, db_index=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64)

    # The certification cycle: renewals continue a chain; the old certificate points to its renewal.
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("Verlängert"),
        help_text=_("Das Zertifikat des vorigen Zyklus, das dieses fortsetzt."),
    )
    cycle = models.PositiveSmallIntegerField(_("Zyklus"), default=1)
    renewal_opened_at = models.DateTimeField(_("Rezertifizierung eröffnet am"), null=True, blank=True)

    # Later facts, written once each (and recorded as events).
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Widerrufen von"),
    )
    revocation_reason = models.CharField(
        _("Widerrufsgrund"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    revocation_comment = models.TextField(_("Kommentar zum Widerruf"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("Ersetzt durch"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zertifikat")
        verbose_name_plural = _("Zertifikate")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "issued_at"], name="certificates_user_issued"),
            models.Index(fields=["organisation", "valid_until"], name="certificates_org_valid"),
            models.Index(fields=["course", "valid_until"], name="certificates_course_valid"),
            # For prefix queries (LIKE '09184%') the PostgreSQL migration adds a text_pattern_ops index.
            models.Index(fields=["organisation_ars"], name="certificates_ars"),
        ]
        constraints = [
            # One completion gives exactly one certificate: the OneToOne fields make it unique, and
            # a re-issue (which has no completion of its own) points to the certificate it replaces.
            models.CheckConstraint(
                condition=Q(course_completion__isnull=True) | Q(path_completion__isnull=True),
                name="certificates_one_kind_of_completion",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificates_revocation_has_reason",
            ),
            models.CheckConstraint(condition=~Q(pdf=""), name="certificates_pdf_required"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.holder_name} – {self.title}"

    def status_on(self, day: datetime.date) -> str:
        if self.revoked_at:
            return self.Status.REVOKED
        if self.replaced_by_id:
            return self.Status.REPLACED
        if self.valid_until and self.valid_until < day:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)


class CertificateEvent(models.Model):
    """What happened to a certificate, who did it and why (audit)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Ausgestellt")
        REVOKED = "revoked", _("Widerrufen")
        REISSUED = "reissued", _("Neu ausgestellt")
        REPLACED = "replaced", _("Ersetzt")
        RENEWAL_OPENED = "renewal_opened", _("Rezertifizierung eröffnet")
        RENEWED = "renewed", _("Verlängert")
        DOWNLOADED = "downloaded", _("Heruntergeladen")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Ereignis"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Durch"),
    )
    at = models.DateTimeField(_("Am"), default=timezone.now)
    reason = models.CharField(_("Grund"), max_length=20, blank=True)
    comment = models.TextField(_("Kommentar"), blank=True)

    class Meta:
        verbose_name = _("Zertifikatsereignis")
        verbose_name_plural = _("Zertifikatsereignisse")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.get_kind_display()}"


class CertificateWait(models.Model):
    """A certifiable completion that cannot be issued yet, and why (e.g. the full name is missing).

    The issuing task writes it instead of issuing something wrong; the learner is asked once,
    and the reconcile task (or the learner fixing their name) resumes issuing.
    """

    class Reason(models.TextChoices):
        NAME_MISSING = "name_missing", _("Der vollständige Name fehlt.")
        RENDER_FAILED = "render_failed", _("Das PDF konnte nicht erstellt werden.")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificate_waits")
    course_completion = models.OneToOneField(
        "progress.CourseCompletion", on_delete=models.CASCADE, null=True, blank=True, related_name="certificate_wait"
    )
    path_completion = models.OneToOneField(
        "progress.PathCompletion", on_delete=models.CASCADE, null=True, blank=True, related_name="certificate_wait"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("Einzelheiten"), blank=True)
    created_at = models.DateTimeField(_("Seit"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("Versuche"), default=1)
    asked_at = models.DateTimeField(_("Person gefragt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wartende Ausstellung")
        verbose_name_plural = _("Wartende Ausstellungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(course_completion__isnull=False) ^ Q(path_completion__isnull=False),
                name="certificates_wait_one_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_reason_display()}"


class CertificateExport(models.Model):
    """A ZIP of the PDFs of a filtered list, built by a Celery job for an admin."""

    class State(models.TextChoices):
        PENDING = "pending", _("In Arbeit")
        DONE = "done", _("Fertig")
        FAILED = "failed", _("Fehlgeschlagen")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filters = models.JSONField(_("Filter"), default=dict)
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("Datei"), upload_to="certificate-exports/", blank=True, max_length=200)
    count = models.PositiveIntegerField(_("Anzahl"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angefordert am"), default=timezone.now)
    finished_at = models.DateTimeField(_("Fertig am"), null=True, blank=True)

    class Meta:
        verbose_name = _("ZIP-Export von Zertifikaten")
        verbose_name_plural = _("ZIP-Exporte von Zertifikaten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ZIP {self.pk} ({self.get_state_display()})"
