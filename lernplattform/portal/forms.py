from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BarrierReport


class BarrierReportForm(forms.ModelForm):
    # A field people never see: bots fill it in, and such reports are dropped.
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))

    class Meta:
        model = BarrierReport
        fields = ["page_url", "description", "name", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "page_url": _("Adresse oder Titel der Seite, auf der Sie die Barriere bemerkt haben."),
            "email": _("Freiwillig. Nur wenn Sie eine Antwort wünschen."),
        }
