"""Forms of the reports pages: filters and qualification targets."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.catalog.models import CoursePage, Topic

from .figures import ReportFilters
from .models import QualificationTarget
from .permissions import TARGET_BELOW_KINDS

PERIODS = {
    "": (_("Gesamter Zeitraum"), None),
    "30": (_("Letzte 30 Tage"), 30),
    "90": (_("Letzte 90 Tage"), 90),
    "365": (_("Letzte 12 Monate"), 365),
}


class ReportFilterForm(forms.Form):
    """Topic, course, level, period: GET parameters with German names, all optional."""

    thema = forms.ModelChoiceField(
        label=_("Themenfeld"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        empty_label=_("Alle Themenfelder"),
    )
    kurs = forms.ModelChoiceField(
        label=_("Kurs"), queryset=CoursePage.objects.none(), required=False, empty_label=_("Alle Kurse")
    )
    niveau = forms.ChoiceField(
        label=_("Niveau (mindestens)"),
        choices=[("", _("Alle Niveaus")), *CoursePage.Level.choices],
        required=False,
    )
    zeitraum = forms.ChoiceField(
        label=_("Zeitraum (Einschreibung / Abschluss)"),
        choices=[(key, label) for key, (label, _days) in PERIODS.items()],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kurs"].queryset = CoursePage.objects.live().order_by("title")

    def filters(self) -> ReportFilters:
        """The filters to apply; invalid parameters are dropped (the form shows the error)."""
        if not self.is_bound:
            return ReportFilters()
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("zeitraum") or ""
        days = PERIODS.get(period, (None, None))[1]
        since = timezone.localdate() - datetime.timedelta(days=days) if days else None
        return ReportFilters(
            topic=data.get("thema"),
            course=data.get("kurs"),
            level=data.get("niveau") or "",
            since=since,
            period=period if days else "",
        )


class TargetForm(forms.ModelForm):
    class Meta:
        model = QualificationTarget
        fields = ["applies_to", "topic", "level", "kind", "value", "due_date", "note"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "value": _("Bei „Anteil“ 1 bis 100 Prozent der Beschäftigten, sonst die Zahl der Personen."),
            "due_date": _("Bis wann das Ziel erreicht sein soll."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        self.fields["topic"].empty_label = None
        if organisation.kind not in TARGET_BELOW_KINDS:
            self.fields["applies_to"].choices = [
                c for c in self.fields["applies_to"].choices if c[0] == QualificationTarget.AppliesTo.SELF
            ]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Das Zieldatum darf nicht in der Vergangenheit liegen."))
        return due

    def clean(self):
        data = super().clean()
        if data.get("kind") == QualificationTarget.Kind.PERCENT and data.get("value") and data["value"] > 100:
            self.add_error("value", _("Ein Anteil liegt zwischen 1 und 100 Prozent."))
        return data

    def validate_unique(self):
        # The service checks uniqueness (organisation is not a form field) and says so in German.
        pass
