from django import forms
from django.utils.translation import gettext_lazy as _

from .package import H5PPackageError
from .services import h5p_content_import


class H5PUploadForm(forms.Form):
    """Upload of one .h5p file; cleaning runs the import service, so errors are form errors."""

    package = forms.FileField(
        label=_("H5P-Datei"),
        help_text=_("Eine .h5p-Datei, z. B. von h5p.org, aus Lumi oder aus einem Moodle-Export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )
    title = forms.CharField(
        label=_("Titel"),
        required=False,
        max_length=255,
        help_text=_("Leer lassen, um den Titel aus dem Paket zu übernehmen."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.content = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package")
        if upload is None:
            return cleaned
        try:
            self.content = h5p_content_import(
                file=upload.file, filename=upload.name, title=cleaned.get("title") or None, user=self.user
            )
        except H5PPackageError as exc:
            raise forms.ValidationError(str(exc), code=exc.rule) from exc
        return cleaned
