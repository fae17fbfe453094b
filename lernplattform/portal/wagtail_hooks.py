from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BarrierReport


class BarrierReportViewSet(SnippetViewSet):
    """Reported barriers, for the platform admins to work through."""

    model = BarrierReport
    icon = "warning"
    menu_label = _("Barriere-Meldungen")
    add_to_admin_menu = True
    list_display = ["created_at", "page_url", "email", "resolved_at"]
    list_filter = ["resolved_at"]


register_snippet(BarrierReportViewSet)
