"""URLs of the certificates API under /api/v1/ (included by lernplattform/api.py)."""

from __future__ import annotations

from django.urls import path

from .views import OwnCertificatesView, RevokeView, ScopeCertificatesView, VerifyView

urlpatterns = [
    path("certificates/", OwnCertificatesView.as_view(), name="certificate-own"),
    path("certificates/scope/", ScopeCertificatesView.as_view(), name="certificate-scope"),
    path("certificates/verify/<str:code>/", VerifyView.as_view(), name="certificate-verify"),
    path("certificates/<int:certificate_id>/revoke/", RevokeView.as_view(), name="certificate-revoke"),
]
