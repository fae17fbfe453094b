"""Account pages: login, registration, profile, password reset, and the organisation admin's pages.

Views only translate HTTP into service and selector calls; the rules live there.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lernplattform.core.errors import ApplicationError, NotPermitted, RateLimited

from . import selectors, services
from .forms import (
    InvitationAcceptForm,
    LoginForm,
    MembershipGrantForm,
    MoveForm,
    NotifyingPasswordResetForm,
    OrganisationSettingsForm,
    ProfileForm,
    RegistrationForm,
)
from .models import Invitation, Membership, User
from .ratelimit import rate_limit_check


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Memberships start and end on dates; the groups follow at each login as well as nightly.
        services.user_groups_sync(user=form.get_user())
        return response

    def form_invalid(self, form):
        if getattr(self.request, "login_address_locked", False):
            return render(self.request, "accounts/lockout.html", {"per_address": True}, status=429)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifyingPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Limited per address and per client: the same answer for known and unknown addresses
        # either way, and no mailbox gets flooded (issue 10).
        try:
            rate_limit_check(action="password_reset", request=self.request, address=form.cleaned_data["email"])
        except RateLimited as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.status_code)
        return super().form_valid(form)


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
            # Rate-limited per client and per address; the answer never says whether the address
            # already has an account (issue 10): the e-mail tells its owner.
            rate_limit_check(action="registration", request=request, address=data["email"])
            services.user_register(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password1"],
                organisation=data["organisation"],
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            return render(
                request,
                "accounts/register.html",
                {"form": form, "query": query, "offered": offered},
                status=error.status_code,
            )
        except ValidationError as error:
            form.add_error("organisation", error)
        else:
            return render(request, "accounts/register_sent.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form, "query": query, "offered": offered})


def register_confirm(request, uidb64: str, token: str):
    """The link of the confirmation e-mail: a button (mail scanners follow links), then active and logged in."""
    user = services.registration_user_for(uidb64=uidb64, token=token)
    if request.method == "POST" and user is not None:
        user = services.user_registration_confirm(uidb64=uidb64, token=token)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if selectors.user_is_pending(user=user):
            messages.info(
                request, _("Ihr Konto ist bestätigt. Ihre Organisation bestätigt Ihre Zugehörigkeit in Kürze.")
            )
        else:
            messages.success(request, _("Willkommen! Ihr Konto ist angelegt."))
        return redirect("accounts:profile")
    return render(request, "accounts/register_confirm.html", {"valid": user is not None}, status=200 if user else 404)


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
    # Any membership is looked up; the service's scope and person checks answer 403.
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    return membership


def _refused(error: NotPermitted):
    """A scope or role refusal of a service, shown as the German 403 page."""
    return PermissionDenied(error.message)


@org_admin_required
@require_POST
def membership_approve(request, pk: int):
    membership = _membership_in_scope(request, pk)
    try:
        services.membership_approve(membership=membership, by=request.user)
    except NotPermitted as error:
        raise _refused(error) from error
    messages.success(request, _("%(name)s ist bestätigt.") % {"name": membership.user})
    return redirect("accounts:people")


@org_admin_required
@require_POST
def membership_reject(request, pk: int):
    membership = _membership_in_scope(request, pk)
    try:
        services.membership_reject(membership=membership, by=request.user)
    except NotPermitted as error:
        raise _refused(error) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Registrierung von %(name)s wurde abgelehnt.") % {"name": membership.user})
    return redirect("accounts:people")


@org_admin_required
def membership_end(request, pk: int):
    """GET asks (what ends, what stays, or why it cannot end); POST ends the role."""
    membership = _membership_in_scope(request, pk)
    if request.method != "POST":
        refusal = ""
        try:
            services.membership_revoke_check(by=request.user, membership=membership)
        except NotPermitted as error:
            if error.code != "accounts.last_admin":
                raise _refused(error) from error
            refusal = error.message
        return render(request, "accounts/membership_end.html", {"membership": membership, "refusal": refusal})
    try:
        services.membership_revoke(by=request.user, membership=membership)
    except NotPermitted as error:
        raise _refused(error) from error
    messages.success(
        request,
        _("Die Rolle „%(role)s“ von %(name)s in %(org)s ist beendet.")
        % {"role": membership.get_role_display(), "name": membership.user, "org": membership.organisation.name},
    )
    return redirect("accounts:people")


def _grantable_roles(user) -> list[str]:
    if selectors.user_is_platform_admin(user=user):
        return list(Membership.Role.values)
    return list(services.ORG_ADMIN_GRANTABLE)


@org_admin_required
def membership_add(request):
    """Grant a role to someone of one's scope, or invite anyone else; the answer never tells which exists."""
    scope = selectors.organisations_in_scope(viewer=request.user).order_by("ars", "name")
    form = MembershipGrantForm(request.POST or None, organisations=scope, roles=_grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.membership_grant_or_invite(
                by=request.user, email=data["email"], organisation=data["organisation"], role=data["role"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if outcome.membership is not None:
                messages.success(request, _("Die Rolle wurde vergeben."))
                return redirect("accounts:people")
            messages.success(
                request,
                _(
                    "Eine Einladung an %(email)s ist unterwegs. Die Rolle beginnt, sobald die Person sie annimmt; "
                    "bis dahin steht sie unter „Offene Einladungen“."
                )
                % {"email": data["email"]},
            )
            return redirect("accounts:invitations")
    return render(request, "accounts/membership_add.html", {"form": form})


@org_admin_required
def person_move(request, user_pk: int):
    person = get_object_or_404(selectors.users_visible_to(viewer=request.user), pk=user_pk)
    if not selectors.user_may_manage(viewer=request.user, user=person):
        raise PermissionDenied(
            _(
                "%(name)s hat Rollen außerhalb Ihres Zuständigkeitsbereichs oder verwaltet selbst eine Organisation "
                "auf Ihrer Ebene oder darüber. Den Wechsel veranlasst die übergeordnete Verwaltung."
            )
            % {"name": person}
        )
    scope = selectors.organisations_in_scope(viewer=request.user).order_by("ars", "name")
    form = MoveForm(request.POST or None, organisations=scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_move_within_scope(
                by=request.user, user=person, organisation=form.cleaned_data["organisation"]
            )
        except NotPermitted as error:
            raise _refused(error) from error
        messages.success(request, _("%(name)s arbeitet jetzt bei %(org)s.") % {
            "name": person, "org": form.cleaned_data["organisation"].name})  # fmt: skip
        return redirect("accounts:people")
    history = selectors.user_membership_history(user=person)
    ending = (
        Membership.objects.active()
        .filter(user=person, organisation__in=scope)
        .exclude(role=Membership.Role.PLATFORM_ADMIN)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "accounts/person_move.html",
        {"form": form, "person": person, "history": history, "ending": ending},
    )


@org_admin_required
def invitations(request):
    """The open invitations of the admin's scope, to send again or withdraw."""
    page = Paginator(selectors.invitations_open_in_scope(viewer=request.user), 50).get_page(request.GET.get("seite"))
    return render(request, "accounts/invitations.html", {"page": page, "now": timezone.now()})


def _invitation_in_scope(request, pk: int) -> Invitation:
    return get_object_or_404(selectors.invitations_open_in_scope(viewer=request.user), pk=pk)


@org_admin_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = _invitation_in_scope(request, pk)
    try:
        services.invitation_resend(by=request.user, invitation=invitation)
    except NotPermitted as error:
        raise _refused(error) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s wurde erneut verschickt; der frühere Link gilt nicht mehr.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitations")


@org_admin_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation_in_scope(request, pk)
    try:
        services.invitation_revoke(by=request.user, invitation=invitation)
    except NotPermitted as error:
        raise _refused(error) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": invitation.email})
    return redirect("accounts:invitations")


def invitation_accept(request, token: str):
    """The link of an invitation: see what is offered, then accept (logged in, or with a new account)."""
    invitation = selectors.invitation_get_by_token(token=token)
    try:
        services.invitation_check(invitation=invitation)
    except ApplicationError as error:
        return render(request, "accounts/invitation_accept.html", {"problem": error.message}, status=error.status_code)
    assert invitation is not None
    user = request.user if request.user.is_authenticated else None
    # The holder of the link is the owner of the address, so telling them it has an account is no leak.
    has_account = user is None and User.objects.filter(email=invitation.email).exists()
    form = None
    if user is None and not has_account:
        form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    context = {"invitation": invitation, "form": form, "has_account": has_account, "token": token}
    if request.method == "POST" and "decline" in request.POST:
        return render(request, "accounts/invitation_accept.html", {**context, "declined": True})
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                if user is None:
                    return redirect_to_login(request.get_full_path())
                accepted = services.invitation_accept(token=token, user=user)
            else:
                accepted = services.invitation_accept(
                    token=token, password=form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"]
                )
        except ApplicationError as error:
            if form is not None:
                form.add_error(None, error.message)
            else:
                context["problem"] = error.message
            return render(
                request, "accounts/invitation_accept.html", context, status=200 if form else error.status_code
            )
        if user is None:
            login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Willkommen! Sie sind jetzt %(role)s bei %(org)s.")
            % {"role": accepted.get_role_display(), "org": accepted.organisation.name},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/invitation_accept.html", context)


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
