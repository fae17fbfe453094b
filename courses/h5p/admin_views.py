"""Wagtail admin views: upload of .h5p files and the trainer's results view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import H5PUploadForm
from .models import H5PActivityPage
from .selectors import h5p_pages_for_trainer, h5p_results_for_page


class H5PUploadView(WagtailAdminTemplateMixin, FormView):
    form_class = H5PUploadForm
    template_name = "h5p/admin/upload.html"
    page_title = gettext_lazy("H5P-Inhalt hochladen")
    header_icon = "media"
    index_url_name = "wagtailsnippets_h5p_h5pcontent:list"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("h5p.add_h5pcontent"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("H5P-Inhalte")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        content = form.content
        messages.success(
            self.request,
            _("H5P-Inhalt „%(title)s“ hochgeladen (%(library)s, Lizenz: %(license)s).")
            % {"title": content.title, "library": content.main_library, "license": content.license_display or "–"},
        )
        return redirect(self.index_url_name)


class H5PResultsView(WagtailAdminTemplateMixin, TemplateView):
    """Trainers see the H5P results in courses they may edit; nobody else's courses."""

    template_name = "h5p/admin/results.html"
    page_title = gettext_lazy("H5P-Ergebnisse")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = h5p_pages_for_trainer(user=self.request.user)
        selected = None
        page_id = self.request.GET.get("seite")
        if page_id:
            selected = next((p for p in pages if str(p.pk) == page_id), None)
            if selected is None:
                raise Http404
        elif pages:
            selected = pages[0]
        context.update(
            pages=pages,
            selected=selected,
            results=h5p_results_for_page(page=selected) if selected else [],
        )
        return context

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


__all__ = ["H5PActivityPage", "H5PResultsView", "H5PUploadView"]
