from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.registry.models import Organisation, OrganisationKind

from .models import AgreementKind, EventKind, ServiceKind, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KINDS = [
    (k.value, k.label)
    for k in (
        OrganisationKind.CHAMBER_OF_COMMERCE,
        OrganisationKind.ENTERPRISE,
        OrganisationKind.FOUNDATION,
        OrganisationKind.GOVERNMENT_OFFICE,
        OrganisationKind.SUB_DISTRICT_OFFICE,
        OrganisationKind.PARTY_BRANCH,
    )
]


def _organisations():
    return Organisation.objects.filter(kind__in=[k for k, _l in KINDS]).order_by("kind", "name")


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("Contact"), max_length=100, required=False)
    contact_title = forms.CharField(label=_("Position"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    effective_on = forms.DateField(label=_("In force from"), widget=DATE, required=False)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, 4):
            self.fields[f"party{n}"] = forms.ModelChoiceField(
                label=_("Party %(n)d") % {"n": n}, queryset=_organisations(), required=n <= 2
            )
            self.fields[f"signatory{n}"] = forms.CharField(
                label=_("Signatory"), max_length=100, required=False
            )

    def parties(self):
        data = self.cleaned_data
        return [
            (data[f"party{n}"], data.get(f"signatory{n}", ""), "")
            for n in range(1, 4)
            if data.get(f"party{n}")
        ]


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    document = forms.FileField(label=_("The signed agreement (PDF)"), required=False)


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Commitment"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Responsible party"), queryset=Organisation.objects.none(), required=False
    )
    owner_person = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = Organisation.objects.filter(
            agreement_parties__agreement=agreement
        )


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    evidence = forms.CharField(
        label=_("Evidence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("Enterprise"), max_length=200)
    code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    business = forms.CharField(label=_("Business"), max_length=200, required=False)
    recommended_by = forms.ModelChoiceField(
        label=_("Recommended by"), queryset=_organisations(), required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Since"), widget=DATE)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    on = forms.DateField(label=_("On"), widget=DATE)
    summary = forms.CharField(label=_("What was done"), max_length=500)
    problem = forms.CharField(label=_("Problem raised"), max_length=500, required=False)
    solved_on = forms.DateField(label=_("Solved on"), widget=DATE, required=False)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
