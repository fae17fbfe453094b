"""Serializers of the progress API (/api/v1/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from courses.progress.models import Enrolment
from lernplattform.accounts.models import User


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email"]


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class EnrolmentSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    course = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "user",
            "course",
            "status",
            "method",
            "due_date",
            "enrolled_at",
            "enrolled_by",
            "completed_at",
            "unenrolled_at",
        ]

    @extend_schema(responses=CourseRefSerializer)
    def get_course(self, obj: Enrolment) -> dict:
        return {"id": obj.course_id, "title": obj.course.title, "url": obj.course.url}


class EnrolmentCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField(help_text="ID des Kurses")
    user = serializers.IntegerField(required=False, help_text="ID der Person; leer: man selbst")
    due_date = serializers.DateField(required=False, allow_null=True)


class ActivityStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.CharField()
    is_required = serializers.BooleanField()
    state = serializers.CharField(allow_null=True)
    score = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    max_score = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class CourseProgressSerializer(serializers.Serializer):
    course = CourseRefSerializer()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    required_done = serializers.IntegerField()
    required_total = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    next_activity = serializers.DictField(allow_null=True)
    activities = ActivityStateSerializer(many=True, required=False)


class PathStepSerializer(serializers.Serializer):
    course = CourseRefSerializer()
    is_required = serializers.BooleanField()
    unlocked = serializers.BooleanField()
    completed = serializers.BooleanField()
    enrolled = serializers.BooleanField()


class PathProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    audience = serializers.CharField()
    percent = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    steps = PathStepSerializer(many=True)
