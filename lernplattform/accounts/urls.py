from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.register, name="register"),
    path("registrieren/bestaetigen/<uidb64>/<token>/", views.register_confirm, name="register_confirm"),
    path("profil/", views.profile, name="profile"),
    path("passwort/aendern/", views.PasswordChangeView.as_view(), name="password_change"),
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("passwort/neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "passwort/neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("verwaltung/", views.people, name="people"),
    path("verwaltung/rolle-vergeben/", views.membership_add, name="membership_add"),
    path("verwaltung/mitgliedschaft/<int:pk>/bestaetigen/", views.membership_approve, name="membership_approve"),
    path("verwaltung/mitgliedschaft/<int:pk>/ablehnen/", views.membership_reject, name="membership_reject"),
    path("verwaltung/mitgliedschaft/<int:pk>/beenden/", views.membership_end, name="membership_end"),
    path("verwaltung/person/<int:user_pk>/wechsel/", views.person_move, name="person_move"),
    path("verwaltung/einladungen/", views.invitations, name="invitations"),
    path("verwaltung/einladungen/<int:pk>/erneut/", views.invitation_resend, name="invitation_resend"),
    path("verwaltung/einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("verwaltung/organisationen/", views.organisations, name="organisations"),
    path("verwaltung/organisationen/<int:pk>/", views.organisation_edit, name="organisation_edit"),
]
