"""Forms of the account pages; they validate input, the services do the writing."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from lernplattform.notifications.services import notification_send

from .models import Membership, Organisation, User
from .services import HEADCOUNT_MAX, ORG_ADMIN_GRANTABLE


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort ist falsch. Beim Passwort zählt die Groß- und Kleinschreibung."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        label = obj.kind_label or obj.get_kind_display()
        return f"{obj.name} ({label}{', ' + obj.ags if obj.ars else ''})"


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Vollständiger Name"), max_length=200, help_text=_("So, wie er auf Zertifikaten stehen soll.")
    )
    email = forms.EmailField(label=_("Dienstliche E-Mail-Adresse"))
    organisation = OrganisationChoiceField(
        label=_("Ihre Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("– bitte wählen –"),
        help_text=_("Die Gemeinde, die Stadt, der Kreis oder die Stelle, bei der Sie arbeiten."),
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, nicht zu ähnlich zu Name oder E-Mail."),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation accepts every organisation; the list offered is the search result.
        self.fields["organisation"].queryset = Organisation.objects.all()
        if organisations is not None:
            self.fields["organisation"].choices = [("", self.fields["organisation"].empty_label)] + [
                (org.pk, self.fields["organisation"].label_from_instance(org)) for org in organisations
            ]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        # No "this address is taken": that would tell anyone who has an account (issue 10).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            user = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Vollständiger Name"), max_length=200, help_text=_("So, wie er auf Zertifikaten stehen soll.")
    )


class NotifyingPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes out through lernplattform.notifications."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notification_send(recipients=[to_email], subject=subject, body=body, topic="password_reset")


class MembershipGrantForm(forms.Form):
    # The form never says whether an address has an account (issue 10): people the admin
    # manages get the role at once, everyone else an invitation to accept.
    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        help_text=_(
            "Personen Ihres Bereichs erhalten die Rolle sofort; alle anderen erhalten eine Einladung, "
            "die sie annehmen müssen."
        ),
    )
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Rolle"))

    def __init__(self, *args, organisations, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        allowed = roles or ORG_ADMIN_GRANTABLE
        self.fields["role"].choices = [(value, label) for value, label in Membership.Role.choices if value in allowed]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InvitationAcceptForm(forms.Form):
    """A newcomer accepting an invitation sets name and password; the address is the invited one."""

    full_name = forms.CharField(
        label=_("Vollständiger Name"), max_length=200, help_text=_("So, wie er auf Zertifikaten stehen soll.")
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, nicht zu ähnlich zu Name oder E-Mail."),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            try:
                password_validation.validate_password(
                    password1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MoveForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Neue Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class OrganisationSettingsForm(forms.Form):
    headcount = forms.IntegerField(
        label=_("Beschäftigte"),
        min_value=0,
        max_value=HEADCOUNT_MAX,
        required=False,
        error_messages={
            "min_value": _("Die Zahl der Beschäftigten kann nicht negativ sein."),
            # No public body employs more; larger numbers are typing errors (and overflowed the
            # database column: a 500 in issue 10).
            "max_value": _(
                "Die Zahl der Beschäftigten kann höchstens 10.000.000 betragen. Bitte prüfen Sie die Eingabe."
            ),
            "invalid": _("Bitte geben Sie die Zahl der Beschäftigten als ganze Zahl ein."),
        },
    )
    requires_approval = forms.BooleanField(label=_("Registrierungen bestätigen"), required=False)


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's login with a translated password label (its own field has none: "Password*")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Passwort")
        self.fields["password"].widget.attrs["placeholder"] = _("Passwort eingeben")
