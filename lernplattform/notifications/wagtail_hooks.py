"""Wagtail admin for platform admins: the outbox (sent, pending, failed, with a retry) and the templates."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lernplattform.core.errors import ApplicationError

from .forms import NotificationTemplateForm, PlaceholderPanel
from .models import Notification, NotificationTemplate
from .registry import kind_exists, kind_get, kinds_all
from .selectors import outbox_counts
from .services import notification_retry


def _kind_choices():
    return [(kind.code, kind.label) for kind in kinds_all()]


def kind_label(code: str) -> str:
    return str(kind_get(code).label) if code and kind_exists(code) else (code or _("Einzelnachricht"))


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Notification.Status.choices)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Art"), choices=_kind_choices)
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Angelegt"), widget=DateRangePickerWidget)
    recipients = django_filters.CharFilter(label=gettext_lazy("Empfänger/in"), lookup_expr="icontains")

    class Meta:
        model = Notification
        fields = ["status", "kind", "created_at", "recipients"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The outbox is a record: it can be viewed (and a message retried), never edited or deleted by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def user_may_retry(user) -> bool:
    return user.is_active and user.has_perm("notifications.change_notification")


class KindColumn(Column):
    def get_value(self, instance):
        return kind_label(instance.kind or instance.topic)


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class OutboxViewSet(ModelViewSet):
    """Every e-mail the platform sent or will send; failed ones (dead letters) can be sent again."""

    model = Notification
    icon = "mail"
    menu_label = gettext_lazy("Postausgang")
    menu_name = "outbox"
    url_prefix = "postausgang"
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["subject"]  # required by ModelViewSet; the policy denies add and edit
    filterset_class = OutboxFilterSet
    search_fields = ["subject", "recipients"]
    list_display = [
        "subject",
        KindColumn("kind", label=gettext_lazy("Art")),
        "recipients",
        StatusColumn("status", label=gettext_lazy("Status")),
        "attempts",
        "failures",
        DateColumn("created_at", label=gettext_lazy("Angelegt")),
        DateColumn("sent_at", label=gettext_lazy("Versendet")),
    ]
    inspect_view_fields = [
        "kind",
        "dedupe_key",
        "recipients",
        "subject",
        "body",
        "status",
        "message_id",
        "created_at",
        "send_after",
        "sent_at",
        "attempts",
        "failures",
        "last_error",
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", self.retry_view, name="retry")]

    @property
    def index_view_class(self):
        viewset = self
        base = super().index_view_class

        class OutboxIndexView(base):
            def get_list_buttons(self, instance):
                buttons = super().get_list_buttons(instance)
                if instance.status in (Notification.Status.FAILED, Notification.Status.PENDING) and user_may_retry(
                    self.request.user
                ):
                    buttons.append(
                        ListingButton(
                            _("Erneut senden"),
                            url=reverse(viewset.get_url_name("retry"), args=[instance.pk]),
                            icon_name="resubmit",
                            priority=5,
                        )
                    )
                return buttons

            @property
            def header_buttons(self):
                counts = outbox_counts()
                index = reverse(viewset.get_url_name("index"))
                return [
                    HeaderButton(
                        f"{label}: {counts[status]}", url=f"{index}?status={status}", icon_name="list-ul", priority=i
                    )
                    for i, (status, label) in enumerate(Notification.Status.choices)
                ]

        return OutboxIndexView

    def retry_view(self, request, pk):
        if not user_may_retry(request.user):
            raise PermissionDenied
        notification = get_object_or_404(Notification, pk=pk)
        index = reverse(self.get_url_name("index"))
        if request.method == "POST":
            try:
                notification_retry(notification_id=notification.pk)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("„%(subject)s“ wird erneut gesendet.") % {"subject": notification.subject})
            return redirect(index)
        return TemplateResponse(
            request,
            "notifications/admin/retry_confirm.html",
            {"notification": notification, "kind": kind_label(notification.kind), "index_url": index},
        )


class NotificationTemplateViewSet(SnippetViewSet):
    """The wording of each kind of message, in German; only declared placeholders are accepted."""

    model = NotificationTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Nachrichtenvorlagen")
    menu_name = "notification_templates"
    url_prefix = "nachrichtenvorlagen"
    add_to_admin_menu = True
    menu_order = 901
    list_display = ["__str__", "kind", "subject", DateColumn("updated_at", label=gettext_lazy("Geändert"))]
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            PlaceholderPanel(heading=gettext_lazy("Platzhalter dieser Art")),
            FieldPanel("subject"),
            FieldPanel("text"),
            FieldPanel("html"),
        ],
        base_form_class=NotificationTemplateForm,
    )


register_permission_policy(Notification, ReadOnlyPolicy(Notification))
register_snippet(NotificationTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_outbox():
    return OutboxViewSet("notifications_outbox")
