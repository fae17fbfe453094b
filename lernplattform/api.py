"""The /api/v1/ API: the schema, its docs and one include per app (each app's ``api/urls.py``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def schema_endpoints_filter(endpoints: list) -> list:
    """Document only our API: Wagtail's admin API lives elsewhere and is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("courses.h5p.api.urls")),
    path("", include("courses.progress.api.urls")),
    path("", include("courses.certificates.api.urls")),
    path("", include("lernplattform.reports.api.urls")),
    path("", include("courses.assessment.api.urls")),
]
