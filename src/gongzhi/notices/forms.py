from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.widgets import DateTimeInput
from gongzhi.registry.models import Compound, ManagementArea, Neighbourhood

from .models import NoticeKind


class NoticeForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=_("Residents' area"), queryset=Neighbourhood.objects.none(), empty_label=None
    )
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Plain text or pasted formatted text. Headings, lists, tables and links are "
            "kept; ID and mobile numbers are masked automatically."
        ),
    )
    event_at = forms.DateTimeField(
        label=_("Date of the assembly or vote (for notices of one)"),
        widget=DateTimeInput(),
        required=False,
    )
    display_from = forms.DateTimeField(label=_("Displayed from"), widget=DateTimeInput())
    display_until = forms.DateTimeField(label=_("Displayed until"), widget=DateTimeInput())
    opinions_open = forms.BooleanField(
        label=_("Owners may leave opinions while it is up (意见征询)"), required=False
    )

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["compounds"].queryset = Compound.objects.filter(
            neighbourhood__in=neighbourhoods
        ).order_by("neighbourhood__name", "name")


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why a shorter window is lawful (only when the minimum is not met)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why withdrawn"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("Your opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class StatementForm(forms.Form):
    management_area = forms.ModelChoiceField(
        label=_("Management area"), queryset=ManagementArea.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)
    income = forms.CharField(
        label=_("Income, one source per line as “source: amount”"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    expenses = forms.CharField(
        label=_("Expenses, one item per line as “item: amount”"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    to_maintenance_fund = forms.CharField(label=_("Put into the maintenance fund (yuan)"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["management_area"].queryset = areas


class StatementPublishForm(forms.Form):
    display_from = forms.DateTimeField(label=_("Displayed from"), widget=DateTimeInput())
    display_until = forms.DateTimeField(label=_("Displayed until"), widget=DateTimeInput())
