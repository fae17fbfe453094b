"""Serializers of the reports API (/api/v1/)."""

from __future__ import annotations

from rest_framework import serializers


class CellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="Die Zahl; null, wenn nicht ausgewiesen.")
    display = serializers.CharField(help_text="So, wie die Seite sie zeigt: Zahl, „< 5“ oder „nicht ausgewiesen“.")
    suppressed = serializers.BooleanField()


class HeadcountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="Organisationen ohne Beschäftigtenzahl")
    organisations = serializers.IntegerField()
    complete = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(allow_null=True)
    ars = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    kind = serializers.CharField(allow_null=True)
    own_staff = serializers.BooleanField(help_text="Die eigenen Beschäftigten des Knotens (in keinem Kind).")
    headcount = HeadcountSerializer()
    figures = serializers.DictField(child=CellSerializer())
    qualified = CellSerializer(help_text="Qualifiziert mit mindestens dem gefilterten Niveau (sonst Grundlagen).")
    quota_percent = serializers.FloatField(allow_null=True)
    quota = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    organisation_id = serializers.IntegerField()
    applies_to = serializers.CharField()
    topic_id = serializers.IntegerField()
    level = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.IntegerField()
    due_date = serializers.DateField()
    inherited = serializers.BooleanField()
    required = serializers.IntegerField(allow_null=True)
    actual = CellSerializer()
    gap = CellSerializer(allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField()
    organisations_met = serializers.IntegerField(allow_null=True)
    organisations_total = serializers.IntegerField(allow_null=True)


class NodeSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    ars = serializers.CharField(allow_null=True)
    source = serializers.ChoiceField(choices=["live", "summary"])
    stand = serializers.DateTimeField(allow_null=True, help_text="Zeitpunkt der Übersichtstabelle (source=summary).")
    breadcrumb = serializers.ListField(child=serializers.DictField())
    total = RowSerializer()
    children = RowSerializer(many=True)
    targets = TargetSerializer(many=True)


class PersonRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField()
    ars = serializers.CharField(allow_null=True)
    highest_level = serializers.CharField(help_text="keine, Grundlagen, Fortgeschritten oder Expertise")
    enrolments = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completed = serializers.IntegerField()


class PeoplePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = PersonRowSerializer(many=True)
