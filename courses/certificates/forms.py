"""Forms of the certificate pages: the admins' list filter and revocation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.catalog.models import CoursePage

from .models import Certificate

STATUS_CHOICES = [
    ("", _("Alle")),
    ("valid", _("gültig")),
    ("expiring", _("läuft bald ab")),
    ("expired", _("abgelaufen")),
    ("revoked", _("widerrufen")),
    ("replaced", _("ersetzt")),
]
SORT_CHOICES = [
    ("-ausgestellt", _("Neueste zuerst")),
    ("ausgestellt", _("Älteste zuerst")),
    ("gueltig", _("Gültig bis, früheste zuerst")),
    ("-gueltig", _("Gültig bis, späteste zuerst")),
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("kurs", _("Kurs A–Z")),
]


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, E-Mail oder Nummer"), required=False, max_length=200)
    kurs = forms.TypedChoiceField(label=_("Kurs"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    tage = forms.IntegerField(label=_("Läuft ab innerhalb von … Tagen"), required=False, min_value=1, max_value=3650)
    sortierung = forms.ChoiceField(label=_("Sortierung"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_ids = Certificate.objects.exclude(course=None).values_list("course_id", flat=True).distinct()
        self.fields["kurs"].choices = [("", _("Alle Kurse"))] + [
            (c.pk, c.title) for c in CoursePage.objects.filter(pk__in=course_ids).order_by("title")
        ]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "course_id": data.get("kurs"),
            "status": data.get("status") or "",
            "expiring_within": data.get("tage"),
            "sort": data.get("sortierung") or "-ausgestellt",
        }


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Grund"), choices=Certificate.RevocationReason.choices)
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wird nicht öffentlich angezeigt; bei „Sonstiger Grund“ erforderlich."),
    )
