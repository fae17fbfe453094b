"""URLs of the assessment API under /api/v1/ (included by lernplattform/api.py): the question bank's
viewsets on a router (its root view answers /api/v1/), then quiz attempts."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .attempt_views import (
    AttemptAnswersView,
    AttemptDetailView,
    AttemptReviewView,
    AttemptStartView,
    AttemptSubmitView,
)
from .views import QuestionCategoryViewSet, QuestionImportViewSet, QuestionViewSet

router = DefaultRouter()
router.register("question-categories", QuestionCategoryViewSet, basename="question-category")
router.register("questions", QuestionViewSet, basename="question")
router.register("question-imports", QuestionImportViewSet, basename="question-import")

urlpatterns = [
    path("", include(router.urls)),
    path("quizzes/<int:quiz_id>/attempts/", AttemptStartView.as_view(), name="quiz-attempt-start"),
    path("attempts/<int:attempt_id>/", AttemptDetailView.as_view(), name="attempt-detail"),
    path("attempts/<int:attempt_id>/answers/", AttemptAnswersView.as_view(), name="attempt-answers"),
    path("attempts/<int:attempt_id>/submit/", AttemptSubmitView.as_view(), name="attempt-submit"),
    path("attempts/<int:attempt_id>/review/", AttemptReviewView.as_view(), name="attempt-review"),
]
