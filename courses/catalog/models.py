"""Topics, the catalogue, courses and lessons: what trainers author and learners find."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import search
from .blocks import stream_plain_text
from .completion import CompletionCondition

# Activity page types a course may hold. Those of apps whose models do not exist (yet) are left
# out at run time, so a course accepts quizzes and H5P activities as soon as those apps ship them.
ACTIVITY_PAGE_TYPES = ["lessons.LessonPage", "assessment.QuizPage", "h5p.H5PActivityPage"]

# Words a reader takes in per minute of calm reading of specialist text.
READING_WORDS_PER_MINUTE = 180


class Topic(models.Model):
    """A field of the competence centre, e.g. Datenmanagement (a snippet)."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True, help_text=_("Teil der Adresse im Katalog."))
    description = models.TextField(_("Beschreibung"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CatalogPage(RoutablePageMixin, Page):
    """The course catalogue: search and filters over all published courses."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["catalog.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("Kurskatalog")
        verbose_name_plural = _("Kurskataloge")

    @path("")
    def all_courses(self, request):
        from .views import catalog_view

        return catalog_view(request, catalog=self)

    @path("thema/<slug:topic_slug>/")
    def topic_courses(self, request, topic_slug: str):
        from .views import catalog_view

        return catalog_view(request, catalog=self, topic_slug=topic_slug)


def _model_exists(name: str) -> bool:
    try:
        apps.get_model(name)
    except LookupError:
        return False
    return True


def _item_stream(label: str) -> StreamField:
    return StreamField(
        [("item", blocks.CharBlock(label=label, max_length=300))],
        verbose_name=label,
        blank=True,
    )


@dataclass(frozen=True)
class CompletionRule:
    """What a learner must do to complete a course (read by courses.progress)."""

    min_score_percent: Decimal | None
    """Minimum score in every required graded activity, in percent; None: passing as the activity defines it."""
    min_required_activities: int | None
    """How many required activities must be complete; None: all of them."""


class CoursePage(Page):
    """A course: its metadata for the catalogue; its child pages are its activities."""

    class Level(models.TextChoices):
        BASIC = "grundlagen", _("Grundlagen")
        ADVANCED = "fortgeschritten", _("Fortgeschritten")
        EXPERT = "expertise", _("Expertise")

    summary = models.TextField(_("Kurzbeschreibung"), blank=True, max_length=1000)
    easy_summary = models.TextField(
        _("Kurzbeschreibung in Leichter Sprache"),
        blank=True,
        max_length=2000,
        help_text=_("Optional. Kurze Sätze, ein Gedanke pro Satz, schwierige Wörter erklärt."),
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("Themenfeld"), null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    level = models.CharField(_("Niveau"), max_length=20, choices=Level.choices, default=Level.BASIC, db_index=True)
    estimated_hours = models.DecimalField(
        _("Geschätzter Aufwand (Stunden)"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))],
    )
    outcomes = _item_stream(_("Lernziele"))
    target_groups = _item_stream(_("Zielgruppen"))
    prerequisites = _item_stream(_("Voraussetzungen"))

    # Completion rule settings; courses.progress computes completion from them.
    completion_min_score_percent = models.DecimalField(
        _("Mindestergebnis (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Mindestergebnis in jeder bewerteten Pflichtaktivität. Leer: Bestehensgrenze der Aktivität."),
    )
    completion_min_required_activities = models.PositiveIntegerField(
        _("Mindestzahl erledigter Pflichtaktivitäten"),
        null=True,
        blank=True,
        help_text=_("Leer: Alle Pflichtaktivitäten müssen erledigt sein."),
    )
    # The certificate this course issues (DESIGN.md: the template holds the validity policy). A string
    # reference, so the catalogue does not import the certificates app that sits above it.
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        verbose_name=_("Zertifikatsvorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_(
            "Leer: Der Kurs stellt kein Zertifikat aus. Ein zertifizierender Kurs braucht mindestens einen "
            "serverseitig bewerteten Test unter seinen Pflichtaktivitäten."
        ),
    )
    renewal_course = models.ForeignKey(
        "self",
        verbose_name=_("Auffrischungskurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Für die Rezertifizierung: ein kürzerer Kurs mit derselben Vorlage. Leer: dieser Kurs."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("topic"), FieldPanel("level"), FieldPanel("estimated_hours")],
            heading=_("Einordnung im Katalog"),
        ),
        FieldPanel("outcomes"),
        FieldPanel("target_groups"),
        FieldPanel("prerequisites"),
        FieldPanel("easy_summary"),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_(
                        "Ein Kurs ist abgeschlossen, wenn die Pflichtaktivitäten (Unterseiten) erledigt sind. "
                        "Hier können Sie die Regel verschärfen oder lockern."
                    )
                ),
                FieldPanel("completion_min_score_percent"),
                FieldPanel("completion_min_required_activities"),
            ],
            heading=_("Abschlussregel"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_template"), FieldPanel("renewal_course")],
            heading=_("Zertifikat"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("easy_summary"),
        index.SearchField("outcomes"),
        index.SearchField("target_groups"),
        index.SearchField("search_terms"),
        index.RelatedFields("topic", [index.SearchField("name")]),
        index.FilterField("topic"),
        index.FilterField("level"),
        index.FilterField("estimated_hours"),
    ]

    parent_page_types = ["catalog.CatalogPage"]
    subpage_types = ACTIVITY_PAGE_TYPES

    def search_terms(self) -> str:
        """German stems and name parts of the course's words, so SQLite finds word forms as PostgreSQL does."""
        topic = self.topic.name if self.topic_id else ""
        texts = [self.title, self.summary, self.easy_summary, topic]
        texts += [stream_plain_text(self.outcomes), stream_plain_text(self.target_groups)]
        return search.index_terms(str(text or "") for text in texts)

    @classmethod
    def clean_subpage_models(cls):
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [apps.get_model(name) for name in ACTIVITY_PAGE_TYPES if _model_exists(name)]
        return cls._clean_subpage_models

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")

    @property
    def completion_rule(self) -> CompletionRule:
        return CompletionRule(
            min_score_percent=self.completion_min_score_percent,
            min_required_activities=self.completion_min_required_activities,
        )

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        """Publish `revision`; a scheduled go-live first asks the `before_scheduled_publish_course` hooks.

        Wagtail's `publish_scheduled` publishes a revision whose approved go-live time has come
        without the editor's `before_publish_page` hooks. Rules that must hold when a course goes
        live (the certificates' trust rule) register this hook: called with `page` and `revision`, a
        hook that returns True has refused (and told the editors why), and nothing goes live.
        """
        from django.utils import timezone
        from wagtail import hooks

        go_live = revision.approved_go_live_at
        if go_live is not None and go_live <= timezone.now():
            for hook in hooks.get_hooks("before_scheduled_publish_course"):
                if hook(page=self, revision=revision):
                    return None
        return super().publish(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline, course_parent

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, request=request)
        context["catalogue_page"] = course_parent(course=self, request=request)
        return context


class ActivityPage(Page):
    """Common ground of every activity page: a child page of a course that counts toward completion.

    The activity contract: every concrete activity page says how it completes by answering
    `completion_condition()` from its own fields; courses.progress asks nothing else.
    """

    is_required = models.BooleanField(
        _("Pflichtaktivität"),
        default=True,
        help_text=_("Pflichtaktivitäten müssen für den Kursabschluss erledigt sein."),
    )

    parent_page_types = ["catalog.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    @property
    def course(self) -> CoursePage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    def completion_condition(self) -> CompletionCondition:
        """How this activity completes for a learner (each activity page type defines it)."""
        raise NotImplementedError(f"{type(self).__name__} must define completion_condition()")

    @property
    def reading_minutes(self) -> int | None:
        """Minutes the course outline shows for this activity; None: no estimate."""
        return None


class CourseTrainer(models.Model):
    """A trainer assigned to a course besides its owner; the course's Wagtail group follows from it."""

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="trainer_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_assignments",
        verbose_name=_("Trainer/in"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("course"), FieldPanel("user")]

    class Meta:
        verbose_name = _("Kurszuordnung")
        verbose_name_plural = _("Kurszuordnungen")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="course_trainer_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"
