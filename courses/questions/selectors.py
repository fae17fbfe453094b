"""Reads on the question bank."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from courses.questions import types
from courses.questions.models import Question, QuestionCategory, QuestionVersion
from lernplattform.accounts.models import Membership, User

from .permissions import user_may_use_bank

BANK_ROLES = (Membership.Role.TRAINER, Membership.Role.PLATFORM_ADMIN)


def user_may_manage_bank(*, user: User) -> bool:
    """Trainers and platform admins work with the question bank (what each may touch: permissions.py)."""
    return user_may_use_bank(user=user)


def category_tree() -> list[QuestionCategory]:
    """All categories in tree order (``depth`` tells the nesting), with question counts."""
    return list(
        QuestionCategory.get_tree().annotate(question_count=Count("questions", filter=Q(questions__is_archived=False)))
    )


def category_children(*, parent: QuestionCategory | None) -> QuerySet[QuestionCategory]:
    """Direct children (or the roots) by path and depth.

    treebeard's get_children() trusts the node's cached child count, which is
    stale on any object held while children were added; this never is.
    """
    if parent is None:
        return QuestionCategory.objects.filter(depth=1).order_by("path")
    return QuestionCategory.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("path")


def category_by_path(*, names: list[str]) -> QuestionCategory | None:
    """The category at a path of names from the top, or None."""
    node: QuestionCategory | None = None
    for name in names:
        node = category_children(parent=node).filter(name=name).first()
        if node is None:
            return None
    return node


def category_subtree(*, category: QuestionCategory) -> list[QuestionCategory]:
    """A category and everything below it, in tree order."""
    # By path prefix rather than get_tree(): that trusts the (possibly stale)
    # child count of the object passed in.
    return list(QuestionCategory.objects.filter(path__startswith=category.path).order_by("path"))


def questions_in_categories(
    *, categories: Iterable[QuestionCategory], include_archived: bool = False
) -> QuerySet[Question]:
    qs = (
        Question.objects.filter(category__in=list(categories), current_version__isnull=False)
        .select_related("current_version", "category")
        .prefetch_related("tags")
        .order_by("category__path", "pk")
    )
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def question_search(
    *,
    category: QuestionCategory | None = None,
    include_subcategories: bool = True,
    query: str = "",
    tags: list[str] | None = None,
    qtype: str = "",
    include_archived: bool = False,
) -> QuerySet[Question]:
    """Questions by category (with subcategories), words in name or text, tags and type."""
    qs = Question.objects.filter(current_version__isnull=False).select_related("current_version", "category")
    if not include_archived:
        qs = qs.filter(is_archived=False)
    if category is not None:
        if include_subcategories:
            qs = qs.filter(category__path__startswith=category.path)
        else:
            qs = qs.filter(category=category)
    for word in query.split():
        qs = qs.filter(Q(current_version__name__icontains=word) | Q(current_version__text__icontains=word))
    for tag in tags or []:
        qs = qs.filter(tags__name__iexact=tag)
    if qtype:
        qs = qs.filter(current_version__qtype=qtype)
    return qs.prefetch_related("tags").order_by("category__path", "current_version__name", "pk").distinct()


def question_versions(*, question: Question) -> QuerySet[QuestionVersion]:
    return question.versions.select_related("created_by").order_by("-number")


def versions_by_ids(*, ids: Iterable[int]) -> dict[int, QuestionVersion]:
    """Versions an attempt pinned, in one query."""
    return {v.pk: v for v in QuestionVersion.objects.filter(pk__in=list(ids))}


def subquestion_pool(*, version: QuestionVersion) -> list[types.Subquestion]:
    """The questions a version that draws others (randomsamatch) may draw when an attempt starts.

    As Moodle's qtype_randomsamatch: the live (not archived, not hidden) short-answer questions of
    the question's own category, with ``subcats`` also of its subcategories; their current versions.
    Two queries, however many candidates.
    """
    if not types.for_data(version.data).draws_subquestions:
        return []
    category = QuestionCategory.objects.only("path").get(questions__versions=version)
    candidates = Question.objects.filter(is_archived=False, current_version__qtype="shortanswer")
    if version.data.get("subcats", True):
        candidates = candidates.filter(category__path__startswith=category.path)
    else:
        candidates = candidates.filter(category=category)
    rows = QuestionVersion.objects.filter(pk__in=candidates.values("current_version")).values_list("pk", "data")
    return [types.Subquestion(version=pk, data=data) for pk, data in rows if not data.get("hidden")]
