from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from lernplattform.accounts.selectors import user_is_platform_admin

from .admin_views import H5PLibrariesView, H5PLibraryUpgradeView, H5PResultsView, H5PUploadView
from .models import H5PContent
from .services import H5PContentInUseError, h5p_content_delete


class H5PContentDeleteView(DeleteView):
    """Deletes through the service, so files go too and items still in use stay."""

    def form_valid(self, form):
        try:
            h5p_content_delete(content=self.object)
        except H5PContentInUseError as exc:
            messages.error(self.request, str(exc))
            return redirect(self.index_url_name)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class H5PContentViewSet(SnippetViewSet):
    """H5P items as snippets: listed, chosen in pages and blocks; "add" is the upload form."""

    model = H5PContent
    icon = "media"
    menu_label = _("H5P-Inhalte")
    add_to_admin_menu = True
    menu_order = 250
    list_display = [
        "title",
        Column("main_library", label=_("Inhaltstyp")),
        Column("license_display", label=_("Lizenz")),
        Column("authors_display", label=_("Urheber*innen")),
        "created_at",
    ]
    search_fields = ["title"]
    delete_view_class = H5PContentDeleteView

    @property
    def add_view(self):
        return H5PUploadView.as_view(index_url_name=self.get_url_name("list"))


register_snippet(H5PContentViewSet)


@hooks.register("register_admin_urls")
def register_h5p_admin_urls():
    return [
        path("h5p/ergebnisse/", H5PResultsView.as_view(), name="h5p_results"),
        path("h5p/bibliotheken/", H5PLibrariesView.as_view(), name="h5p_libraries"),
        path("h5p/bibliotheken/aktualisierung/<int:pk>/", H5PLibraryUpgradeView.as_view(), name="h5p_library_upgrade"),
    ]


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_authenticated and user_is_platform_admin(user=request.user)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return MenuItem(_("H5P-Ergebnisse"), reverse("h5p_results"), icon_name="list-ul", order=260)


@hooks.register("register_admin_menu_item")
def register_libraries_menu_item():
    return PlatformAdminMenuItem(_("H5P-Bibliotheken"), reverse("h5p_libraries"), icon_name="cogs", order=270)
