"""REST API for certificates (under /api/v1/): own certificates, an admin's scoped list, verification.

Verification is public (no login) and throttled per client like the page; it answers unknown codes
with the same shape as known ones. Lists are scoped by membership (selectors.certificates_in_scope).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from lernplattform.core.errors import NotFound

from . import selectors, services
from .forms import CertificateFilterForm
from .models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "holder_name",
            "title",
            "organisation",
            "organisation_ars",
            "course",
            "path",
            "issued_at",
            "valid_until",
            "status",
            "cycle",
            "revoked_at",
            "verify_url",
            "pdf_url",
        ]

    def get_status(self, obj: Certificate) -> str:
        return obj.status

    def get_verify_url(self, obj: Certificate) -> str:
        return obj.snapshot.get("verify_url", "")

    def get_pdf_url(self, obj: Certificate) -> str:
        from django.urls import reverse

        return reverse("certificates:download", args=[obj.pk])

    def get_organisation(self, obj: Certificate) -> str:
        return obj.organisation.name if obj.organisation_id else ""


class SignatorySerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


class VerificationFieldsSerializer(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    organisation_ars = serializers.CharField()
    course = serializers.CharField()
    hours = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.CharField())
    completed_on = serializers.DateField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
    heading = serializers.CharField()
    body = serializers.CharField()
    signatories = SignatorySerializer(many=True)
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField()
    replaced_by = serializers.CharField(allow_null=True)
    replaced_by_code = serializers.CharField(allow_null=True)
    renewed_by = serializers.CharField(allow_null=True)
    renewed_by_code = serializers.CharField(allow_null=True)
    renews = serializers.CharField(allow_null=True)
    renews_code = serializers.CharField(allow_null=True)
    pdf_sha256 = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    status = serializers.ChoiceField(choices=[*Certificate.Status.values, "unknown"])
    status_label = serializers.CharField()
    status_detail = serializers.CharField()
    certificate = VerificationFieldsSerializer(allow_null=True)


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Certificate.RevocationReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


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


urlpatterns = [
    path("certificates/", OwnCertificatesView.as_view(), name="certificate-own"),
    path("certificates/scope/", ScopeCertificatesView.as_view(), name="certificate-scope"),
    path("certificates/verify/<str:code>/", VerifyView.as_view(), name="certificate-verify"),
    path("certificates/<int:certificate_id>/revoke/", RevokeView.as_view(), name="certificate-revoke"),
]
