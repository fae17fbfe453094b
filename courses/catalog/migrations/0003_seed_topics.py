"""The three topics of the competence centre exist from the start (the issue: topics are seeded)."""

from django.db import migrations

TOPICS = [
    ("datenmanagement", "Datenmanagement"),
    ("organisationsentwicklung-und-change", "Organisationsentwicklung und Change"),
    ("standards-und-interoperabilitaet", "Standards und Interoperabilität"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("catalog", "Topic")
    for slug, name in TOPICS:
        if not Topic.objects.filter(slug=slug).exists() and not Topic.objects.filter(name=name).exists():
            Topic.objects.create(slug=slug, name=name)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_course_fields_catalogue_lesson_blocks")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
