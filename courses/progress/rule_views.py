"""Pages of enrolment rules for organisation admins: list, create, preview, switch on, end."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.catalog.models import CoursePage
from lernplattform.accounts.selectors import organisations_in_scope
from lernplattform.core.errors import ApplicationError

from . import rule_services
from .forms import EnrolmentRuleForm
from .models import EnrolmentRule


def _require_admin(request: HttpRequest) -> None:
    if not organisations_in_scope(viewer=request.user).exists():
        raise PermissionDenied


def _rules_in_scope(request: HttpRequest):
    scope = organisations_in_scope(viewer=request.user)
    return EnrolmentRule.objects.filter(organisation__in=scope).select_related("organisation", "course", "path")


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    rules = _rules_in_scope(request).annotate(
        enrolled=Count("enrolments", distinct=True) + Count("path_enrolments", distinct=True)
    )
    return render(request, "progress/rule_list.html", {"rules": rules})


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = EnrolmentRuleForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            rule = rule_services.enrolment_rule_create(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                course=target if isinstance(target, CoursePage) else None,
                path=None if isinstance(target, CoursePage) else target,
                include_descendants=form.cleaned_data["include_descendants"],
                due_in_days=form.cleaned_data["due_in_days"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("progress:rule_detail", pk=rule.pk)
    return render(request, "progress/rule_form.html", {"form": form})


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    rule = get_object_or_404(_rules_in_scope(request), pk=pk)
    context = {
        "rule": rule,
        "covered": rule_services.enrolment_rule_people(rule=rule).count(),
        "pending": rule_services.enrolment_rule_preview(rule=rule),
        "enrolled": rule.enrolments.filter(~Q(status="cancelled")).count() + rule.path_enrolments.count(),
    }
    return render(request, "progress/rule_detail.html", context)


def _act(request: HttpRequest, pk: int, action, success: str, *, back_to_list: bool = False) -> HttpResponse:
    _require_admin(request)
    rule = get_object_or_404(_rules_in_scope(request), pk=pk)
    try:
        action(rule=rule, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    if back_to_list:
        return redirect("progress:rule_list")
    return redirect("progress:rule_detail", pk=rule.pk)


@login_required
@require_POST
def rule_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, rule_services.enrolment_rule_activate, _("Die Regel ist eingeschaltet."))


@login_required
@require_POST
def rule_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, rule_services.enrolment_rule_end, _("Die Regel ist beendet. Bestehende Einschreibungen bleiben.")
    )


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, rule_services.enrolment_rule_delete, _("Der Entwurf ist gelöscht."), back_to_list=True)
