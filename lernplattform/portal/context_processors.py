"""The language of the platform's content, for pages whose interface is switched to another language."""

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def content_language(request):
    """``content_lang``: ` lang="de"` for elements holding editorial content while the interface is not German.

    Courses, lessons and questions are written in German only; with the interface in English, their
    text must still be announced as German (WCAG 3.1.2), and the page says it is untranslated.
    """
    content = settings.CONTENT_LANGUAGE
    if (get_language() or content).split("-")[0] == content:
        return {"content_lang": ""}
    return {"content_lang": mark_safe(f' lang="{content}"')}  # noqa: S308 - a fixed setting, not user input
