"""Serializers of the H5P player relay API."""

from __future__ import annotations

from rest_framework import serializers


class _ActivityInput(serializers.Serializer):
    page = serializers.IntegerField(min_value=1)
    content = serializers.IntegerField(min_value=1)


class StatementInput(_ActivityInput):
    statement = serializers.JSONField()


class StateInput(_ActivityInput):
    state = serializers.CharField(max_length=256 * 1024, trim_whitespace=False)


class RecordedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    counted = serializers.BooleanField()
