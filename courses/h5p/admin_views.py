"""Wagtail admin views: upload of .h5p files and the trainer's results view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lernplattform.accounts.selectors import user_is_platform_admin
from lernplattform.core.errors import ApplicationError

from .forms import H5PUploadForm
from .models import H5PActivityPage, H5PLibraryUpgrade
from .selectors import (
    h5p_libraries_overview,
    h5p_library_upgrade_diff,
    h5p_library_upgrade_messages,
    h5p_library_upgrades_pending,
    h5p_library_usage,
    h5p_pages_for_trainer,
    h5p_results_for_page,
)
from .services import h5p_library_upgrade_install, h5p_library_upgrade_reject


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
        for text in h5p_library_upgrade_messages(content=content):
            messages.warning(self.request, text)
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


class _PlatformAdminOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not user_is_platform_admin(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class H5PLibrariesView(_PlatformAdminOnly, WagtailAdminTemplateMixin, TemplateView):
    """Platform admins: installed libraries and the upgrades that uploads brought, waiting for approval."""

    template_name = "h5p/admin/libraries.html"
    page_title = gettext_lazy("H5P-Bibliotheken")
    header_icon = "cogs"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "libraries": h5p_libraries_overview(),
            "upgrades": h5p_library_upgrades_pending(),
        }


class H5PLibraryUpgradeView(_PlatformAdminOnly, WagtailAdminTemplateMixin, TemplateView):
    """One pending upgrade: the diff, who uses the library; install or reject."""

    template_name = "h5p/admin/library_upgrade.html"
    page_title = gettext_lazy("Bibliothek aktualisieren")
    header_icon = "cogs"

    def get_upgrade(self) -> H5PLibraryUpgrade:
        return get_object_or_404(
            H5PLibraryUpgrade.objects.select_related("library", "uploaded_by", "source_content", "decided_by"),
            pk=self.kwargs["pk"],
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("h5p_libraries"), "label": _("H5P-Bibliotheken")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        upgrade = self.get_upgrade()
        return {
            **super().get_context_data(**kwargs),
            "upgrade": upgrade,
            "diff": h5p_library_upgrade_diff(upgrade=upgrade),
            "usage": h5p_library_usage(library=upgrade.library),
            "is_pending": upgrade.status == H5PLibraryUpgrade.Status.PENDING,
        }

    def post(self, request, *args, **kwargs):
        upgrade = self.get_upgrade()
        action = request.POST.get("aktion")
        try:
            if action == "installieren":
                library = h5p_library_upgrade_install(upgrade_id=upgrade.pk, user=request.user)
                messages.success(
                    request,
                    _("%(library)s ist installiert und gilt ab sofort für alle Inhalte, die sie verwenden.")
                    % {"library": library},
                )
            elif action == "ablehnen":
                h5p_library_upgrade_reject(upgrade_id=upgrade.pk, user=request.user)
                messages.success(
                    request,
                    _("Die Aktualisierung auf %(library)s wurde abgelehnt; die installierte Version bleibt.")
                    % {"library": upgrade},
                )
            else:
                messages.error(request, _("Bitte wählen Sie „Installieren“ oder „Ablehnen“."))
                return redirect("h5p_library_upgrade", pk=upgrade.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("h5p_library_upgrade", pk=upgrade.pk)
        return redirect("h5p_libraries")


__all__ = ["H5PActivityPage", "H5PLibrariesView", "H5PLibraryUpgradeView", "H5PResultsView", "H5PUploadView"]
