"""One definition per permission, two uses: the queryset filter and the object check.

A `Rule` wraps a function that says, as a `Q` over one model, which rows a person may act on.
Lists use `rule.queryset(user=...)`; detail pages, services and the admin use
`rule.allows(user=..., obj=...)`, which asks the same filter for one primary key. A list can
therefore never show what a detail refuses, or the other way round (Kolibri's permission
classes, STYLE.md). `as_drf_permission()` hands the object check to DRF views.

Rights come only from memberships (DESIGN.md, Roles): no rule looks at `is_superuser`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from rest_framework.permissions import BasePermission

M = TypeVar("M", bound=Model)

# A filter that matches nothing, without a query (Q(pk__in=[]) is short-circuited by Django).
NOTHING = Q(pk__in=[])


class Rule(Generic[M]):
    """Who may do one thing to the rows of one model."""

    def __init__(self, *, name: str, model: type[M], condition: Callable[[Any], Q]) -> None:
        self.name = name
        self.model = model
        self._condition = condition

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"

    def filter(self, *, user: Any) -> Q:
        """The rows `user` may act on, as a filter (combine it in your own queries)."""
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return NOTHING
        return self._condition(user)

    def queryset(self, *, user: Any, queryset: QuerySet[M] | None = None) -> QuerySet[M]:
        """`queryset` (default: all rows of the model) narrowed to what `user` may act on."""
        base = queryset if queryset is not None else self.model._default_manager.all()
        condition = self.filter(user=user)
        if condition == NOTHING:
            return base.none()
        return base.filter(condition)

    def allows(self, *, user: Any, obj: M) -> bool:
        """Whether `user` may act on `obj`: the same filter, asked for one row."""
        if obj.pk is None:
            return False
        return self.queryset(user=user).filter(pk=obj.pk).exists()

    def as_drf_permission(self) -> type[BasePermission]:
        """A DRF permission class whose object check is this rule."""
        rule = self

        class _RulePermission(BasePermission):
            def has_permission(self, request: Any, view: Any) -> bool:
                return bool(request.user and request.user.is_authenticated)

            def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
                return rule.allows(user=request.user, obj=obj)

        _RulePermission.__name__ = f"Rule_{self.name}"
        return _RulePermission
