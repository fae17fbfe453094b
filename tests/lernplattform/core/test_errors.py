"""The error family and its API rendering."""

import pytest
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from lernplattform.core.errors import ApplicationError, Conflict, NotPermitted


class _Raising(APIView):
    permission_classes: list = []
    error: Exception = ApplicationError("demo.rule", "Das geht nicht.")

    def get(self, request):
        raise self.error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ApplicationError("demo.rule", "Das geht nicht."), 400),
        (NotPermitted("demo.scope", "Diese Person liegt außerhalb Ihres Bereichs."), 403),
        (Conflict("demo.state", "Der Versuch ist bereits abgegeben."), 409),
    ],
)
def test_application_errors_become_code_and_detail_with_their_status(error, status):
    view = _Raising.as_view(error=error)
    response = view(APIRequestFactory().get("/"))
    assert response.status_code == status
    assert response.data == {"code": error.code, "detail": error.message}


def test_drf_errors_get_a_code_too():
    from rest_framework.exceptions import NotAuthenticated

    view = _Raising.as_view(error=NotAuthenticated())
    response = view(APIRequestFactory().get("/"))
    assert response.status_code == 403
    assert response.data["code"] == "api.not_authenticated"


# Exceptions outside the family, each with why: they never reach a person as a business rule.
OUTSIDE_THE_FAMILY = {
    # Reading Destatis' GV100AD file in a management command; the command prints the line.
    "lernplattform/accounts/gv100ad.py:GV100ADError",
}


def test_every_error_class_of_the_apps_belongs_to_the_application_error_family():
    """One error convention (issue 11): a new ``class XError(Exception)`` beside the family fails here."""
    import ast
    from pathlib import Path

    from django.conf import settings

    import lernplattform.core.errors as family

    names = {name for name, value in vars(family).items() if isinstance(value, type)}
    root = Path(settings.BASE_DIR)
    defined: dict[str, list[str]] = {}
    for package in ("courses", "lernplattform"):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
                    defined[f"{path.relative_to(root).as_posix()}:{node.name}"] = bases
    by_name = {key.rsplit(":", 1)[1]: bases for key, bases in defined.items()}

    def in_family(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in names:
            return True
        if name in seen or name not in by_name:
            return False
        return any(in_family(base, seen | {name}) for base in by_name[name])

    builtin = {"Exception", "ValueError", "RuntimeError", "LookupError", "TypeError", "KeyError"}
    strays = [
        key
        for key, bases in defined.items()
        if key not in OUTSIDE_THE_FAMILY
        and not in_family(key.rsplit(":", 1)[1])
        and any(base in builtin or (base.endswith("Error") and not in_family(base)) for base in bases)
    ]
    assert strays == [], "derive these from lernplattform.core.errors (ValidationFailed, Conflict, ...)"
