"""REST API for enrolments, course progress and learning paths (under /api/v1/).

Scoped by membership: everyone sees their own records; organisation admins (and platform
admins) also see and manage enrolments of the people in their scope – never scores or attempts
of others (DESIGN.md privacy rule). Scores appear only in a learner's own progress.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from courses.catalog.models import CoursePage
from courses.progress import selectors, services
from courses.progress.models import Enrolment
from courses.progress.permissions import enrolments_visible
from lernplattform.accounts.selectors import users_visible_to
from lernplattform.core.sites import site_remember_on_request

from .serializers import (
    CourseProgressSerializer,
    EnrolmentCreateSerializer,
    EnrolmentSerializer,
    PathProgressSerializer,
)


def _raise_as_api_error(error: Exception):
    if isinstance(error, DjangoPermissionDenied):
        raise PermissionDenied(str(error)) from error
    if isinstance(error, DjangoValidationError):
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
    raise error


@extend_schema(
    parameters=[
        OpenApiParameter("user", int, description="Nur Einschreibungen dieser Person"),
        OpenApiParameter("course", int, description="Nur Einschreibungen in diesen Kurs"),
        OpenApiParameter("status", str, enum=Enrolment.Status.values),
    ]
)
class EnrolmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Enrolments: one's own, and for organisation admins those of the people in their scope."""

    serializer_class = EnrolmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Enrolment.objects.none()
        queryset = enrolments_visible(user=self.request.user).select_related("user", "course").order_by("-enrolled_at")
        params = self.request.query_params
        for name in ("user", "course"):
            if params.get(name, "").isdigit():
                queryset = queryset.filter(**{f"{name}_id": int(params[name])})
        if params.get("status") in Enrolment.Status.values:
            queryset = queryset.filter(status=params["status"])
        return queryset

    @extend_schema(request=EnrolmentCreateSerializer, responses={201: EnrolmentSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = EnrolmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = get_object_or_404(CoursePage.objects.live(), pk=data.validated_data["course"])
        person = request.user
        if data.validated_data.get("user") not in (None, request.user.pk):
            person = users_visible_to(viewer=request.user).filter(pk=data.validated_data["user"]).first()
            if person is None:
                raise PermissionDenied("Sie dürfen nur Personen in Ihrem Zuständigkeitsbereich einschreiben.")
        try:
            enrolment = services.enrolment_create(
                user=person, course=course, enrolled_by=request.user, due_date=data.validated_data.get("due_date")
            )
        except (DjangoValidationError, DjangoPermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """End an enrolment; the record stays as history."""
        enrolment = self.get_object()
        try:
            enrolment = services.enrolment_cancel(enrolment=enrolment, cancelled_by=request.user)
        except (DjangoValidationError, DjangoPermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(EnrolmentSerializer(enrolment).data)


def _progress_data(progress: selectors.CourseProgress, *, request, with_activities: bool) -> dict:
    def page_url(page) -> str:
        return page.get_url(request=request) or ""

    data = {
        "course": {"id": progress.course.pk, "title": progress.course.title, "url": page_url(progress.course)},
        "status": "completed" if progress.is_completed else ("active" if progress.enrolment else "not_enrolled"),
        "percent": progress.percent,
        "required_done": progress.required_done,
        "required_total": progress.required_total,
        "due_date": progress.enrolment.due_date if progress.enrolment else None,
        "completed_at": progress.completion.completed_at if progress.completion else None,
        "next_activity": (
            {
                "id": progress.next_activity.id,
                "title": progress.next_activity.title,
                "url": page_url(progress.next_activity.page),
            }
            if progress.next_activity and not progress.is_completed
            else None
        ),
    }
    if with_activities:
        data["activities"] = [
            {
                "id": item.info.id,
                "title": item.info.title,
                "kind": item.info.kind,
                "url": page_url(item.info.page),
                "is_required": item.info.is_required,
                "state": item.state,
                "score": item.completion.score if item.completion else None,
                "max_score": item.completion.max_score if item.completion else None,
                "passed": item.completion.passed if item.completion else None,
                "completed_at": item.completion.completed_at if item.completion else None,
            }
            for item in progress.activities
        ]
    return data


class LearnerCoursesPagination(PageNumberPagination):
    """Pages of the learner's courses, as many as "Meine Kurse" shows (``?page=2``)."""

    page_size = selectors.LEARNER_COURSES_PAGE_SIZE


class CourseProgressViewSet(viewsets.ViewSet):
    """The requesting learner's own progress per course (with their own scores)."""

    lookup_value_regex = r"\d+"

    pagination_class = LearnerCoursesPagination

    @extend_schema(responses=CourseProgressSerializer(many=True))
    def list(self, request: Request) -> Response:
        # One page of the learner's courses, open ones first; the courses only (no learning paths,
        # which this list does not return), each from its cached outline and the learner's records.
        paginator = self.pagination_class()
        enrolments = paginator.paginate_queryset(selectors.learner_enrolments(user=request.user), request, view=self)
        site_remember_on_request(request)
        items = selectors.enrolments_progress(user=request.user, enrolments=enrolments)
        return paginator.get_paginated_response(
            CourseProgressSerializer(
                [_progress_data(p, request=request, with_activities=False) for p in items], many=True
            ).data
        )

    @extend_schema(
        responses=CourseProgressSerializer,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="ID des Kurses")],
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        course = get_object_or_404(CoursePage.objects.live(), pk=pk)
        progress = selectors.course_progress(user=request.user, course=course)
        return Response(CourseProgressSerializer(_progress_data(progress, request=request, with_activities=True)).data)


class LearningPathViewSet(viewsets.ViewSet):
    """Published learning paths with the requesting learner's progress and unlocked steps."""

    @extend_schema(responses=PathProgressSerializer(many=True))
    def list(self, request: Request) -> Response:
        data = [
            {
                "id": p.path.pk,
                "slug": p.path.slug,
                "title": p.path.title,
                "audience": p.path.audience,
                "percent": p.percent,
                "completed_at": p.completion.completed_at if p.completion else None,
                "steps": [
                    {
                        "course": {
                            "id": s.course.pk,
                            "title": s.course.title,
                            "url": s.course.get_url(request=request),
                        },
                        "is_required": s.step.is_required,
                        "unlocked": s.unlocked,
                        "completed": s.completed,
                        "enrolled": s.enrolled,
                    }
                    for s in p.steps
                ],
            }
            for p in selectors.paths_progress(user=request.user)
        ]
        return Response(PathProgressSerializer(data, many=True).data)
