"""Serializers of the certificates API (/api/v1/)."""

from __future__ import annotations

from rest_framework import serializers

from courses.certificates.models import Certificate


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
