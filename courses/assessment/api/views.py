"""REST API of the question bank, for trainers and platform admins.

Questions are read and written as the format-neutral representation
(``content``: the JSON of ``formats.ir.Question``); writing a question that
exists creates its next version.  Import and export take the same paths as
the commands and the admin UI (services), including the all-or-nothing rule.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from courses.questions import types
from courses.questions.exports import export_response
from courses.questions.formats import FORMATS, FormatError
from courses.questions.models import QuestionCategory, QuestionImport, QuestionType
from courses.questions.permissions import (
    BankAction,
    user_is_bank_admin,
    user_may_category,
    user_may_use_bank,
)
from courses.questions.selectors import category_tree, question_search, question_versions, subquestion_pool
from courses.questions.services import (
    UnsupportedQuestionsError,
    category_owner_set,
    import_size_check,
    question_copy,
    question_create,
    question_import_start,
    question_move,
    question_update,
    questions_parse,
)
from lernplattform.core.errors import ApplicationError, NotPermitted

from .serializers import (
    API,
    CategoryOwnerSerializer,
    CategorySerializer,
    CopySerializer,
    ImportJobSerializer,
    ImportSerializer,
    QuestionSerializer,
    VersionSerializer,
    _readable_categories,
)


class IsBankManager(BasePermission):
    """Trainers and platform admins (by active membership)."""

    message = "Nur Trainer/innen und die Plattformverwaltung arbeiten mit der Fragensammlung."

    def has_permission(self, request, view) -> bool:
        return user_may_use_bank(user=request.user)


# --- views ---------------------------------------------------------------------------


class QuestionImportViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Import jobs: status and report (``pending``, ``done`` or ``failed`` with the line)."""

    serializer_class = ImportJobSerializer
    permission_classes = [IsBankManager]

    def get_queryset(self):
        # A person sees the imports into categories they may read (their own, their courses', shared).
        return QuestionImport.objects.filter(category__in=_readable_categories(self.request).values("pk"))


class QuestionCategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Categories of the question bank the person may read, in tree order; ``may_change`` says where they may write."""

    serializer_class = CategorySerializer
    permission_classes = [IsBankManager]

    def get_queryset(self):
        return _readable_categories(self.request)

    def list(self, request, *args, **kwargs):
        readable = set(self.get_queryset().values_list("pk", flat=True))
        return Response(self.get_serializer([c for c in category_tree() if c.pk in readable], many=True).data)

    def perform_create(self, serializer):
        try:
            serializer.save()
        except ApplicationError as exc:
            raise _as_api_error(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.save()
        except ApplicationError as exc:
            raise _as_api_error(exc) from exc

    @extend_schema(request=CategoryOwnerSerializer, responses=CategorySerializer)
    @action(detail=True, methods=["post"], url_path="owner")
    def owner(self, request: Request, pk: int | None = None) -> Response:
        """Platform admins: hand a top-level category with its subtree to a course, a trainer or the platform."""
        # Refused before anything is looked up: nobody else learns which ids exist.
        if not user_is_bank_admin(user=request.user):
            raise NotPermitted(
                "assessment.category_owner_not_permitted",
                _("Wem eine Kategorie gehört, legt nur die Plattformverwaltung fest."),
            )
        category = self.get_object()
        data = CategoryOwnerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            category = category_owner_set(
                category=category,
                course=data.validated_data.get("course"),
                owner=data.validated_data.get("user"),
                user=request.user,
                source=API,
            )
        except ApplicationError as exc:
            raise _as_api_error(exc) from exc
        return Response(CategorySerializer(category, context=self.get_serializer_context()).data)


def _unsupported_json(items) -> list[dict]:
    return [{"line": i.line, "name": i.name, "type": i.qtype, "label": i.label, "reason": i.reason} for i in items]


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Wörter in Name oder Text"),
        OpenApiParameter("category", int),
        OpenApiParameter("subcategories", bool, description="Unterkategorien einschließen (Standard: ja)"),
        OpenApiParameter("tag", str, many=True),
        OpenApiParameter("type", str, enum=[c.value for c in QuestionType]),
    ]
)
class QuestionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Questions with their current version; PUT/PATCH with ``content`` creates a new version."""

    serializer_class = QuestionSerializer
    permission_classes = [IsBankManager]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        readable = _readable_categories(self.request)
        category = None
        if params.get("category"):
            category = get_object_or_404(readable, pk=params["category"])
        return question_search(
            category=category,
            include_subcategories=params.get("subcategories", "true").lower() != "false",
            query=params.get("q", ""),
            tags=params.getlist("tag"),
            qtype=params.get("type", ""),
            include_archived=self.action != "list",
        ).filter(category__in=readable.values("pk"))

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = question_create(
                category=data["category"],
                content=data["content"],
                user=self.request.user,
                tags=data.get("tags"),
                source=API,
            )
        except ApplicationError as exc:
            raise _as_api_error(exc) from exc

    def perform_update(self, serializer):
        data = serializer.validated_data
        question = serializer.instance
        user = self.request.user
        # Reading is not changing: a question in a shared category is refused here, not hidden.
        if not user_may_category(user=user, category=question.category, action=BankAction.CHANGE):
            raise _not_permitted(question.category)
        content = data.get("content") or question.current_version.content
        with transaction.atomic():
            question_update(question=question, content=content, user=user, tags=data.get("tags"), source=API)
            if "category" in data and data["category"] != question.category:
                question_move(question=question, category=data["category"], user=user, source=API)
        question.refresh_from_db()

    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except ApplicationError as exc:
            raise _as_api_error(exc) from exc

    @extend_schema(request=CopySerializer, responses={201: QuestionSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk=None) -> Response:
        """A copy of the question in a category of yours: the way to change a question others' quizzes use."""
        question = self.get_object()
        form = CopySerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        copied = question_copy(
            question=question, category=form.validated_data["category"], user=request.user, source=API
        )
        return Response(self.get_serializer(copied).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True)
    def versions(self, request: Request, pk=None) -> Response:
        question = self.get_object()
        return Response(VersionSerializer(question_versions(question=question), many=True).data)

    @extend_schema(responses={200: dict})
    @action(detail=True)
    def preview(self, request: Request, pk=None) -> Response:
        """The question as a learner's browser receives it (no answers, no feedback)."""
        version = self.get_object().current_version
        data = version.data
        layout = types.seeded_layout(data, seed=types.preview_seed(version.pk), pool=subquestion_pool(version=version))
        return Response(types.for_data(data).learner_view(data, layout))

    @extend_schema(request=ImportSerializer, responses={200: dict, 202: ImportJobSerializer, 400: dict})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Import GIFT or Moodle XML into a category, all or nothing.

        The file is checked at once (errors with line, unsupported types listed);
        ``dry_run`` stops there. Otherwise the import runs as a Celery task:
        the answer is the job, to be polled at ``question-imports/{id}/``.
        """
        upload = request.FILES.get("file")
        if upload is not None:
            # Before the serializer or the parser look at it (finding 8: one limit, checked first).
            import_size_check(size=upload.size)
        form = ImportSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not user_may_category(user=request.user, category=data["category"], action=BankAction.CHANGE):
            raise _not_permitted(data["category"])
        content = data["file"].read()
        try:
            parsed = questions_parse(content=content, fmt=data["file_format"])
        except FormatError as exc:
            return Response(
                {"code": "assessment.import_malformed", "detail": str(exc), "line": exc.line},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if data["dry_run"]:
            return Response(
                {
                    "questions": [
                        {"line": q.source_line, "name": q.name, "type": q.qtype.value, "category": q.category_path}
                        for q in parsed.questions
                    ],
                    "unsupported": _unsupported_json(parsed.unsupported),
                    "warnings": parsed.warnings,
                }
            )
        if parsed.unsupported and not data["skip_unsupported"]:
            error = UnsupportedQuestionsError(parsed.unsupported)
            return Response(
                {"detail": str(error), "unsupported": _unsupported_json(error.items)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        job = question_import_start(
            content=content,
            fmt=data["file_format"],
            category=data["category"],
            file_name=data["file"].name,
            user=request.user,
            skip_unsupported=data["skip_unsupported"],
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("category", int, required=True),
            OpenApiParameter("file_format", str, enum=list(FORMATS), required=True),
        ],
        responses={200: bytes},
    )
    @action(detail=False, url_path="export")
    def export_file(self, request: Request) -> HttpResponse:
        """A category with its subcategories as GIFT or Moodle XML; GIFT's losses in ``X-Export-Losses``."""
        fmt = request.query_params.get("file_format", "")
        if fmt not in FORMATS:
            return Response(
                {"detail": "file_format muss gift oder moodlexml sein."}, status=status.HTTP_400_BAD_REQUEST
            )
        category = get_object_or_404(_readable_categories(request), pk=request.query_params.get("category") or 0)
        return export_response(category=category, fmt=fmt)


def _not_permitted(category: QuestionCategory) -> NotPermitted:
    return NotPermitted(
        "assessment.category_not_permitted",
        _("Sie dürfen Fragen in der Kategorie „%(category)s“ nicht ändern.") % {"category": category.full_name},
    )


def _as_api_error(exc: ApplicationError) -> Exception:
    """Input errors as field errors (400, as DRF answers them); the rest ({"code", "detail"}) as they are."""
    if exc.status_code == 400:
        return serializers.ValidationError({"content": [exc.message], "code": exc.code})
    return exc
