from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import User
from gongzhi.servicedesk.forms import MultiplePhotos

from .models import Category, Merchant


class MerchantForm(forms.Form):
    name = forms.CharField(label=_("Shop's name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, required=False
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    story = forms.CharField(
        label=_("Story"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    latitude = forms.DecimalField(label=_("Latitude"), required=False, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, decimal_places=6)
    photos = MultiplePhotos(label=_("Photos"), required=False)


class ApplicationForm(forms.Form):
    merchant = forms.ModelChoiceField(label=_("Shop"), queryset=Merchant.objects.none())
    statement = forms.CharField(
        label=_("Why this shop: statement and evidence"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = forms.FileField(label=_("Evidence (PDF or photos)"), required=False)

    def __init__(self, *args, merchants, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["merchant"]).queryset = merchants


class PanelForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["reviewers"]).queryset = reviewers


class DecisionForm(forms.Form):
    certify = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("certify")), ("0", _("refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Merchant's name"), max_length=100)
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class OutdatedForm(forms.Form):
    reason = forms.CharField(
        label=_("What is out of date?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=500)
    verified = forms.BooleanField(label=_("The entry is checked and right now"), required=False)
