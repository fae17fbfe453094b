"""Which question versions learners of a quiz get, and how a new version is released.

A quiz draws the versions its course's release approved (``QuizQuestionRelease``), not simply
the newest: editing a bank question is a change to every quiz that draws it, and those changes
go through the "Kursfreigabe" workflow like a lesson edit does. Publishing a quiz page (the
reviewer approving the workflow, or anyone who may publish) releases the current versions of
everything the quiz draws; publishing a course page does so for all its quizzes. Until then
trainers see the newer version as "wartet auf Kursfreigabe".

A quiz that was never released (made by code with ``add_child``, before this rule) is released
by its first attempt, so there is always a baseline. Questions that join a pool later, or that
got a version after the release, are drawn as released (or not at all) until the next release.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.questions.models import Question, QuestionCategory, QuestionEvent, QuestionVersion
from lernplattform.accounts.models import User

from .quiz_models import QuizPage, QuizQuestionRelease, QuizQuestionRule

STEP = Page.steplen


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def rules_drawing_category(*, category: QuestionCategory) -> QuerySet[QuizQuestionRule]:
    """Quiz lines that draw questions of ``category``: as a pool (directly or through a parent) or fixed."""
    return QuizQuestionRule.objects.filter(
        Q(category=category)
        | Q(include_subcategories=True, category__path__in=_ancestor_paths(category.path))
        | Q(question__category=category)
    )


def rules_drawing_question(*, question: Question) -> QuerySet[QuizQuestionRule]:
    category = question.category
    return QuizQuestionRule.objects.filter(
        Q(question=question)
        | Q(category=category)
        | Q(include_subcategories=True, category__path__in=_ancestor_paths(category.path))
    )


def _courses_of(quizzes: list[QuizPage]) -> dict[int, int | None]:
    from courses.catalog.models import CoursePage

    parents = {q.path[:-STEP] for q in quizzes}
    by_path = dict(CoursePage.objects.filter(path__in=parents).values_list("path", "pk"))
    return {q.pk: by_path.get(q.path[:-STEP]) for q in quizzes}


def quizzes_using_question(*, question: Question) -> list[tuple[QuizPage, int | None]]:
    """Every quiz that may draw ``question``, with the id of its course."""
    quiz_ids = rules_drawing_question(question=question).values("page_id")
    quizzes = list(QuizPage.objects.filter(pk__in=quiz_ids).order_by("pk"))
    courses = _courses_of(quizzes)
    return [(quiz, courses[quiz.pk]) for quiz in quizzes]


def quiz_pool_question_ids(*, quiz: QuizPage) -> set[int]:
    """Every question the quiz's (published) lines may draw now: fixed ones and pool members."""
    rules = list(quiz.question_rules.select_related("category"))
    pool = Question.objects.filter(is_archived=False, current_version__isnull=False, category__is_practice=False)
    ids: set[int] = set()
    pools = Q(pk__in=[])
    for rule in rules:
        if rule.question_id:
            ids.add(rule.question_id)
        elif rule.include_subcategories:
            pools |= Q(category__path__startswith=rule.category.path)
        else:
            pools |= Q(category_id=rule.category_id)
    ids.update(pool.filter(pools).values_list("pk", flat=True))
    return ids


@transaction.atomic
def quiz_release(
    *, quiz: QuizPage, user: User | None = None, source: str = QuestionEvent.Source.RELEASE
) -> list[QuizQuestionRelease]:
    """Release the current versions of everything the quiz draws (the course's release approved it)."""
    ids = quiz_pool_question_ids(quiz=quiz)
    current = dict(Question.objects.filter(pk__in=ids).values_list("pk", "current_version_id"))
    existing = {r.question_id: r for r in QuizQuestionRelease.objects.select_for_update().filter(quiz=quiz)}
    now = timezone.now()
    actor = user if user is not None and user.is_authenticated else None
    changed: list[QuizQuestionRelease] = []
    for question_id, version_id in current.items():
        release = existing.get(question_id)
        if release is not None and release.version_id == version_id:
            continue
        if release is None:
            release = QuizQuestionRelease(quiz=quiz, question_id=question_id)
        release.version_id, release.released_at, release.released_by = version_id, now, actor
        changed.append(release)
    for release in changed:
        try:
            with transaction.atomic():
                release.save()
        except IntegrityError:
            # A concurrent release of the same quiz wrote the row first; it released the same thing.
            continue
    QuestionEvent.objects.bulk_create(
        QuestionEvent(
            kind=QuestionEvent.Kind.RELEASED,
            source=source,
            question_id=r.question_id,
            version_id=r.version_id,
            user=actor,
            details={"quiz_id": quiz.pk, "quiz": quiz.title},
            created_at=now,
        )
        for r in changed
    )
    return changed


def course_release(*, course: Page, user: User | None = None) -> int:
    """Publishing a course releases the question versions of all its quizzes."""
    count = 0
    for quiz in QuizPage.objects.child_of(course):
        count += len(quiz_release(quiz=quiz, user=user))
    return count


def quiz_released_versions(*, quiz: QuizPage) -> dict[int, QuestionVersion]:
    """question id -> the version learners get; releases a never-released quiz first (see module doc)."""
    releases = list(QuizQuestionRelease.objects.filter(quiz=quiz).select_related("version"))
    if not releases:
        quiz_release(quiz=quiz, source=QuestionEvent.Source.SYSTEM)
        releases = list(QuizQuestionRelease.objects.filter(quiz=quiz).select_related("version"))
    return {r.question_id: r.version for r in releases}


@dataclass(frozen=True)
class PendingRelease:
    quiz_id: int
    quiz_title: str
    released_number: int | None
    current_number: int


def question_pending_releases(*, question: Question) -> list[PendingRelease]:
    """Quizzes that still give learners an older version of ``question`` (or none yet)."""
    if question.current_version_id is None:
        return []
    quizzes = [quiz for quiz, _course in quizzes_using_question(question=question)]
    released = {
        r.quiz_id: r.version.number
        for r in QuizQuestionRelease.objects.filter(question=question, quiz__in=quizzes).select_related("version")
    }
    released_quizzes = set(
        QuizQuestionRelease.objects.filter(quiz__in=quizzes).values_list("quiz_id", flat=True).distinct()
    )
    current = question.current_version.number
    return [
        PendingRelease(quiz.pk, quiz.title, released.get(quiz.pk), current)
        for quiz in quizzes
        if quiz.pk in released_quizzes and released.get(quiz.pk) != current
    ]


# --- guards the bank calls before a change (registered in apps.ready) -------------------------


def question_refuse_if_used_elsewhere(*, user: User | None, question: Question) -> None:
    """Refuse to change a question that a quiz of a course ``user`` may not edit draws."""
    from courses.questions.permissions import course_ids_editable
    from lernplattform.core.errors import Conflict

    if user is None:
        return  # command line and seed: the operator acts for the platform
    editable = set(course_ids_editable(user=user).values_list("pk", flat=True))
    foreign = [quiz for quiz, course_id in quizzes_using_question(question=question) if course_id not in editable]
    if foreign:
        names = ", ".join(f"„{quiz.title}“" for quiz in foreign[:3])
        raise Conflict(
            "assessment.question_used_elsewhere",
            _(
                "Diese Frage wird im Test %(quizzes)s eines Kurses verwendet, den Sie nicht bearbeiten dürfen. "
                "Sie kann deshalb nicht geändert, verschoben oder archiviert werden. Legen Sie eine Kopie an "
                "und bearbeiten Sie die Kopie."
            )
            % {"quizzes": names},
            extra={"quizzes": [quiz.pk for quiz in foreign]},
        )


def category_refuse_practice_if_drawn(*, category: QuestionCategory) -> None:
    """A category a quiz draws from (as pool, through a parent, or a fixed question) cannot be for practice."""
    from lernplattform.core.errors import ValidationFailed

    rule = rules_drawing_category(category=category).select_related("page").first()
    if rule is not None:
        raise ValidationFailed(
            "assessment.practice_category_in_quiz",
            _(
                "Die Kategorie „%(category)s“ kann nicht für Übungen freigegeben werden: der Test „%(quiz)s“ "
                "zieht Fragen daraus. Übungsfragen zeigen die Lösung, Testfragen dürfen das nicht."
            )
            % {"category": category.full_name, "quiz": rule.page.title},
        )
