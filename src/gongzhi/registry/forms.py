from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Neighbourhood


class RollImportForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=_("Residents' area"), queryset=Neighbourhood.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Roll file (CSV or XLSX)"),
        help_text=_("Columns: compound, unit, area, owners; optional: building, status, …"),
    )
    dry_run = forms.BooleanField(label=_("Check only, do not save"), required=False)

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROLL_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.ROLL_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload
