"""Forms of the progress pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import users_visible_to


class OrgEnrolForm(forms.Form):
    """An organisation admin enrols one person of their scope in a course."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse der Person"),
        help_text=_("Die Person muss zu einer Organisation in Ihrem Zuständigkeitsbereich gehören."),
    )
    course = forms.ModelChoiceField(
        label=_("Kurs"), queryset=CoursePage.objects.none(), empty_label=_("Bitte einen Kurs wählen")
    )
    due_date = forms.DateField(
        label=_("Zu erledigen bis (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, viewer: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        person = users_visible_to(viewer=self.viewer).filter(email=email).first()
        if person is None:
            raise forms.ValidationError(_("In Ihrem Zuständigkeitsbereich gibt es keine Person mit dieser Adresse."))
        return person

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen."))
        return due
