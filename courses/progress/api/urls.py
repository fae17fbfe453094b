"""URLs of the progress API under /api/v1/ (included by lernplattform/api.py)."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import CourseProgressViewSet, EnrolmentViewSet, LearningPathViewSet

router = SimpleRouter()
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("progress/courses", CourseProgressViewSet, basename="course-progress")
router.register("learning-paths", LearningPathViewSet, basename="learning-path")

urlpatterns = [path("", include(router.urls))]
