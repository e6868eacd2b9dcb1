from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.widgets import DateInput, DateTimeInput
from gongzhi.registry.models import Compound, PropertyCompany

from .models import Intention, MeetingKind, WorkStatus
from .stages import PER_COMPOUND, Stage


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].queryset = compounds


class TaskForceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    leader = forms.CharField(label=_("Leader"), max_length=100)
    leader_organisation = forms.CharField(label=_("Leader's organisation"), max_length=200)
    guiding_departments = forms.CharField(
        label=_("Guiding departments"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    formed_on = forms.DateField(label=_("Formed on"), widget=DateInput())


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    responsibilities = forms.CharField(label=_("Responsibilities"), max_length=500)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.IntegerField(widget=forms.HiddenInput, required=False)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())


class IntentionForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    company = forms.ModelChoiceField(label=_("Company"), queryset=PropertyCompany.objects.all())
    intention = forms.ChoiceField(label=_("Intention"), choices=Intention.choices)
    stated_on = forms.DateField(label=_("Stated on"), widget=DateInput())
    notice_reference = forms.CharField(
        label=_("Written notice (reference)"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class OpinionForm(forms.Form):
    association = forms.CharField(label=_("Industry association"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("The signed opinion (PDF)"))


class WaiverForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s, Stage(s).label) for s in PER_COMPOUND])
    reason = forms.CharField(label=_("Why it does not apply"), max_length=500)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class MergeAreasForm(forms.Form):
    name = forms.CharField(label=_("Name of the merged management area"), max_length=200)
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())


class ReelectionForm(forms.Form):
    on = forms.DateField(label=_("Starts on"), widget=DateInput())


class MergeCommitteesForm(forms.Form):
    name = forms.CharField(label=_("Name of the new owners' committee"), max_length=200)
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput())
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput())
    members = forms.CharField(
        label=_("Members, one per line as “name | chair, vice-chair or member”"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=200)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].queryset = compounds


class RecordForm(forms.Form):
    attendees = forms.CharField(
        label=_("Attendees, one per line as “party | organisation | name | role”"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Party: 党组织, 居委会, 业委会, 物业, 街道, 城运中心, 行业协会, 业主 or 其他."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    resolutions = forms.CharField(
        label=_("Resolutions, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    actions = forms.CharField(
        label=_("Action items, one per line as “what | who | due date (YYYY-MM-DD)”"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CloseItemForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Closed as"),
        choices=[
            (WorkStatus.DONE, WorkStatus.DONE.label),
            (WorkStatus.CANCELLED, WorkStatus.CANCELLED.label),
        ],
    )
    note = forms.CharField(label=_("How it was closed"), max_length=500)
