# LessonPage moves here from courses.catalog (issue 11). The table catalog_lessonpage stays (state
# only), and the content type row is renamed so that pages, revisions, workflow states and
# references pointing to it keep working.

import courses.assessment.blocks
import django.core.validators
import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def _rename_content_type(apps, *, old_label: str, new_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label=new_label, model="lessonpage").exists():
        return
    content_type.objects.filter(app_label=old_label, model="lessonpage").update(app_label=new_label)


def content_type_to_lessons(apps, schema_editor):
    _rename_content_type(apps, old_label="catalog", new_label="lessons")


def content_type_to_catalog(apps, schema_editor):
    _rename_content_type(apps, old_label="lessons", new_label="catalog")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0006_delete_lessonpage'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='LessonPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('is_required', models.BooleanField(default=True, help_text='Pflichtaktivitäten müssen für den Kursabschluss erledigt sein.', verbose_name='Pflichtaktivität')),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='Einleitung')),
                ('body', wagtail.fields.StreamField([('rich_text', 0), ('image', 4), ('video', 10), ('document', 14), ('callout', 18), ('glossary_term', 21), ('practice_questions', 25), ('h5p', 28)], blank=True, block_lookup={0: ('courses.catalog.blocks.RichTextContentBlock', (), {}), 1: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Bild'}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'Beschreibt, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können.', 'label': 'Alternativtext', 'max_length': 300}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Bildunterschrift', 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('image', 1), ('alt_text', 2), ('caption', 3)]], {}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Titel', 'max_length': 200}), 6: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Videodatei (MP4 oder WebM)'}), 7: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'help_text': 'Eine .vtt-Datei mit Untertiteln ist Pflicht, damit das Video barrierefrei ist.', 'label': 'Untertitel (WebVTT)'}), 8: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('de', 'Deutsch'), ('de-x-ls', 'Leichte Sprache'), ('en', 'Englisch')], 'label': 'Sprache der Untertitel'}), 9: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link'], 'label': 'Transkript', 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('title', 5), ('video', 6), ('captions', 7), ('captions_language', 8), ('transcript', 9)]], {}), 11: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Dokument'}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'Leer: Titel des Dokuments.', 'label': 'Linktext', 'max_length': 200, 'required': False}), 13: ('wagtail.blocks.TextBlock', (), {'label': 'Beschreibung', 'max_length': 500, 'required': False}), 14: ('wagtail.blocks.StructBlock', [[('document', 11), ('title', 12), ('description', 13)]], {}), 15: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('tip', 'Tipp'), ('warning', 'Achtung'), ('info', 'Hinweis')], 'label': 'Art'}), 16: ('wagtail.blocks.CharBlock', (), {'label': 'Überschrift', 'max_length': 150, 'required': False}), 17: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'code'], 'label': 'Text'}), 18: ('wagtail.blocks.StructBlock', [[('kind', 15), ('title', 16), ('text', 17)]], {}), 19: ('wagtail.blocks.CharBlock', (), {'label': 'Begriff', 'max_length': 150}), 20: ('wagtail.blocks.TextBlock', (), {'label': 'Erklärung', 'max_length': 1000}), 21: ('wagtail.blocks.StructBlock', [[('term', 19), ('definition', 20)]], {}), 22: ('wagtail.blocks.CharBlock', (), {'default': 'Zum Üben', 'label': 'Überschrift', 'max_length': 150, 'required': False}), 23: ('wagtail.blocks.ChoiceBlock', [], {'choices': courses.assessment.blocks.question_choices, 'label': 'Frage'}), 24: ('wagtail.blocks.ListBlock', (23,), {'label': 'Fragen', 'max_num': 10, 'min_num': 1}), 25: ('wagtail.blocks.StructBlock', [[('title', 22), ('questions', 24)]], {}), 26: ('wagtail.blocks.CharBlock', (), {'label': 'Überschrift', 'required': False}), 27: ('wagtail.snippets.blocks.SnippetChooserBlock', ('h5p.H5PContent',), {'label': 'H5P-Inhalt'}), 28: ('wagtail.blocks.StructBlock', [[('heading', 26), ('content', 27)]], {})}, verbose_name='Inhalt')),
                ('completion_mode', models.CharField(choices=[('viewed', 'Mit dem Aufrufen erledigt'), ('done', 'Lernende markieren sie als erledigt')], default='viewed', help_text='Wann die Lektion für den Kursfortschritt als erledigt zählt.', max_length=10, verbose_name='Abschluss der Lektion')),
                ('estimated_minutes', models.PositiveIntegerField(blank=True, help_text='Leer: aus der Textlänge berechnet.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(600)], verbose_name='Bearbeitungszeit (Minuten)')),
            ],
            options={
                'verbose_name': 'Lektion',
                'verbose_name_plural': 'Lektionen',
                'db_table': 'catalog_lessonpage',
            },
            bases=('wagtailcore.page',),
        ),
            ],
        ),
        migrations.RunPython(content_type_to_lessons, content_type_to_catalog),
    ]
