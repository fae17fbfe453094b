"""Quizzes and attempts: a quiz page in a course, and each learner's attempts with their answers.

An attempt pins the question versions it drew (one slot per question); answers are saved per
slot as the learner goes, so a closed browser loses nothing and the attempt resumes anywhere.
Attempts change only through ``attempt_services``; the database guards the rules that must hold
even under races: one open attempt per learner and quiz, unique attempt numbers, one submission.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.catalog.completion import Completes, CompletionCondition
from courses.catalog.models import ActivityPage
from courses.questions.models import QuestionCategory

__all__ = [
    "Attempt",
    "AttemptSlot",
    "GradingMethod",
    "QuizCompletionMode",
    "QuizPage",
    "QuizQuestionRelease",
    "QuizQuestionRule",
    "ReviewWhen",
]


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Bester Versuch")
    LAST = "last", _("Letzter Versuch")
    AVERAGE = "average", _("Durchschnitt aller Versuche")


class ReviewWhen(models.TextChoices):
    IMMEDIATELY = "immediately", _("Direkt nach der Abgabe")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("Wenn kein Versuch mehr offen ist oder bestanden wurde")
    NEVER = "never", _("Nie")


class QuizCompletionMode(models.TextChoices):
    """When a quiz counts as done for the course: passed, or taken at all (a self-check)."""

    PASSED = "passed", _("Bestanden: erledigt mit Erreichen der Bestehensgrenze")
    COMPLETED = "completed", _("Abgeschlossen: erledigt mit einem bewerteten Versuch")


class QuizPageForm(WagtailAdminPageForm):
    """The quiz editor: a trainer chooses only questions and categories she may read, never practice ones.

    The bank's own permission definition (``permissions.py``) decides what the person may read;
    practice categories are left out because their answers are shown in lessons.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        formset = self.formsets.get("question_rules")
        if user is None or formset is None:
            return
        from courses.questions.permissions import BankAction, categories_for, questions_for

        categories = categories_for(user=user, action=BankAction.VIEW).filter(is_practice=False).order_by("path")
        questions = (
            questions_for(user=user, action=BankAction.VIEW)
            .filter(category__is_practice=False, is_archived=False, current_version__isnull=False)
            .select_related("current_version")
            .order_by("category__path", "current_version__name")
        )
        # A per-request form class: the choices of new rows (the formset's empty form) follow too.
        base_fields = {name: copy.deepcopy(field) for name, field in formset.form.base_fields.items()}
        base_fields["category"].queryset = categories
        base_fields["question"].queryset = questions
        # (set after creating the class: the form metaclass rebuilds base_fields from Meta.)
        form_class = type(formset.form.__name__, (formset.form,), {})
        form_class.base_fields = base_fields
        formset.form = form_class
        for form in formset.forms:
            form.fields["category"].queryset = categories
            form.fields["question"].queryset = questions


class QuizPage(RoutablePageMixin, ActivityPage):
    """A graded quiz in a course: questions from the bank, time limit, attempts and review rules."""

    intro = RichTextField(_("Einleitung"), blank=True)
    shuffle_questions = models.BooleanField(_("Fragen mischen"), default=False)
    shuffle_answers = models.BooleanField(
        _("Antworten mischen"), default=True, help_text=_("Gilt für Fragen, bei denen das Mischen erlaubt ist.")
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("Zeitlimit (Minuten)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leer: ohne Zeitlimit. Der Server schließt Versuche bei Ablauf der Zeit."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("Erlaubte Versuche"), default=0, help_text=_("0: unbegrenzt viele Versuche.")
    )
    passing_grade = models.DecimalField(
        _("Bestehensgrenze (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grading_method = models.CharField(
        _("Bewertungsmethode"), max_length=20, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    show_feedback = models.CharField(
        _("Feedback anzeigen"), max_length=20, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY
    )
    show_correct_answers = models.CharField(
        _("Richtige Antworten anzeigen"),
        max_length=20,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_LAST_ATTEMPT,
    )
    completion_mode = models.CharField(
        _("Abschluss des Tests"),
        max_length=20,
        choices=QuizCompletionMode.choices,
        default=QuizCompletionMode.PASSED,
        help_text=_("Wann der Test für den Kursfortschritt als erledigt zählt."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("question_rules", label=_("Fragen"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("time_limit_minutes"),
                FieldPanel("attempts_allowed"),
                FieldPanel("passing_grade"),
                FieldPanel("grading_method"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_answers"),
                FieldPanel("show_feedback"),
                FieldPanel("show_correct_answers"),
                FieldPanel("is_required"),
                FieldPanel("completion_mode"),
            ],
            heading=_("Einstellungen"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    base_form_class = QuizPageForm
    parent_page_types = ["catalog.CoursePage"]
    subpage_types: list[str] = []
    template = "assessment/quiz/quiz_page.html"

    class Meta:
        verbose_name = _("Test")
        verbose_name_plural = _("Tests")

    def completion_condition(self) -> CompletionCondition:
        if self.completion_mode == QuizCompletionMode.COMPLETED:
            return CompletionCondition(completes=Completes.ON_RESULT, pass_percent=self.passing_grade)
        return CompletionCondition(completes=Completes.ON_PASS, pass_percent=self.passing_grade)

    # Routes: thin, the work is in quiz_views (which calls the services).
    @path("")
    def overview(self, request):
        from . import quiz_views

        return quiz_views.quiz_overview(request, self)

    @path("starten/")
    def start(self, request):
        from . import quiz_views

        return quiz_views.quiz_start(request, self)

    @path("versuch/<int:attempt_id>/")
    def attempt(self, request, attempt_id: int):
        from . import quiz_views

        return quiz_views.attempt_take(request, self, attempt_id)

    @path("versuch/<int:attempt_id>/speichern/")
    def attempt_autosave(self, request, attempt_id: int):
        from . import quiz_views

        return quiz_views.attempt_autosave(request, self, attempt_id)

    @path("versuch/<int:attempt_id>/zusammenfassung/")
    def attempt_summary(self, request, attempt_id: int):
        from . import quiz_views

        return quiz_views.attempt_summary(request, self, attempt_id)

    @path("versuch/<int:attempt_id>/auswertung/")
    def attempt_review(self, request, attempt_id: int):
        from . import quiz_views

        return quiz_views.attempt_review(request, self, attempt_id)


class QuizQuestionRule(Orderable):
    """One line of a quiz: a fixed bank question, or a number of random questions from a category."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="question_rules")
    question = models.ForeignKey(
        "questions.Question",
        verbose_name=_("Feste Frage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        "questions.QuestionCategory",
        verbose_name=_("Zufällig aus Kategorie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    include_subcategories = models.BooleanField(_("Unterkategorien einbeziehen"), default=True)
    count = models.PositiveSmallIntegerField(
        _("Anzahl Zufallsfragen"), default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    mark = models.DecimalField(
        _("Punkte je Frage"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leer: die Standardpunktzahl der Frage."),
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("category"),
        FieldPanel("include_subcategories"),
        FieldPanel("count"),
        FieldPanel("mark"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Frage oder Zufallsauswahl")
        verbose_name_plural = _("Fragen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(category__isnull=True))
                | (Q(question__isnull=True) & Q(category__isnull=False)),
                name="assessment_quizrule_question_xor_category",
            )
        ]

    def clean(self) -> None:
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(_("Wählen Sie entweder eine feste Frage oder eine Kategorie für Zufallsfragen."))
        # Practice questions show their answers in lessons: a quiz must never draw them.
        if self.question_id and self.question.category.is_practice:
            raise ValidationError(
                {
                    "question": _(
                        "Diese Frage liegt in der Übungskategorie „%(category)s“; ihre Lösung steht in Lektionen. "
                        "Tests dürfen keine Übungsfragen verwenden."
                    )
                    % {"category": self.question.category.full_name}
                }
            )
        if self.category_id:
            scope = (
                QuestionCategory.objects.filter(path__startswith=self.category.path)
                if self.include_subcategories
                else QuestionCategory.objects.filter(pk=self.category_id)
            )
            practice = scope.filter(is_practice=True).order_by("path").first()
            if practice is not None:
                raise ValidationError(
                    {
                        "category": _(
                            "Die Kategorie „%(category)s“ ist für Übungen freigegeben; ihre Lösungen stehen in "
                            "Lektionen. Tests dürfen daraus keine Fragen ziehen."
                        )
                        % {"category": practice.full_name}
                    }
                )


class QuizQuestionRelease(models.Model):
    """The version of a bank question that learners of a quiz get: what the course's release approved.

    A question edited in the bank is a new version at once for trainers, but a quiz keeps drawing
    the released one until the quiz (or its course) is published again – through the
    "Kursfreigabe" workflow, as a lesson edit is (``release_services``). A question without a
    release row for a released quiz (it joined a pool later) is not drawn until then either.
    """

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="question_releases")
    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="quiz_releases")
    version = models.ForeignKey(
        "questions.QuestionVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Freigegebene Version"),
    )
    released_at = models.DateTimeField(_("Freigegeben am"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Freigegebene Frage")
        verbose_name_plural = _("Freigegebene Fragen")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="assessment_release_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} – {self.version}"


class Attempt(models.Model):
    """A learner's attempt at a quiz; its slots hold the questions drawn and the answers given."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In Bearbeitung")
        NEEDS_GRADING = "needs_grading", _("Abgegeben, Bewertung ausstehend")
        FINISHED = "finished", _("Abgeschlossen")

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("Test"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("Person")
    )
    number = models.PositiveSmallIntegerField(_("Versuch Nr."))
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("Begonnen"), default=timezone.now)
    deadline = models.DateTimeField(_("Zeitende"), null=True, blank=True)
    submitted_at = models.DateTimeField(
        _("Abgegeben"), null=True, blank=True, help_text=_("Bei Zeitablauf der Zeitpunkt des Zeitendes.")
    )
    closed_by_deadline = models.BooleanField(_("Durch Zeitablauf geschlossen"), default=False)
    max_score = models.DecimalField(_("Höchstpunktzahl"), max_digits=9, decimal_places=4, default=Decimal(0))
    score = models.DecimalField(_("Punkte"), max_digits=9, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(_("Bestanden"), null=True, blank=True)
    # The attempt is its own outbox: a finished attempt whose result progress has not been told yet has
    # no reported_at. The report task sets it; the reconcile beat task reports what a broker outage or a
    # killed worker left (docs/security.md, finding 6).
    reported_at = models.DateTimeField(_("An den Lernfortschritt gemeldet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Testversuch")
        verbose_name_plural = _("Testversuche")
        ordering = ["quiz_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="assessment_attempt_unique_number"),
            # Two tabs or devices starting at once still get the one open attempt.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="assessment_attempt_one_open_per_learner",
            ),
            models.CheckConstraint(
                condition=Q(state="in_progress") | Q(submitted_at__isnull=False),
                name="assessment_attempt_submitted_has_time",
            ),
        ]
        indexes = [
            # The deadline sweep reads only open attempts with a deadline.
            models.Index(fields=["deadline"], name="assessment_attempt_open_dl", condition=Q(state="in_progress")),
            # The reconcile sweep reads only finished attempts not yet reported.
            models.Index(
                fields=["submitted_at"],
                name="assessment_attempt_unreported",
                condition=Q(state="finished", reported_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} – {self.user} – {self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS

    @property
    def percent(self) -> Decimal | None:
        if self.score is None or not self.max_score:
            return None
        return (self.score / self.max_score * 100).quantize(Decimal("0.1"))


class AttemptSlot(models.Model):
    """One question of an attempt: the version drawn, how it is shown, the answer and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField(_("Position"))
    question_version = models.ForeignKey(
        "questions.QuestionVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("Fragenversion")
    )
    max_mark = models.DecimalField(_("Höchstpunktzahl"), max_digits=9, decimal_places=4)
    # Order of choices / items / options drawn at start; display keys index into it.
    layout = models.JSONField(default=dict, blank=True)
    response = models.JSONField(_("Antwort"), null=True, blank=True)
    answered_at = models.DateTimeField(_("Zuletzt gespeichert"), null=True, blank=True)
    # The learner's "for later" mark while taking the attempt (shown on the summary page).
    flagged = models.BooleanField(_("Für später markiert"), default=False)
    fraction = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)
    mark = models.DecimalField(_("Punkte"), max_digits=9, decimal_places=4, null=True, blank=True)
    needs_grading = models.BooleanField(_("Manuelle Bewertung ausstehend"), default=False)
    comment = models.TextField(_("Kommentar der Trainerin / des Trainers"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Frage im Versuch")
        verbose_name_plural = _("Fragen im Versuch")
        ordering = ["attempt_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "number"], name="assessment_slot_unique_number"),
        ]
        indexes = [
            models.Index(fields=["attempt"], name="assessment_slot_to_grade", condition=Q(needs_grading=True)),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} – {self.number}"
