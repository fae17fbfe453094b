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
