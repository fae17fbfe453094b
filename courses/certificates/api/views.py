"""REST API for certificates (under /api/v1/): own certificates, an admin's scoped list, verification.

Verification is public (no login) and throttled per client like the page; it answers unknown codes
with the same shape as known ones. Lists are scoped by membership (selectors.certificates_in_scope).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from courses.certificates import selectors, services
from courses.certificates.forms import CertificateFilterForm
from courses.certificates.models import Certificate
from lernplattform.core.errors import NotFound

from .serializers import (
    CertificateSerializer,
    RevokeInputSerializer,
    VerificationSerializer,
)


class OwnCertificatesView(generics.ListAPIView):
    """The signed-in person's own certificates."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.certificates_of_user(user=self.request.user).select_related("organisation")


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Name, E-Mail oder Nummer"),
        OpenApiParameter("kurs", int, description="Kurs-ID"),
        OpenApiParameter("status", str, enum=["valid", "expiring", "expired", "revoked", "replaced"]),
        OpenApiParameter("tage", int, description="Läuft ab innerhalb von … Tagen"),
        OpenApiParameter("sortierung", str),
    ]
)
class ScopeCertificatesView(generics.ListAPIView):
    """Certificates of the people in the caller's scope (organisation and platform admins)."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        form = CertificateFilterForm(self.request.query_params or None, viewer=self.request.user)
        filters = form.filters() if form.is_valid() else {}
        return selectors.certificates_in_scope(viewer=self.request.user, **filters)


class VerifyView(APIView):
    """Public verification by code: status and every field the PDF shows (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "certificate_verify"

    @extend_schema(responses={200: VerificationSerializer, 404: VerificationSerializer}, auth=[])
    def get(self, request: Request, code: str) -> Response:
        verification = selectors.certificate_verification(code=code)
        data = {
            "found": verification.found,
            "status": verification.status or "unknown",
            "status_label": verification.status_label or "nicht gefunden",
            "status_detail": verification.status_detail,
            "certificate": verification.fields,
        }
        response = Response(data, status=status.HTTP_200_OK if verification.found else status.HTTP_404_NOT_FOUND)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        return response


class RevokeView(APIView):
    """Revoke a certificate (platform admin, or the admin of the learner's scope)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RevokeInputSerializer, responses={200: CertificateSerializer})
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = get_object_or_404(Certificate, pk=certificate_id)
        if not services.user_may_administer_certificate(viewer=request.user, certificate=certificate):
            if certificate.user_id != request.user.pk:
                raise NotFound("certificates.not_found", "Dieses Zertifikat gibt es nicht.")
        data = RevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revoked = services.certificate_revoke(
            certificate=certificate,
            by=request.user,
            reason=data.validated_data["reason"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(CertificateSerializer(revoked).data)
