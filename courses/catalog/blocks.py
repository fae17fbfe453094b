"""Generic content blocks of the catalogue; the lesson blocks live in courses.lessons.blocks.

`RichTextContentBlock` stays here: the catalogue's migrations name it by this path.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "code"]


class RichTextContentBlock(blocks.RichTextBlock):
    """Text with headings, lists and links."""

    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/rich_text.html"
        preview_value = (
            "<h2>Die Grundsätze der DSGVO</h2><p>Artikel 5 nennt die Grundsätze, an denen sich jede "
            "Verarbeitung messen lassen muss, etwa <b>Zweckbindung</b> und <b>Datenminimierung</b>.</p>"
        )
        description = _("Fließtext mit Zwischenüberschriften, Listen und Links.")


def stream_plain_text(stream_value) -> str:
    """The readable words of a lesson body, for reading time and search; no database access."""
    from django.utils.html import strip_tags

    parts: list[str] = []
    for item in stream_value.raw_data:
        value = item.get("value")
        if isinstance(value, str):
            parts.append(strip_tags(value))
        elif isinstance(value, dict):
            for key in ("title", "text", "term", "definition", "caption", "description", "transcript"):
                if isinstance(value.get(key), str):
                    parts.append(strip_tags(value[key]))
    return " ".join(" ".join(parts).split())
