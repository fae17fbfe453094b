"""The template editor of the Wagtail admin: only placeholders the kind offers, HTML cleaned."""

from __future__ import annotations

import nh3
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel

from lernplattform.core.errors import ValidationFailed

from .models import NotificationTemplate
from .registry import kind_exists, kind_get, kinds_all
from .services import template_validate

# What an e-mail may contain: text formatting, links, lists, tables, images by URL. No script, style
# or event attributes (mail clients drop them anyway; our preview must not run them).
HTML_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "hr", "i", "img", "li", "ol", "p",
    "pre", "small", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip


class NotificationTemplateForm(WagtailAdminModelForm):
    kind = forms.ChoiceField(label=_("Art"))

    class Meta:
        model = NotificationTemplate
        fields = ["kind", "subject", "text", "html"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(NotificationTemplate.objects.exclude(pk=self.instance.pk).values_list("kind", flat=True))
        self.fields["kind"].choices = [("", "---------")] + [
            (kind.code, kind.label) for kind in kinds_all() if kind.code not in taken
        ]
        for name in ("subject", "text"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Leer lassen, um die Standardformulierung dieser Art zu übernehmen.")

    def clean(self):
        data = super().clean()
        code = data.get("kind")
        if not code or not kind_exists(code):
            return data
        kind = kind_get(code)
        data["subject"] = data.get("subject") or str(kind.default_subject)
        data["text"] = data.get("text") or str(kind.default_text)
        data["html"] = (
            nh3.clean(data.get("html") or "", tags=HTML_TAGS, link_rel="noopener noreferrer")
            if (data.get("html") or "").strip()
            else ""
        )
        try:
            template_validate(kind_code=code, subject=data["subject"], text=data["text"], html=data["html"])
        except ValidationFailed as error:
            for field, message in error.extra.get("fields", {}).items():
                self.add_error(field, message)
        return data


class PlaceholderPanel(Panel):
    """Lists the placeholders (and default wording) of the kind being edited, or of every kind."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "notifications/admin/placeholder_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            code = getattr(self.instance, "kind", "")
            kinds = [kind_get(code)] if code and kind_exists(code) else kinds_all()
            context["kinds"] = [{"kind": kind, "placeholders": sorted(kind.all_placeholders.items())} for kind in kinds]
            return context
