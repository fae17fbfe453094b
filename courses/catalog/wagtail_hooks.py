"""Admin registrations of the catalogue: topics and course assignments as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themenfelder")
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(TopicViewSet)
