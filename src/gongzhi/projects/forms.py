from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.cases.models import Meeting
from gongzhi.notices.models import Notice
from gongzhi.registry.models import Neighbourhood, SubDistrict
from gongzhi.servicedesk.forms import MultiplePhotos
from gongzhi.voting.models import Decision

from .models import ItemStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    sub_district = forms.ModelChoiceField(
        label=_("Sub-district"), queryset=SubDistrict.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Residents' areas"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, sub_districts, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sub_district"]).queryset = sub_districts
        cast(forms.ModelChoiceField, self.fields["neighbourhoods"]).queryset = neighbourhoods


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=100, initial=1,
        help_text=_("How much this item counts in the project's progress."),
    )  # fmt: skip
    budget = forms.CharField(
        label=_("Budget (yuan)"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    spent = forms.CharField(
        label=_("Spent so far (yuan)"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    starts_on = forms.DateField(label=_("Starts"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE, required=False)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("What was reached"), max_length=200)
    progress = forms.IntegerField(label=_("Progress now (%)"), min_value=0, max_value=100)
    on = forms.DateField(label=_("On"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    spent = forms.CharField(
        label=_("Spent so far (yuan), if it changed"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    photos = MultiplePhotos(label=_("Photos"), required=False)


class LinksForm(forms.Form):
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("Owners' decisions"), queryset=Decision.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    notices = forms.ModelMultipleChoiceField(
        label=_("Notices"),
        queryset=Notice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meetings, decisions, notices, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in (("meetings", meetings), ("decisions", decisions), ("notices", notices)):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = rows
