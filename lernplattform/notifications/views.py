"""A person's choice of messages: the preferences page and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lernplattform.core.errors import ApplicationError

from .registry import kind_exists, kind_get
from .selectors import user_notification_choices
from .services import unsubscribe_token_read, user_opt_out_set


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Which kinds of message a person receives; mandatory ones are listed but cannot be switched off."""
    choices = user_notification_choices(user=request.user)
    if request.method == "POST":
        wanted = set(request.POST.getlist("kinds"))
        for choice in choices:
            if not choice.kind.mandatory:
                user_opt_out_set(user=request.user, kind=choice.kind.code, opted_out=choice.kind.code not in wanted)
        messages.success(request, _("Ihre Einstellungen zu Benachrichtigungen sind gespeichert."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"choices": choices})


# The link in the message is the credential (signed, names person and kind); mail clients POST to it
# without a session or CSRF token (RFC 8058 "List-Unsubscribe=One-Click"). GET only asks, so link
# scanners that fetch every URL in a message unsubscribe nobody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    read = unsubscribe_token_read(token=token)
    user = get_user_model().objects.filter(pk=read[0], is_active=True).first() if read else None
    if read is None or user is None or not kind_exists(read[1]):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = kind_get(read[1])
    context = {"kind": kind, "token": token, "done": False, "error": ""}
    if request.method == "POST":
        try:
            user_opt_out_set(user=user, kind=kind.code, opted_out=True)
        except ApplicationError as error:
            context["error"] = error.message
        else:
            context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
