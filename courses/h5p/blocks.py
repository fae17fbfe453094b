"""StreamField block for lessons: an H5P item played inline (counts through its lesson)."""

from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class H5PBlock(blocks.StructBlock):
    """An interactive H5P item inside a lesson, played in the sandboxed player."""

    heading = blocks.CharBlock(label=_("Überschrift"), required=False)
    content = SnippetChooserBlock("h5p.H5PContent", label=_("H5P-Inhalt"))

    class Meta:
        icon = "media"
        label = _("H5P-Inhalt")
        template = "blocks/h5p_block.html"
        # No preview_value: a preview needs a real uploaded item.

    def get_context(self, value, parent_context=None):
        from .selectors import h5p_player_config

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        request = parent_context.get("request")
        item = value.get("content")
        if page is not None and request is not None and item is not None and page.pk:
            get_token(request)  # the relay script posts with the CSRF cookie
            context["player"] = h5p_player_config(page=page, content=item, user=request.user)
            context["player_id"] = f"h5p-player-{page.pk}-{item.pk}"
        return context
