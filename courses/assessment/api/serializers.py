"""Serializers of the assessment API (/api/v1/): the question bank, then quiz attempts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.assessment.release_services import question_pending_releases
from courses.questions.formats import FORMATS, ir
from courses.questions.models import Question, QuestionCategory, QuestionEvent, QuestionImport
from courses.questions.permissions import BankAction, categories_for
from courses.questions.services import (
    category_create,
    category_update,
)

API = QuestionEvent.Source.API


def _readable_categories(request) -> QuerySet[QuestionCategory]:
    return categories_for(user=request.user, action=BankAction.VIEW)


@extend_schema_field(OpenApiTypes.INT)
class ReadableCategoryField(serializers.PrimaryKeyRelatedField):
    """A category the requesting person may at least read (others do not exist for them)."""

    def get_queryset(self):
        return _readable_categories(self.context["request"])


class CategorySerializer(serializers.ModelSerializer):
    parent = ReadableCategoryField(required=False, allow_null=True, write_only=True)
    path = serializers.SerializerMethodField()
    depth = serializers.IntegerField(read_only=True)
    question_count = serializers.IntegerField(read_only=True, default=None)
    owner = serializers.SerializerMethodField(help_text="Wem die Kategorie gehört: course, user oder platform.")
    may_change = serializers.SerializerMethodField()

    class Meta:
        model = QuestionCategory
        fields = [
            "id",
            "name",
            "description",
            "parent",
            "path",
            "depth",
            "question_count",
            "course",
            "owner",
            "is_practice",
            "may_change",
        ]
        read_only_fields = ["course"]

    def get_path(self, obj: QuestionCategory) -> list[str]:
        return obj.path_names

    def get_owner(self, obj: QuestionCategory) -> dict:
        if obj.course_id:
            return {"kind": "course", "id": obj.course_id}
        if obj.owner_id:
            return {"kind": "user", "id": obj.owner_id}
        return {"kind": "platform", "id": None}

    def get_may_change(self, obj: QuestionCategory) -> bool:
        changeable = self.context.setdefault(
            "changeable",
            set(
                categories_for(user=self.context["request"].user, action=BankAction.CHANGE).values_list("pk", flat=True)
            ),
        )
        return obj.pk in changeable

    def create(self, validated_data):
        return category_create(
            name=validated_data["name"],
            parent=validated_data.get("parent"),
            description=validated_data.get("description", ""),
            is_practice=validated_data.get("is_practice", False),
            user=self.context["request"].user,
            source=API,
        )

    def update(self, instance, validated_data):
        return category_update(
            category=instance,
            name=validated_data.get("name", instance.name),
            description=validated_data.get("description", instance.description),
            is_practice=validated_data.get("is_practice"),
            user=self.context["request"].user,
            source=API,
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
    category = ReadableCategoryField()
    pending_releases = serializers.SerializerMethodField(
        help_text="Tests, die Lernenden noch eine ältere Version geben: die neue wartet auf die Kursfreigabe."
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "category",
            "tags",
            "is_archived",
            "current_version",
            "content",
            "updated_at",
            "pending_releases",
        ]
        read_only_fields = ["is_archived", "updated_at"]

    def get_pending_releases(self, obj: Question) -> list[dict]:
        if self.context.get("view") is not None and getattr(self.context["view"], "action", "") == "list":
            return []  # one question's detail says it; a list of 50 would cost a query each
        return [
            {
                "quiz": p.quiz_id,
                "quiz_title": p.quiz_title,
                "released_version": p.released_number,
                "current_version": p.current_number,
            }
            for p in question_pending_releases(question=obj)
        ]

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
    category = ReadableCategoryField()
    skip_unsupported = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False, help_text="Nur prüfen und anzeigen, nichts speichern.")


class CategoryOwnerSerializer(serializers.Serializer):
    """Whom a top-level category goes to: a course, a person, or (neither) the platform."""

    course = serializers.IntegerField(required=False, allow_null=True, help_text="Kurs (id)")
    user = serializers.IntegerField(required=False, allow_null=True, help_text="Trainer/in (Personen-id)")

    def validate_course(self, value):
        from courses.catalog.models import CoursePage

        if value is None:
            return None
        course = CoursePage.objects.filter(pk=value).first()
        if course is None:
            raise serializers.ValidationError(_("Diesen Kurs gibt es nicht."))
        return course

    def validate_user(self, value):
        from lernplattform.accounts.models import User

        if value is None:
            return None
        person = User.objects.filter(pk=value).first()
        if person is None:
            raise serializers.ValidationError(_("Diese Person gibt es nicht."))
        return person


class CopySerializer(serializers.Serializer):
    category = ReadableCategoryField(help_text="Zielkategorie, in der Sie Fragen anlegen dürfen.")


# --- attempts ---------------------------------------------------------------------------


class SlotOutSerializer(serializers.Serializer):
    """A question as the learner sees it: display keys only, never fractions, feedback or keys."""

    slot = serializers.IntegerField()
    max_mark = serializers.DecimalField(max_digits=9, decimal_places=4)
    type = serializers.CharField()
    text = serializers.CharField(help_text="Sanitised HTML")
    single = serializers.BooleanField(required=False)
    choices = serializers.JSONField(required=False, help_text="[{key, text}] for choice questions")
    stems = serializers.JSONField(required=False)
    options = serializers.JSONField(required=False)
    items = serializers.JSONField(required=False)
    segments = serializers.JSONField(required=False, help_text="Cloze text pieces and gaps")
    units = serializers.JSONField(required=False)
    response = serializers.JSONField(allow_null=True, help_text="The saved answer, in display keys")
    flagged = serializers.BooleanField(help_text="Marked by the learner for later")


class AttemptOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz = serializers.IntegerField(source="quiz_id")
    number = serializers.IntegerField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    closed_by_deadline = serializers.BooleanField()
    max_score = serializers.DecimalField(max_digits=9, decimal_places=4)
    score = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class AttemptWithSlotsSerializer(AttemptOutSerializer):
    slots = SlotOutSerializer(many=True)


class AnswerInSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)
    response = serializers.JSONField(allow_null=True, help_text="e.g. {choice}, {choices}, {value}, {text}")
    flagged = serializers.BooleanField(required=False, help_text="Mark (or unmark) the question for later")


class SaveInSerializer(serializers.Serializer):
    answers = AnswerInSerializer(many=True, allow_empty=False, max_length=500)


class SaveOutSerializer(serializers.Serializer):
    saved = serializers.ListField(child=serializers.IntegerField())
    errors = serializers.DictField(child=serializers.CharField(), help_text="German message per slot number")
    saved_at = serializers.DateTimeField()


class ReviewSlotSerializer(SlotOutSerializer):
    mark = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    state = serializers.CharField(help_text="correct, partial, wrong, pending or empty")
    feedback = serializers.ListField(child=serializers.CharField(), help_text="HTML, if the quiz shows it now")
    general_feedback = serializers.CharField()
    correct = serializers.ListField(child=serializers.CharField(), help_text="If the quiz shows it now")
    comment = serializers.CharField(help_text="The trainer's comment")


class ReviewOutSerializer(AttemptOutSerializer):
    quiz_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    quiz_passed = serializers.BooleanField(allow_null=True)
    held_back = serializers.BooleanField(
        help_text="Ein anderer Versuch dieses Tests ist offen: keine Punkte je Frage, kein Feedback, keine Lösungen."
    )
    slots = ReviewSlotSerializer(many=True)
