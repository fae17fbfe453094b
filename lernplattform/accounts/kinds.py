"""The e-mails accounts sends, as notification kinds (admins can edit the wording; see notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lernplattform.notifications.registry import register_kind


def register_account_kinds() -> None:
    register_kind(
        code="accounts.invitation",
        label=_("Einladung zu einer Rolle"),
        description=_("Geht an die eingeladene Adresse; die Rolle beginnt erst, wenn die Person annimmt."),
        placeholders={
            "organisation_name": _("Organisation"),
            "role_name": _("Rolle"),
            "invite_url": _("Link zum Annehmen der Einladung"),
            "expires_on": _("Gültig bis"),
            "invited_by": _("Eingeladen von"),
        },
        default_subject=_("Einladung zu {{ platform_name }}: {{ role_name }} bei {{ organisation_name }}"),
        default_text=_(
            "Guten Tag,\n\n"
            "{{ invited_by }} lädt Sie ein, auf {{ platform_name }} die Rolle „{{ role_name }}“ bei "
            "{{ organisation_name }} zu übernehmen.\n\n"
            "Einladung ansehen und annehmen:\n{{ invite_url }}\n\n"
            "Haben Sie schon ein Konto, melden Sie sich damit an; sonst legen Sie über den Link eines an. "
            "Der Link gilt bis {{ expires_on }} und nur einmal.\n\n"
            "Haben Sie diese Einladung nicht erwartet, können Sie diese E-Mail einfach ignorieren: "
            "ohne Ihre Zustimmung ändert sich nichts."
        ),
        mandatory=True,
    )
    register_kind(
        code="accounts.registration_confirm",
        label=_("Registrierung bestätigen"),
        placeholders={"confirm_url": _("Link zum Bestätigen der E-Mail-Adresse")},
        default_subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse – {{ platform_name }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\n"
            "Sie haben sich auf {{ platform_name }} registriert. Bitte bestätigen Sie Ihre E-Mail-Adresse:\n"
            "{{ confirm_url }}\n\n"
            "Haben Sie sich nicht registriert, können Sie diese E-Mail einfach ignorieren."
        ),
        mandatory=True,
    )
    register_kind(
        code="accounts.registration_exists",
        label=_("Registrierung mit vorhandener Adresse"),
        description=_("Geht an den Inhaber eines Kontos, wenn jemand mit seiner Adresse ein neues anlegen wollte."),
        placeholders={"login_url": _("Link zur Anmeldung"), "reset_url": _("Link „Passwort vergessen“")},
        default_subject=_("Sie haben schon ein Konto – {{ platform_name }}"),
        default_text=_(
            "Guten Tag {{ recipient_name }},\n\n"
            "jemand wollte mit Ihrer E-Mail-Adresse ein neues Konto auf {{ platform_name }} anlegen. Sie haben "
            "bereits eines; es wurde nichts geändert.\n\n"
            "Anmelden: {{ login_url }}\nPasswort vergessen: {{ reset_url }}\n\n"
            "Waren Sie das nicht, können Sie diese E-Mail ignorieren."
        ),
        mandatory=True,
    )
