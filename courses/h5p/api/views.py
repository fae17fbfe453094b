"""API for the player relay: the parent page posts xAPI statements and saved state here."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Page

from courses.h5p.models import H5PContent
from courses.h5p.selectors import h5p_page_holds_content
from courses.h5p.services import h5p_state_save, h5p_statement_record

from .serializers import RecordedOutput, StateInput, StatementInput


def _activity(data) -> tuple[Page, H5PContent]:
    page = get_object_or_404(Page.objects.live(), pk=data["page"])
    content = get_object_or_404(H5PContent, pk=data["content"])
    if not h5p_page_holds_content(page=page, content=content):
        raise PermissionDenied(_("Dieser H5P-Inhalt gehört nicht zu dieser Seite."))
    return page, content


class StatementView(APIView):
    """Store one xAPI statement of the signed-in person for an H5P item on a page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StatementInput, responses={201: RecordedOutput})
    def post(self, request):
        data = StatementInput(data=request.data)
        data.is_valid(raise_exception=True)
        page, content = _activity(data.validated_data)
        # A refused statement raises H5PRelayError / H5PRelayRefused: {"code", "detail"}, 400 / 403.
        row = h5p_statement_record(
            user=request.user, page=page, content=content, statement=data.validated_data["statement"]
        )
        return Response(
            RecordedOutput({"id": row.pk, "counted": not row.is_sub_statement}).data, status=status.HTTP_201_CREATED
        )


class StateView(APIView):
    """Save the player state of the signed-in person (restored on the next visit)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StateInput, responses={204: None})
    def post(self, request):
        data = StateInput(data=request.data)
        data.is_valid(raise_exception=True)
        page, content = _activity(data.validated_data)
        h5p_state_save(user=request.user, page=page, content=content, state=data.validated_data["state"])
        return Response(status=status.HTTP_204_NO_CONTENT)
