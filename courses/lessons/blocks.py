"""StreamField blocks of lessons: small, named for what editors get, each with a template and a preview."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from courses.assessment.blocks import PracticeQuestionsBlock
from courses.catalog.blocks import RichTextContentBlock
from courses.h5p.blocks import H5PBlock

CALLOUT_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "code"]
VIDEO_EXTENSIONS = {".mp4", ".webm"}
CAPTION_EXTENSIONS = {".vtt"}


def _extension(document) -> str:
    return PurePosixPath(document.file.name if document and document.file else "").suffix.lower()


class ImageBlock(blocks.StructBlock):
    """An image with a mandatory text alternative and an optional caption."""

    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=300,
        help_text=_("Beschreibt, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=300)

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Bitte geben Sie einen Alternativtext an."))}
            )
        return value

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "blocks/image.html"
        description = _("Ein Bild mit Alternativtext (Pflicht) und Bildunterschrift.")


class VideoBlock(blocks.StructBlock):
    """A self-hosted video with a WebVTT captions track and an optional transcript."""

    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    video = DocumentChooserBlock(label=_("Videodatei (MP4 oder WebM)"))
    captions = DocumentChooserBlock(
        label=_("Untertitel (WebVTT)"),
        help_text=_("Eine .vtt-Datei mit Untertiteln ist Pflicht, damit das Video barrierefrei ist."),
    )
    captions_language = blocks.ChoiceBlock(
        label=_("Sprache der Untertitel"),
        choices=[("de", _("Deutsch")), ("de-x-ls", _("Leichte Sprache")), ("en", _("Englisch"))],
        default="de",
    )
    transcript = blocks.RichTextBlock(
        label=_("Transkript"), required=False, features=["bold", "italic", "ol", "ul", "link"]
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if _extension(value.get("video")) not in VIDEO_EXTENSIONS:
            errors["video"] = ValidationError(_("Bitte wählen Sie eine Videodatei im Format MP4 oder WebM."))
        if _extension(value.get("captions")) not in CAPTION_EXTENSIONS:
            errors["captions"] = ValidationError(_("Bitte wählen Sie eine Untertiteldatei im Format WebVTT (.vtt)."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"
        description = _("Ein Video mit Untertiteln im WebVTT-Format und optionalem Transkript.")


class DocumentDownloadBlock(blocks.StructBlock):
    """A file to download, with a short description of what it contains."""

    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(
        label=_("Linktext"), required=False, max_length=200, help_text=_("Leer: Titel des Dokuments.")
    )
    description = blocks.TextBlock(label=_("Beschreibung"), required=False, max_length=500)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "blocks/document_download.html"
        description = _("Eine Datei zum Herunterladen, etwa eine Checkliste oder Vorlage.")


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a tip, a warning or a note."""

    kind = blocks.ChoiceBlock(
        label=_("Art"),
        choices=[("tip", _("Tipp")), ("warning", _("Achtung")), ("info", _("Hinweis"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=150)
    text = blocks.RichTextBlock(label=_("Text"), features=CALLOUT_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Hinweisbox")
        template = "blocks/callout.html"
        preview_value = {
            "kind": "tip",
            "title": "Datenschutzbeauftragte früh einbinden",
            "text": "<p>Beteiligen Sie den Datenschutz schon bei der Planung eines Verfahrens.</p>",
        }
        description = _("Ein hervorgehobener Tipp, eine Warnung oder ein Hinweis.")


class GlossaryTermBlock(blocks.StructBlock):
    """A term and its definition, marked up as a definition."""

    term = blocks.CharBlock(label=_("Begriff"), max_length=150)
    definition = blocks.TextBlock(label=_("Erklärung"), max_length=1000)

    class Meta:
        icon = "help"
        label = _("Glossarbegriff")
        template = "blocks/glossary_term.html"
        preview_value = {
            "term": "Metadaten",
            "definition": "Daten über Daten: Sie beschreiben einen Datenbestand, etwa Titel, Lizenz und Format.",
        }
        description = _("Ein Fachbegriff mit kurzer Erklärung.")


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a lesson may contain; practice questions and H5P count through the lesson."""

    rich_text = RichTextContentBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentDownloadBlock()
    callout = CalloutBlock()
    glossary_term = GlossaryTermBlock()
    practice_questions = PracticeQuestionsBlock()
    # The H5P results API recognises embedded items by this block name.
    h5p = H5PBlock()
