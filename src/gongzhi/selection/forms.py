from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.widgets import DateInput, DateTimeInput
from gongzhi.registry.models import Compound, PropertyCompany
from gongzhi.voting.models import Decision

from .models import Affiliation, Aggregate, PoolEntryStatus, RequestedBy


class PoolStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PoolEntryStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False)


class CustodyRequestForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=RequestedBy.choices)
    exiting_company = forms.ModelChoiceField(
        label=_("Exiting property company"), queryset=PropertyCompany.objects.all(), required=False
    )
    exit_notice_date = forms.DateField(
        label=_("Exit notice given on"), widget=DateInput(), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    supporters = forms.CharField(
        label=_(
            "Supporting owners (owner identifiers, one per line) — only where there is no committee"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class PickForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Custodian"), queryset=PropertyCompany.objects.none(), empty_label=None
    )
    starts_on = forms.DateField(label=_("Custody starts"), widget=DateInput())
    months = forms.IntegerField(label=_("Months (at most 6)"), min_value=1, initial=6)
    reason = forms.CharField(
        label=_("Reason (needed when not the nearest)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class ExtendCustodyForm(forms.Form):
    months = forms.IntegerField(label=_("Months (at most 6)"), min_value=1, initial=3)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ModelChoiceField(
        label=_("Owners' decision approving the plan"), queryset=Decision.objects.none()
    )
    bids_close_at = forms.DateTimeField(label=_("Bids close"), widget=DateTimeInput())
    credit_requirements = forms.CharField(
        label=_("Provider's credit status"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    staffing_requirements = forms.CharField(
        label=_("Staffing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    track_record_requirements = forms.CharField(
        label=_("Track record"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    service_content = forms.CharField(
        label=_("Service content and fees"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    contract_months = forms.IntegerField(
        label=_("Contract term (months)"), initial=36, min_value=1, max_value=120
    )
    method = forms.CharField(label=_("Selection method"), required=False)
    aggregate = forms.ChoiceField(
        label=_("Aggregate of the panel's scores"), choices=Aggregate.choices
    )

    def __init__(self, *args, compounds, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].queryset = compounds
        self.fields["decision"].queryset = decisions


class BidForm(forms.Form):
    fee_residential = forms.DecimalField(
        label=_("Residential fee (yuan per m² per month)"), decimal_places=2, min_value=0
    )
    fee_commercial = forms.DecimalField(
        label=_("Commercial fee"), decimal_places=2, min_value=0, required=False
    )
    fee_parking = forms.DecimalField(
        label=_("Parking fee"), decimal_places=2, min_value=0, required=False
    )
    staff = forms.IntegerField(label=_("Staff on site"), min_value=1)
    staffing_note = forms.CharField(
        label=_("Staffing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    service_items = forms.CharField(
        label=_("Service items, one per line as “item: level”"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    public_revenue_share = forms.DecimalField(
        label=_("Share of public revenue to the owners (%)"), min_value=0, max_value=100
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)
    document = forms.FileField(label=_("Service plan (PDF)"), required=False)


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name of the member"))
    name = forms.CharField(label=_("Name"))
    affiliation = forms.ChoiceField(label=_("From"), choices=Affiliation.choices)
    is_expert = forms.BooleanField(label=_("Expert"), required=False)


class RankingForm(forms.Form):
    posted_from = forms.DateTimeField(label=_("Posted from"), widget=DateTimeInput())
    posted_until = forms.DateTimeField(label=_("Posted until"), widget=DateTimeInput())


class PresentationForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Held"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"))
    attendance = forms.IntegerField(label=_("Owners attending"), min_value=0, initial=0)
    questions = forms.CharField(
        label=_("Questions and answers, one per line as “question | answer”"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ContractForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Company"), queryset=PropertyCompany.objects.none(), empty_label=None
    )
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    fee_residential = forms.DecimalField(
        label=_("Residential fee (yuan per m² per month)"), decimal_places=2, min_value=0
    )
    fee_commercial = forms.DecimalField(
        label=_("Commercial fee"), decimal_places=2, min_value=0, required=False
    )
    fee_parking = forms.DecimalField(
        label=_("Parking fee"), decimal_places=2, min_value=0, required=False
    )
    service_items = forms.CharField(
        label=_("Service items, one per line as “item: level”"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    public_revenue_share = forms.DecimalField(
        label=_("Share of public revenue to the owners (%)"), min_value=0, max_value=100
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    signed_on = forms.DateField(label=_("Signed"), widget=DateInput())

    def __init__(self, *args, companies, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["compounds"].queryset = compounds


def service_items(text: str) -> list[dict[str, str]]:
    items = []
    for line in text.splitlines():
        if line.strip():
            item, _sep, level = line.replace("：", ":").partition(":")
            items.append({"item": item.strip(), "level": level.strip()})
    return items


def fees_from(data) -> dict[str, object]:
    return {
        kind: data.get(f"fee_{kind}")
        for kind in ("residential", "commercial", "parking")
        if data.get(f"fee_{kind}") is not None
    }
