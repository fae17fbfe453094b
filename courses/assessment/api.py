"""REST API of the question bank, for trainers and platform admins.

Questions are read and written as the format-neutral representation
(``content``: the JSON of ``formats.ir.Question``); writing a question that
exists creates its next version.  Import and export take the same paths as
the commands and the admin UI (services), including the all-or-nothing rule.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from .formats import FORMATS, FormatError, ir
from .models import Question, QuestionCategory, QuestionImport, QuestionType
from .presentation import learner_view
from .selectors import category_tree, question_search, question_versions, user_may_manage_bank
from .services import (
    UnsupportedQuestionsError,
    category_create,
    question_create,
    question_import_start,
    question_update,
    questions_export,
    questions_parse,
)


class IsBankManager(BasePermission):
    """Trainers and platform admins (by active membership)."""

    message = "Nur Trainer/innen und die Plattformverwaltung arbeiten mit der Fragensammlung."

    def has_permission(self, request, view) -> bool:
        return user_may_manage_bank(user=request.user)


# --- serializers ------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=QuestionCategory.objects.all(), required=False, allow_null=True, write_only=True
    )
    path = serializers.SerializerMethodField()
    depth = serializers.IntegerField(read_only=True)
    question_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = QuestionCategory
        fields = ["id", "name", "description", "parent", "path", "depth", "question_count"]

    def get_path(self, obj: QuestionCategory) -> list[str]:
        return obj.path_names

    def create(self, validated_data):
        return category_create(
            name=validated_data["name"],
            parent=validated_data.get("parent"),
            description=validated_data.get("description", ""),
        )


class ContentField(serializers.JSONField):
    """A question's content as JSON, validated into ``ir.Question``."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            raise serializers.ValidationError("Ein JSON-Objekt wird erwartet.")
        try:
            return ir.question_from_dict(data)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise serializers.ValidationError(f"Ungültiger Frageninhalt: {exc}") from exc


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    qtype = serializers.CharField()
    name = serializers.CharField()
    default_mark = serializers.DecimalField(max_digits=9, decimal_places=4)
    created_at = serializers.DateTimeField()
    content = serializers.JSONField(source="data")


class TagsField(serializers.ListField):
    child = serializers.CharField(max_length=100)

    def to_representation(self, data):
        return sorted(t.name for t in data.all())


class QuestionSerializer(serializers.ModelSerializer):
    tags = TagsField(required=False)
    current_version = VersionSerializer(read_only=True)
    content = ContentField(write_only=True)
    category = serializers.PrimaryKeyRelatedField(queryset=QuestionCategory.objects.all())

    class Meta:
        model = Question
        fields = ["id", "category", "tags", "is_archived", "current_version", "content", "updated_at"]
        read_only_fields = ["is_archived", "updated_at"]

    def validate(self, attrs):
        content = attrs.get("content")
        if content is not None and content.qtype is ir.QuestionType.CLOZE and not content.cloze_parts:
            raise serializers.ValidationError({"content": "Ein Lückentext braucht mindestens eine Lücke."})
        return attrs


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionImport
        fields = ["id", "category", "file_name", "file_format", "status", "report", "created_at", "finished_at"]
        read_only_fields = fields


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    # Not "format": DRF reads ?format= as a renderer choice.
    file_format = serializers.ChoiceField(choices=FORMATS)
    category = serializers.PrimaryKeyRelatedField(queryset=QuestionCategory.objects.all())
    skip_unsupported = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False, help_text="Nur prüfen und anzeigen, nichts speichern.")


# --- views ---------------------------------------------------------------------------


class QuestionImportViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Import jobs: status and report (``pending``, ``done`` or ``failed`` with the line)."""

    serializer_class = ImportJobSerializer
    permission_classes = [IsBankManager]

    def get_queryset(self):
        return QuestionImport.objects.all()


class QuestionCategoryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Categories of the question bank in tree order."""

    serializer_class = CategorySerializer
    permission_classes = [IsBankManager]

    def get_queryset(self):
        return QuestionCategory.objects.all()

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(category_tree(), many=True).data)


def _unsupported_json(items) -> list[dict]:
    return [{"line": i.line, "name": i.name, "type": i.qtype, "label": i.label} for i in items]


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
        category = None
        if params.get("category"):
            category = get_object_or_404(QuestionCategory, pk=params["category"])
        return question_search(
            category=category,
            include_subcategories=params.get("subcategories", "true").lower() != "false",
            query=params.get("q", ""),
            tags=params.getlist("tag"),
            qtype=params.get("type", ""),
            include_archived=self.action != "list",
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = question_create(
                category=data["category"], content=data["content"], user=self.request.user, tags=data.get("tags")
            )
        except ValueError as exc:
            raise serializers.ValidationError({"content": str(exc)}) from exc

    def perform_update(self, serializer):
        data = serializer.validated_data
        question = serializer.instance
        content = data.get("content") or question.current_version.content
        try:
            question_update(question=question, content=content, user=self.request.user, tags=data.get("tags"))
        except ValueError as exc:
            raise serializers.ValidationError({"content": str(exc)}) from exc
        if "category" in data and data["category"] != question.category:
            question.category = data["category"]
            question.save(update_fields=["category", "updated_at"])
        question.refresh_from_db()

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True)
    def versions(self, request: Request, pk=None) -> Response:
        question = self.get_object()
        return Response(VersionSerializer(question_versions(question=question), many=True).data)

    @extend_schema(responses={200: dict})
    @action(detail=True)
    def preview(self, request: Request, pk=None) -> Response:
        """The question as a learner's browser receives it (no answers, no feedback)."""
        question = self.get_object()
        return Response(learner_view(question.current_version.content, seed=str(question.pk)))

    @extend_schema(request=ImportSerializer, responses={200: dict, 202: ImportJobSerializer, 400: dict})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Import GIFT or Moodle XML into a category, all or nothing.

        The file is checked at once (errors with line, unsupported types listed);
        ``dry_run`` stops there. Otherwise the import runs as a Celery task:
        the answer is the job, to be polled at ``question-imports/{id}/``.
        """
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        content = data["file"].read()
        try:
            parsed = questions_parse(content=content, fmt=data["file_format"])
        except FormatError as exc:
            return Response({"detail": str(exc), "line": exc.line}, status=status.HTTP_400_BAD_REQUEST)
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
        category = get_object_or_404(QuestionCategory, pk=request.query_params.get("category") or 0)
        return export_response(category=category, fmt=fmt)


def export_response(*, category: QuestionCategory, fmt: str) -> HttpResponse:
    result = questions_export(category=category, fmt=fmt)
    extension, mime = ("txt", "text/plain") if fmt == "gift" else ("xml", "application/xml")
    response = HttpResponse(result.content, content_type=f"{mime}; charset=utf-8")
    filename = "".join(c if c.isalnum() else "-" for c in category.name).strip("-") or "fragen"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}.{extension}"'
    response["X-Export-Losses"] = str(len(result.losses))
    return response
