"""Forms of the progress pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.selectors import organisations_administered, organisations_in_scope, users_visible_to

from . import bulk_csv
from .models import LearningPath


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


class BulkEnrolmentForm(forms.Form):
    """An organisation admin uploads a CSV file to enrol many people in a course or a learning path."""

    target = forms.ChoiceField(label=_("Kurs oder Lernpfad"))
    due_date = forms.DateField(
        label=_("Zu erledigen bis (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Alle Personen der Datei erhalten dieses Fälligkeitsdatum und eine Erinnerung davor."),
    )
    default_organisation = forms.ModelChoiceField(
        label=_("Organisation für Zeilen ohne Regionalschlüssel"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "Neue Personen werden Mitglied dieser Organisation, wenn ihre Zeile keinen Regionalschlüssel nennt."
        ),
    )
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_(
            "Spalten: E-Mail; Name; optional Regionalschlüssel und Rolle. Trennzeichen „;“ oder „,“, "
            "gespeichert als „CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“ aus Excel. Höchstens 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def __init__(self, *args, viewer: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["target"].choices = _target_choices()
        organisations = organisations_in_scope(viewer=viewer).order_by("ars", "name")
        self.fields["default_organisation"].queryset = organisations
        administered = organisations_administered(user=viewer)
        if administered:
            self.fields["default_organisation"].initial = administered[0].pk

    def clean_target(self) -> CoursePage | LearningPath:
        return _target_clean(self.cleaned_data["target"])

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen."))
        return due

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > bulk_csv.MAX_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(mb)d MB. Bitte teilen Sie sie auf.")
                % {"mb": bulk_csv.MAX_BYTES // (1024 * 1024)}
            )
        if not upload.size:
            raise forms.ValidationError(_("Die Datei ist leer."))
        return upload


def _target_choices() -> list:
    courses = [(f"c{c.pk}", c.title) for c in CoursePage.objects.live().order_by("title")]
    paths = [(f"p{p.pk}", p.title) for p in LearningPath.objects.filter(live=True).order_by("title")]
    return [("", _("Bitte wählen")), (_("Lernpfade"), paths), (_("Kurse"), courses)]


def _target_clean(value: str) -> CoursePage | LearningPath:
    kind, pk = value[:1], value[1:]
    if pk.isdigit():
        if kind == "c":
            course = CoursePage.objects.live().filter(pk=int(pk)).first()
            if course:
                return course
        elif kind == "p":
            path = LearningPath.objects.filter(live=True, pk=int(pk)).first()
            if path:
                return path
    raise forms.ValidationError(_("Bitte wählen Sie einen veröffentlichten Kurs oder Lernpfad."))


class EnrolmentRuleForm(forms.Form):
    """An organisation admin describes who is enrolled automatically in what."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    include_descendants = forms.BooleanField(
        label=_("Auch alle Organisationen darunter (nach Regionalschlüssel)"), required=False
    )
    role = forms.ChoiceField(label=_("Rolle"))
    target = forms.ChoiceField(label=_("Kurs oder Lernpfad"))
    due_in_days = forms.IntegerField(
        label=_("Zu erledigen innerhalb von … Tagen (optional)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Die Frist zählt ab der Einschreibung; leer lassen für „ohne Frist“."),
    )

    def __init__(self, *args, viewer: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .rule_services import RULE_ROLES

        self.fields["organisation"].queryset = organisations_in_scope(viewer=viewer).order_by("ars", "name")
        administered = organisations_administered(user=viewer)
        if administered:
            self.fields["organisation"].initial = administered[0].pk
        self.fields["role"].choices = [(role, Membership.Role(role).label) for role in RULE_ROLES]
        self.fields["role"].initial = Membership.Role.LEARNER
        self.fields["target"].choices = _target_choices()

    def clean_target(self) -> CoursePage | LearningPath:
        return _target_clean(self.cleaned_data["target"])
