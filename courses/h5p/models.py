"""H5P libraries, reusable content items, H5P activity pages and xAPI results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from courses.catalog.completion import Completes, CompletionCondition
from courses.catalog.models import ActivityPage


class H5PLibrary(models.Model):
    """One installed library (machine name, major.minor), shared by all content.

    Only the newest patch of a major.minor is kept: H5P promises that patches are
    compatible, and h5p-standalone looks libraries up as ``<name>-<major>.<minor>``.
    """

    machine_name = models.CharField(_("Maschinenname"), max_length=255)
    major_version = models.PositiveIntegerField(_("Hauptversion"))
    minor_version = models.PositiveIntegerField(_("Nebenversion"))
    patch_version = models.PositiveIntegerField(_("Patch-Version"))
    title = models.CharField(_("Titel"), max_length=255)
    runnable = models.BooleanField(_("Eigenständig abspielbar"), default=False)
    metadata = models.JSONField(_("library.json"), default=dict)
    created_at = models.DateTimeField(_("Installiert am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Aktualisiert am"), auto_now=True)

    class Meta:
        verbose_name = _("H5P-Bibliothek")
        verbose_name_plural = _("H5P-Bibliotheken")
        ordering = ["machine_name", "major_version", "minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="h5p_library_unique_major_minor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


# Main libraries of the H5P Hub that report no score: their content completes an activity on viewing.
# Everything else must report a score (xAPI result.score) to be passed. Kept as a list because an
# .h5p package does not say whether its content type scores (docs/h5p.md, "Abschluss").
NON_SCORING_LIBRARIES = frozenset(
    {
        "H5P.Accordion",
        "H5P.AdvancedText",
        "H5P.Agamotto",
        "H5P.Audio",
        "H5P.Chart",
        "H5P.Collage",
        "H5P.Dialogcards",
        "H5P.GuessTheAnswer",
        "H5P.IFrameEmbed",
        "H5P.Image",
        "H5P.ImageHotspots",
        "H5P.ImageJuxtaposition",
        "H5P.ImageSlider",
        "H5P.InfoWall",
        "H5P.Link",
        "H5P.Table",
        "H5P.Timeline",
        "H5P.Video",
    }
)


class H5PContent(models.Model):
    """A reusable H5P item uploaded as a .h5p file; pages and lesson blocks play it."""

    title = models.CharField(_("Titel"), max_length=255)
    main_library = models.ForeignKey(
        H5PLibrary, verbose_name=_("Inhaltstyp"), on_delete=models.PROTECT, related_name="main_of"
    )
    libraries = models.ManyToManyField(H5PLibrary, verbose_name=_("Bibliotheken"), related_name="contents")
    language = models.CharField(_("Sprache"), max_length=10, blank=True)
    license = models.CharField(_("Lizenz"), max_length=64, blank=True)
    license_version = models.CharField(_("Lizenzversion"), max_length=16, blank=True)
    authors = models.JSONField(_("Urheber*innen"), default=list, blank=True)
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    source_filename = models.CharField(_("Hochgeladene Datei"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("Dateigröße (Bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)

    panels = [FieldPanel("title")]

    class Meta:
        verbose_name = _("H5P-Inhalt")
        verbose_name_plural = _("H5P-Inhalte")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def authors_display(self) -> str:
        return ", ".join(a.get("name", "") for a in self.authors if a.get("name"))

    @property
    def license_display(self) -> str:
        return " ".join(part for part in (self.license, self.license_version) if part)

    @property
    def reports_scores(self) -> bool:
        """Whether the content type sends scores; if not, its activity completes on viewing."""
        return self.main_library.machine_name not in NON_SCORING_LIBRARIES


class ScorePolicy(models.TextChoices):
    BEST = "best", _("Bestes Ergebnis zählt")
    LATEST = "latest", _("Letztes Ergebnis zählt")


class H5PActivityPage(ActivityPage):
    """An H5P item as a course activity, completed by reaching the passing threshold."""

    intro = RichTextField(_("Einleitung"), blank=True)
    content = models.ForeignKey(
        H5PContent,
        verbose_name=_("H5P-Inhalt"),
        on_delete=models.PROTECT,
        related_name="activity_pages",
        help_text=_(
            "Inhalte ohne Punkte (z. B. Akkordeon, Bildergalerie, Zeitleiste, Collage) gelten mit dem Aufrufen als "
            "erledigt; die Bestehensgrenze gilt nur für Inhalte, die Punkte melden."
        ),
    )
    passing_threshold = models.PositiveSmallIntegerField(
        _("Bestehensgrenze (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Anteil der Höchstpunktzahl (0 bis 100 %), ab dem die Aktivität bestanden ist."),
    )
    score_policy = models.CharField(
        _("Gewertetes Ergebnis"), max_length=10, choices=ScorePolicy.choices, default=ScorePolicy.BEST
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("content"),
        FieldPanel("passing_threshold"),
        FieldPanel("score_policy"),
        FieldPanel("is_required"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "h5p/h5p_activity_page.html"

    class Meta:
        verbose_name = _("H5P-Aktivität")
        verbose_name_plural = _("H5P-Aktivitäten")

    def completion_condition(self) -> CompletionCondition:
        if self.content_id and not self.content.reports_scores:
            return CompletionCondition(completes=Completes.ON_VIEW)
        return CompletionCondition(completes=Completes.ON_PASS, pass_percent=Decimal(self.passing_threshold))

    def get_context(self, request, *args, **kwargs):
        from .selectors import h5p_player_config

        context = super().get_context(request, *args, **kwargs)
        get_token(request)  # the relay script posts with the CSRF cookie
        context["h5p_player"] = h5p_player_config(page=self, content=self.content, user=request.user)
        context["h5p_player_id"] = f"h5p-player-{self.pk}-{self.content_id}"
        context["h5p_result"] = (
            H5PResult.objects.filter(user=request.user, page=self, content=self.content).first()
            if request.user.is_authenticated
            else None
        )
        return context


class H5PUserState(models.Model):
    """Saved player state (H5P ``getCurrentState``) of one person for one item on one page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_states")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="user_states")
    state = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P-Spielstand")
        verbose_name_plural = _("H5P-Spielstände")
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "content"], name="h5p_state_unique_user_page_content")
        ]

    def __str__(self) -> str:
        return f"{self.content} / {self.user}"


class H5PStatement(models.Model):
    """An xAPI statement as the browser sent it, kept raw; browser-made, so never trusted alone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_statements")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="statements")
    verb = models.CharField(max_length=255)
    object_id = models.CharField(max_length=1000)
    is_sub_statement = models.BooleanField(default=False)
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)
    raw = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI-Meldung")
        verbose_name_plural = _("xAPI-Meldungen")
        indexes = [models.Index(fields=["page", "content", "user"])]
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.verb.rsplit('/', 1)[-1]} {self.object_id}"


class H5PResult(models.Model):
    """The score that counts for one person on one H5P item on one page (best or latest)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_results")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(_("Punkte"), max_digits=12, decimal_places=4)
    max_score = models.DecimalField(_("Höchstpunktzahl"), max_digits=12, decimal_places=4)
    passed = models.BooleanField(_("Bestanden"), default=False)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    first_at = models.DateTimeField(_("Erster Versuch"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Letzter Versuch"), auto_now=True)

    class Meta:
        verbose_name = _("H5P-Ergebnis")
        verbose_name_plural = _("H5P-Ergebnisse")
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "content"], name="h5p_result_unique_user_page_content")
        ]

    def __str__(self) -> str:
        return f"{self.content} / {self.user}: {self.score}/{self.max_score}"

    @property
    def percent(self) -> int:
        if not self.max_score:
            return 0
        return int(round(self.score / self.max_score * 100))


class H5PLibraryUpgrade(models.Model):
    """A newer patch of an installed library that came with an upload, waiting for a platform admin.

    An installed library runs in every item that uses it, in every course: replacing it is a
    platform-wide change, so a trainer's upload never does it (issue 10, finding 3). The files
    wait in ``MEDIA_ROOT/h5p/.pending/<folder>/`` (never served) until a platform admin has seen
    the diff and which content uses the library, and installs or rejects it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet auf Freigabe")
        INSTALLED = "installed", _("Installiert")
        REJECTED = "rejected", _("Abgelehnt")
        SUPERSEDED = "superseded", _("Überholt")

    library = models.ForeignKey(
        H5PLibrary, verbose_name=_("Bibliothek"), on_delete=models.CASCADE, related_name="upgrades"
    )
    patch_version = models.PositiveIntegerField(_("Neue Patch-Version"))
    title = models.CharField(_("Titel"), max_length=255)
    runnable = models.BooleanField(_("Eigenständig abspielbar"), default=False)
    metadata = models.JSONField(_("library.json"), default=dict)
    folder = models.CharField(_("Ablageordner"), max_length=64, unique=True)
    files_digest = models.CharField(_("Prüfsumme der Dateien"), max_length=64)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    source_content = models.ForeignKey(
        H5PContent,
        verbose_name=_("Mitgebracht von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_upgrades",
    )
    source_filename = models.CharField(_("Hochgeladene Datei"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bibliotheks-Aktualisierung")
        verbose_name_plural = _("Bibliotheks-Aktualisierungen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "library"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="h5p_upgrade_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        lib = self.library
        return f"{lib.machine_name} {lib.major_version}.{lib.minor_version}.{self.patch_version}"

    @property
    def version(self) -> str:
        return f"{self.library.major_version}.{self.library.minor_version}.{self.patch_version}"
