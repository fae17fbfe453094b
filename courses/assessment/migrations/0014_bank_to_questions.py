# The question bank's models moved to courses.questions (issue 11, docs/adr/0014-bank-in-questions.md):
# this app's state lets go of them and its quiz models point at questions.* (state only: the tables and
# their foreign keys stay as they are). The content type rows assessment.question* become
# questions.question*, so permissions (and any group holding them), log entries and references that
# name a bank model keep pointing at it.

import django.db.models.deletion
from django.db import migrations, models

BANK_MODELS = (
    "questioncategory",
    "taggedquestion",
    "question",
    "questionversion",
    "questionimport",
    "questionevent",
)


def _rename_content_types(apps, *, old_label: str, new_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=new_label, model__in=BANK_MODELS).values_list("model", flat=True))
    content_type.objects.filter(app_label=old_label, model__in=set(BANK_MODELS) - taken).update(app_label=new_label)


def content_types_to_questions(apps, schema_editor):
    _rename_content_types(apps, old_label="assessment", new_label="questions")


def content_types_to_assessment(apps, schema_editor):
    _rename_content_types(apps, old_label="questions", new_label="assessment")


class Migration(migrations.Migration):

    dependencies = [
        ("assessment", "0013_question_type_randomsamatch"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='question',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='question',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='question',
                    name='current_version',
                ),
                migrations.RemoveField(
                    model_name='question',
                    name='tags',
                ),
                migrations.AlterField(
                    model_name='quizquestionrule',
                    name='question',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questions.question', verbose_name='Feste Frage'),
                ),
                migrations.RemoveField(
                    model_name='questionevent',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='questionversion',
                    name='question',
                ),
                migrations.AlterField(
                    model_name='quizquestionrelease',
                    name='question',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quiz_releases', to='questions.question'),
                ),
                migrations.RemoveField(
                    model_name='taggedquestion',
                    name='content_object',
                ),
                migrations.RemoveField(
                    model_name='questioncategory',
                    name='course',
                ),
                migrations.RemoveField(
                    model_name='questioncategory',
                    name='owner',
                ),
                migrations.AlterField(
                    model_name='quizquestionrule',
                    name='category',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questions.questioncategory', verbose_name='Zufällig aus Kategorie'),
                ),
                migrations.RemoveField(
                    model_name='questionevent',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='questionimport',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='questionevent',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='questionevent',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='questionimport',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='questionversion',
                    name='created_by',
                ),
                migrations.AlterField(
                    model_name='quizquestionrelease',
                    name='version',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questions.questionversion', verbose_name='Freigegebene Version'),
                ),
                migrations.AlterField(
                    model_name='attemptslot',
                    name='question_version',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questions.questionversion', verbose_name='Fragenversion'),
                ),
                migrations.RemoveField(
                    model_name='taggedquestion',
                    name='tag',
                ),
                migrations.DeleteModel(
                    name='Question',
                ),
                migrations.DeleteModel(
                    name='QuestionCategory',
                ),
                migrations.DeleteModel(
                    name='QuestionEvent',
                ),
                migrations.DeleteModel(
                    name='QuestionImport',
                ),
                migrations.DeleteModel(
                    name='QuestionVersion',
                ),
                migrations.DeleteModel(
                    name='TaggedQuestion',
                ),
            ],
        ),
        migrations.RunPython(content_types_to_questions, content_types_to_assessment),
    ]
