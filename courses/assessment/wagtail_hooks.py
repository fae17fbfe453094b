from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.questions.selectors import user_may_manage_bank

from . import admin_urls


class BankMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_manage_bank(user=request.user)


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [path("fragen/", include(admin_urls, namespace="assessment_admin"))]


@hooks.register("register_admin_menu_item")
def register_bank_menu_item():
    return BankMenuItem(_("Fragensammlung"), reverse("assessment_admin:index"), icon_name="help", order=250)
