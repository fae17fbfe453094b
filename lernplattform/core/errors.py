"""One error family for business rules: a stable code for machines, a German message for people.

Services raise these; views show ``error.message``; the DRF exception handler
(:func:`lernplattform.core.api.exception_handler`) answers ``{"code": ..., "detail": ...}``
with the status of the error's class. Never raise a bare ``ValueError`` for a business rule.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A business rule said no. ``code`` is stable (``<app>.<rule>``), ``message`` is for the user."""

    status_code = 400

    def __init__(self, code: str, message: str | Promise, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.message, **self.extra}


class ValidationFailed(ApplicationError):
    """The input is wrong (a field, a file, a value): 400."""

    status_code = 400


class NotPermitted(ApplicationError):
    """The person may not do this (scope, role, ownership): 403."""

    status_code = 403


class NotFound(ApplicationError):
    """The thing does not exist or is not visible to the person: 404."""

    status_code = 404


class Conflict(ApplicationError):
    """The state does not allow it (already submitted, closed, in use): 409."""

    status_code = 409


class RateLimited(ApplicationError):
    """Too many requests from this client or for this account: 429."""

    status_code = 429
