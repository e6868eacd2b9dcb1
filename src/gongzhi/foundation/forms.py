from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.partners.models import Agreement

from .models import Disclosure, ReceiptKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "50000.00"})


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    beneficiary = forms.CharField(label=_("Beneficiary"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_on = forms.DateField(label=_("Project starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Project ends"), widget=DATE, required=False)


class DonationForm(forms.Form):
    donor_name = forms.CharField(label=_("Donor"), max_length=200)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20, widget=MONEY)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    occasion = forms.CharField(label=_("Occasion"), max_length=200, required=False)
    disclosure = forms.ChoiceField(
        label=_("In public, the donor is shown"),
        choices=Disclosure.choices,
        initial=Disclosure.MASKED,
        widget=forms.RadioSelect,
    )
    receipt_kind = forms.ChoiceField(
        label=_("Donation receipt (公益事业捐赠票据)"),
        choices=ReceiptKind.choices,
        widget=forms.RadioSelect,
    )
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40, required=False)
    receipt_check_code = forms.CharField(
        label=_("Check code (electronic receipts)"), max_length=40, required=False
    )
    agreement = forms.ModelChoiceField(
        label=_("Donation agreement"), queryset=Agreement.objects.none(), required=False
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agreement"]).queryset = agreements


class ConsentForm(forms.Form):
    donor_name = forms.CharField(label=_("Donor"), max_length=200)
    purpose = forms.CharField(label=_("New purpose"), max_length=300)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    note = forms.CharField(
        label=_("How the consent was given"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a letter signed by the donor, kept in the file."),
    )


class DisbursementForm(forms.Form):
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20, widget=MONEY)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    beneficiary = forms.CharField(label=_("Beneficiary"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"), required=False)


class DisclosureForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
