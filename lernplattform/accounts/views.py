"""Account pages: login, registration, profile, password reset, and the organisation admin's pages.

Views only translate HTTP into service and selector calls; the rules live there.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    LoginForm,
    MembershipGrantForm,
    MoveForm,
    NotifyingPasswordResetForm,
    OrganisationSettingsForm,
    ProfileForm,
    RegistrationForm,
)
from .models import Membership


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Memberships start and end on dates; the groups follow at each login as well as nightly.
        services.user_groups_sync(user=form.get_user())
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifyingPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return super().form_valid(form)


def register(request):
    """Self-registration: choose one's organisation (searchable), then create the account."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    query = request.GET.get("suche", "").strip()
    offered = list(selectors.organisations_for_registration(query=query))
    form = RegistrationForm(request.POST or None, organisations=offered)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password1"],
                organisation=data["organisation"],
            )
        except ValidationError as error:
            form.add_error("organisation", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if data["organisation"].requires_approval:
                messages.info(
                    request,
                    _("Ihr Konto ist angelegt. Ihre Organisation bestätigt Ihre Zugehörigkeit in Kürze."),
                )
            else:
                messages.success(request, _("Willkommen! Ihr Konto ist angelegt."))
            return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form, "query": query, "offered": offered})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, full_name=form.cleaned_data["full_name"])
        messages.success(request, _("Ihre Angaben wurden gespeichert."))
        return redirect("accounts:profile")
    history = list(selectors.user_membership_history(user=request.user))
    today = timezone.localdate()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "current": [m for m in history if m.valid_from <= today and (m.valid_to is None or m.valid_to > today)],
            "history": history,
        },
    )


def org_admin_required(view):
    """Only organisation admins and platform admins reach the admin pages."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (
            selectors.user_is_platform_admin(user=request.user)
            or selectors.organisations_administered(user=request.user)
        ):
            raise PermissionDenied(_("Diese Seite ist der Organisationsverwaltung vorbehalten."))
        return view(request, *args, **kwargs)

    return wrapper


@org_admin_required
def people(request):
    """The people of the admin's scope, with pending registrations first."""
    scope = selectors.organisations_in_scope(viewer=request.user)
    organisation = None
    if request.GET.get("organisation"):
        organisation = scope.filter(pk=request.GET["organisation"]).first()
    query = request.GET.get("suche", "").strip()
    memberships = selectors.memberships_in_scope(viewer=request.user, organisation=organisation, query=query)
    page = Paginator(memberships, 50).get_page(request.GET.get("seite"))
    pending = selectors.memberships_in_scope(viewer=request.user, pending=True)[:100]
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "pending": pending,
            "organisation": organisation,
            "organisations": scope.order_by("ars", "name")[:500],
            "query": query,
        },
    )


def _membership_in_scope(request, pk: int) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    return membership


@org_admin_required
@require_POST
def membership_approve(request, pk: int):
    membership = _membership_in_scope(request, pk)
    services.membership_approve(membership=membership, by=request.user)
    messages.success(request, _("%(name)s ist bestätigt.") % {"name": membership.user})
    return redirect("accounts:people")


@org_admin_required
@require_POST
def membership_reject(request, pk: int):
    membership = _membership_in_scope(request, pk)
    try:
        services.membership_reject(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Registrierung von %(name)s wurde abgelehnt.") % {"name": membership.user})
    return redirect("accounts:people")


@org_admin_required
@require_POST
def membership_end(request, pk: int):
    membership = _membership_in_scope(request, pk)
    services.membership_revoke(by=request.user, membership=membership)
    messages.success(
        request,
        _("Die Rolle „%(role)s“ von %(name)s in %(org)s ist beendet.")
        % {"role": membership.get_role_display(), "name": membership.user, "org": membership.organisation.name},
    )
    return redirect("accounts:people")


@org_admin_required
def membership_add(request):
    scope = selectors.organisations_in_scope(viewer=request.user).order_by("ars", "name")
    roles = None if not selectors.user_is_platform_admin(user=request.user) else list(Membership.Role.values)
    form = MembershipGrantForm(request.POST or None, organisations=scope, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.membership_grant(
            by=request.user, user=data["email"], organisation=data["organisation"], role=data["role"]
        )
        messages.success(request, _("Die Rolle wurde vergeben."))
        return redirect("accounts:people")
    return render(request, "accounts/membership_add.html", {"form": form})


@org_admin_required
def person_move(request, user_pk: int):
    person = get_object_or_404(selectors.users_visible_to(viewer=request.user), pk=user_pk)
    scope = selectors.organisations_in_scope(viewer=request.user).order_by("ars", "name")
    form = MoveForm(request.POST or None, organisations=scope)
    if request.method == "POST" and form.is_valid():
        services.user_move_within_scope(by=request.user, user=person, organisation=form.cleaned_data["organisation"])
        messages.success(request, _("%(name)s arbeitet jetzt bei %(org)s.") % {
            "name": person, "org": form.cleaned_data["organisation"].name})  # fmt: skip
        return redirect("accounts:people")
    history = selectors.user_membership_history(user=person)
    return render(request, "accounts/person_move.html", {"form": form, "person": person, "history": history})


@org_admin_required
def organisations(request):
    """Organisations of the scope with headcount and how many people are registered there."""
    today = timezone.localdate()
    active = Q(memberships__valid_from__lte=today, memberships__approved=True) & (
        Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gt=today)
    )
    scope = (
        selectors.organisations_in_scope(viewer=request.user)
        .annotate(people=Count("memberships__user", filter=active, distinct=True))
        .order_by("ars", "name")
    )
    page = Paginator(scope, 50).get_page(request.GET.get("seite"))
    return render(request, "accounts/organisations.html", {"page": page})


@org_admin_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(selectors.organisations_in_scope(viewer=request.user), pk=pk)
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={"headcount": organisation.headcount, "requires_approval": organisation.requires_approval},
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_headcount_set(
            by=request.user, organisation=organisation, headcount=form.cleaned_data["headcount"]
        )
        services.organisation_settings_set(
            by=request.user, organisation=organisation, requires_approval=form.cleaned_data["requires_approval"]
        )
        messages.success(request, _("Die Angaben zu %(org)s wurden gespeichert.") % {"org": organisation.name})
        return redirect("accounts:organisations")
    return render(request, "accounts/organisation_edit.html", {"form": form, "organisation": organisation})
