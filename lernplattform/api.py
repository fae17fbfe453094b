"""The /api/v1/ API: one router, each app adds its routes here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from courses.assessment.api import QuestionCategoryViewSet, QuestionImportViewSet, QuestionViewSet

router = DefaultRouter()
router.register("question-categories", QuestionCategoryViewSet, basename="question-category")
router.register("questions", QuestionViewSet, basename="question")
router.register("question-imports", QuestionImportViewSet, basename="question-import")


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
    path("", include(router.urls)),
    path("", include("courses.assessment.api_attempts")),
]
