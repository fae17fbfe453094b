# The question bank moves here from courses.assessment (issue 11, docs/adr/0014-bank-in-questions.md).
# State only: the tables keep their names (assessment_question ...; Meta.db_table), so no row moves.
# assessment 0014 then removes the models from assessment's state, repoints the quiz models' foreign
# keys and renames the content types.

import django.db.models.deletion
import django.utils.timezone
import taggit.managers
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("assessment", "0013_question_type_randomsamatch"),
        ('catalog', '0006_delete_lessonpage'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='QuestionCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('path', models.CharField(max_length=255, unique=True)),
                        ('depth', models.PositiveIntegerField()),
                        ('numchild', models.PositiveIntegerField(default=0)),
                        ('name', models.CharField(max_length=255, verbose_name='Name')),
                        ('description', models.TextField(blank=True, verbose_name='Beschreibung')),
                        ('description_format', models.CharField(choices=[('html', 'html'), ('moodle_auto_format', 'moodle_auto_format'), ('plain_text', 'plain_text'), ('markdown', 'markdown')], default='html', max_length=20, verbose_name='Format der Beschreibung')),
                        ('idnumber', models.CharField(blank=True, max_length=100, verbose_name='ID-Nummer')),
                        ('is_practice', models.BooleanField(default=False, help_text='Fragen dieser Kategorie dürfen in Lektionen zum Üben erscheinen (mit Lösung). Tests dürfen daraus keine Fragen ziehen.', verbose_name='Für Übungsfragen')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('course', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='question_categories', to='catalog.coursepage', verbose_name='Kurs')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='question_categories', to=settings.AUTH_USER_MODEL, verbose_name='Eigentümer/in')),
                    ],
                    options={
                        'verbose_name': 'Fragenkategorie',
                        'verbose_name_plural': 'Fragenkategorien',
                        'db_table': 'assessment_questioncategory',
                    },
                ),
                migrations.CreateModel(
                    name='Question',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_archived', models.BooleanField(default=False, verbose_name='Archiviert')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='questions.questioncategory', verbose_name='Kategorie')),
                    ],
                    options={
                        'verbose_name': 'Frage',
                        'verbose_name_plural': 'Fragen',
                        'db_table': 'assessment_question',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='QuestionImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=255, verbose_name='Datei')),
                        ('file_format', models.CharField(max_length=20, verbose_name='Format')),
                        ('content', models.BinaryField(verbose_name='Inhalt')),
                        ('skip_unsupported', models.BooleanField(default=False)),
                        ('status', models.CharField(choices=[('pending', 'Wartet'), ('done', 'Importiert'), ('failed', 'Abgelehnt')], default='pending', max_length=10, verbose_name='Status')),
                        ('report', models.JSONField(blank=True, default=dict, verbose_name='Bericht')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='questions.questioncategory')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'Fragen-Import',
                        'verbose_name_plural': 'Fragen-Importe',
                        'db_table': 'assessment_questionimport',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='QuestionVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='Version')),
                        ('qtype', models.CharField(choices=[('multichoice', 'Multiple Choice'), ('multichoiceset', 'Multiple Choice (alles oder nichts)'), ('truefalse', 'Wahr/Falsch'), ('shortanswer', 'Kurzantwort'), ('numerical', 'Numerisch'), ('calculatedsimple', 'Einfach berechnet'), ('calculated', 'Berechnet'), ('matching', 'Zuordnung'), ('ordering', 'Anordnung'), ('cloze', 'Lückentext (Cloze)'), ('gapselect', 'Lückentext-Auswahl'), ('ddwtos', 'Drag-and-Drop auf Text (per Auswahlliste)'), ('randomsamatch', 'Zufällige Kurzantwortzuordnung'), ('essay', 'Freitext'), ('description', 'Beschreibung')], max_length=20, verbose_name='Fragetyp')),
                        ('name', models.CharField(max_length=255, verbose_name='Name')),
                        ('text', models.TextField(blank=True, verbose_name='Fragetext')),
                        ('default_mark', models.DecimalField(decimal_places=4, default=Decimal('1'), max_digits=9, verbose_name='Punkte')),
                        ('data', models.JSONField(verbose_name='Inhalt')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='questions.question')),
                    ],
                    options={
                        'verbose_name': 'Fragenversion',
                        'verbose_name_plural': 'Fragenversionen',
                        'db_table': 'assessment_questionversion',
                        'ordering': ['question_id', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='QuestionEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('created', 'Angelegt'), ('edited', 'Neue Version'), ('moved', 'Verschoben'), ('archived', 'Archiviert'), ('restored', 'Wiederhergestellt'), ('copied', 'Kopiert'), ('tagged', 'Schlagwörter geändert'), ('released', 'Freigegeben'), ('category_created', 'Kategorie angelegt'), ('category_changed', 'Kategorie geändert'), ('category_deleted', 'Kategorie gelöscht')], max_length=20, verbose_name='Art')),
                        ('source', models.CharField(choices=[('admin', 'Verwaltungsoberfläche'), ('api', 'REST-API'), ('import', 'Import'), ('command', 'Kommandozeile'), ('release', 'Kursfreigabe'), ('seed', 'Demodaten'), ('system', 'System')], max_length=10, verbose_name='Weg')),
                        ('details', models.JSONField(blank=True, default=dict, verbose_name='Einzelheiten')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='Zeitpunkt')),
                        ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='questions.questioncategory', verbose_name='Kategorie')),
                        ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='questions.question', verbose_name='Frage')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Person')),
                        ('version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='questions.questionversion', verbose_name='Version')),
                    ],
                    options={
                        'verbose_name': 'Änderung in der Fragensammlung',
                        'verbose_name_plural': 'Änderungen in der Fragensammlung',
                        'db_table': 'assessment_questionevent',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='question',
                    name='current_version',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='questions.questionversion', verbose_name='Aktuelle Version'),
                ),
                migrations.CreateModel(
                    name='TaggedQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='questions.question')),
                        ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
                    ],
                    options={
                        'db_table': 'assessment_taggedquestion',
                    },
                ),
                migrations.AddField(
                    model_name='question',
                    name='tags',
                    field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='questions.TaggedQuestion', to='taggit.Tag', verbose_name='Schlagwörter'),
                ),
                migrations.AddConstraint(
                    model_name='questioncategory',
                    constraint=models.CheckConstraint(condition=models.Q(('course__isnull', True), ('owner__isnull', True), _connector='OR'), name='assessment_category_one_owner'),
                ),
                migrations.AddConstraint(
                    model_name='questionversion',
                    constraint=models.UniqueConstraint(fields=('question', 'number'), name='assessment_version_unique_number'),
                ),
                migrations.AddConstraint(
                    model_name='questionversion',
                    constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='assessment_version_number_positive'),
                ),
                migrations.AddIndex(
                    model_name='questionevent',
                    index=models.Index(fields=['question', 'created_at'], name='assessment_event_question'),
                ),
            ],
        ),
    ]
