"""Public pages of the portal: the home page, the legal pages and barrier reports.

Every German public website needs an Impressum (§ 5 DDG), a Datenschutzerklärung
(Art. 13 DSGVO), an Erklärung zur Barrierefreiheit with a way to report barriers
(BITV 2.0 § 12, § 12b BGG) and explanations in Leichte Sprache and Gebärdensprache
(BITV 2.0 § 4). Each is its own page type, at most once, below the home page, so the
footer can always find it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The start page: what the platform is and for whom."""

    lead = models.CharField(_("Einleitung"), max_length=400, blank=True)
    body = RichTextField(_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")


class PortalPage(Page):
    """Shared base of the legal pages: a body and the date it was last checked."""

    body = RichTextField(_("Inhalt"), blank=True)
    last_reviewed = models.DateField(_("Stand"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_reviewed")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        abstract = True


class ImprintPage(PortalPage):
    """Impressum: who runs the platform (§ 5 DDG, § 18 MStV)."""

    template = "portal/legal_page.html"

    class Meta:
        verbose_name = _("Impressum")


class PrivacyPage(PortalPage):
    """Datenschutzerklärung: what the platform stores, why, and the rights people have (Art. 13 DSGVO)."""

    template = "portal/legal_page.html"

    class Meta:
        verbose_name = _("Datenschutzerklärung")


class AccessibilityStatementPage(PortalPage):
    """Erklärung zur Barrierefreiheit (BITV 2.0 § 12) with the form to report a barrier."""

    class Conformance(models.TextChoices):
        FULL = "full", _("vollständig vereinbar")
        PARTIAL = "partial", _("teilweise vereinbar")
        NONE = "none", _("nicht vereinbar")

    conformance = models.CharField(
        _("Stand der Vereinbarkeit"), max_length=16, choices=Conformance.choices, default=Conformance.PARTIAL
    )
    non_accessible = RichTextField(
        _("Nicht barrierefreie Inhalte"), blank=True, help_text=_("Welche Inhalte nicht barrierefrei sind und warum.")
    )
    preparation = RichTextField(
        _("Erstellung dieser Erklärung"), blank=True, help_text=_("Wann und wie (z. B. Selbstbewertung) geprüft wurde.")
    )
    feedback = RichTextField(_("Feedback und Kontakt"), blank=True)
    enforcement = RichTextField(
        _("Schlichtungsverfahren"), blank=True, help_text=_("Hinweis auf die Schlichtungsstelle nach § 16 BGG.")
    )

    content_panels = [
        *PortalPage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("conformance"),
                FieldPanel("non_accessible"),
                FieldPanel("preparation"),
                FieldPanel("feedback"),
                FieldPanel("enforcement"),
            ],
            heading=_("Pflichtangaben nach BITV 2.0 § 12"),
        ),
    ]
    template = "portal/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")

    def get_context(self, request, *args, **kwargs):
        from .forms import BarrierReportForm

        context = super().get_context(request, *args, **kwargs)
        context["barrier_form"] = BarrierReportForm(initial={"page_url": request.GET.get("seite", "")})
        return context


class EasyLanguagePage(PortalPage):
    """Informationen in Leichter Sprache (BITV 2.0 § 4): what the site offers, in short sentences."""

    template = "portal/legal_page.html"

    class Meta:
        verbose_name = _("Leichte Sprache")


class SignLanguagePage(PortalPage):
    """Informationen in Deutscher Gebärdensprache (BITV 2.0 § 4): a video with a transcript."""

    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Gebärdensprach-Video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Video-Datei (MP4 oder WebM) in Deutscher Gebärdensprache."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Untertitel (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*PortalPage.content_panels, FieldPanel("video"), FieldPanel("captions")]
    template = "portal/sign_language_page.html"

    class Meta:
        verbose_name = _("Gebärdensprache")


# The order in which the footer lists the pages.
FOOTER_PAGE_TYPES = [ImprintPage, PrivacyPage, AccessibilityStatementPage, EasyLanguagePage, SignLanguagePage]


class BarrierReport(models.Model):
    """A barrier someone reported through the accessibility statement (§ 12b BGG feedback)."""

    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung der Barriere"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse für Rückfragen"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Angemeldet als")
    )
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Barriere-Meldung")
        verbose_name_plural = _("Barriere-Meldungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} – {self.page_url or _('ohne Seitenangabe')}"
