"""URLs of the reports API under /api/v1/ (included by lernplattform/api.py)."""

from __future__ import annotations

from django.urls import path

from .views import NodeView, PeopleView

urlpatterns = [
    path("reports/germany/", NodeView.as_view(), name="reports-germany"),
    path("reports/germany/people/", PeopleView.as_view(), name="reports-germany-people"),
    path("reports/organisations/<int:pk>/", NodeView.as_view(), name="reports-node"),
    path("reports/organisations/<int:pk>/people/", PeopleView.as_view(), name="reports-people"),
]
