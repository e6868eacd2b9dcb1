from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.widgets import DateTimeInput
from gongzhi.registry.models import Compound, UnitUse

from .models import CanvassStatus, Matter, RulePreset, Scope


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text put to the owners"), widget=forms.Textarea, required=False)
    compounds = forms.ModelMultipleChoiceField(
        label=_("Compounds"), queryset=Compound.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.EACH)
    opens_at = forms.DateTimeField(label=_("Voting opens"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Voting closes"), widget=DateTimeInput())
    online_voting = forms.BooleanField(
        label=_("Online voting allowed"), required=False, initial=True
    )
    non_voter_clause = forms.BooleanField(label=_("Non-voter clause (从众条款)"), required=False)
    excluded_uses = forms.MultipleChoiceField(
        label=_("Excluded from area and headcount"),
        choices=UnitUse.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paper_double_entry = forms.BooleanField(
        label=_("A second clerk confirms paper ballots"), required=False
    )
    question = forms.CharField(label=_("First question"), widget=forms.Textarea(attrs={"rows": 2}))
    matter = forms.ChoiceField(label=_("Matter (Civil Code Art. 278)"), choices=Matter.choices)
    rule = forms.ChoiceField(
        label=_("Threshold"),
        choices=[("", _("as the matter proposes")), *RulePreset.choices],
        required=False,
    )
    options = forms.CharField(
        label=_("Alternatives, one per line (empty for a yes/no question)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].queryset = compounds


class ItemForm(forms.Form):
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    matter = forms.ChoiceField(label=_("Matter (Civil Code Art. 278)"), choices=Matter.choices)
    rule = forms.ChoiceField(
        label=_("Threshold"),
        choices=[("", _("as the matter proposes")), *RulePreset.choices],
        required=False,
    )
    options = forms.CharField(
        label=_("Alternatives, one per line (empty for a yes/no question)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AnnounceForm(forms.Form):
    notice_override_reason = forms.CharField(
        label=_("Reason for a notice shorter than 15 days"), widget=forms.Textarea, required=False
    )
    cooling_off_override_reason = forms.CharField(
        label=_("Reason for putting a failed matter again early"),
        widget=forms.Textarea,
        required=False,
    )


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing time"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Reason (posted)"), widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class CorrectionForm(forms.Form):
    unit_number = forms.CharField(label=_("Unit"))
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    area = forms.DecimalField(label=_("Corrected area (m²)"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class CanvassForm(forms.Form):
    status = forms.ChoiceField(choices=CanvassStatus.choices)
    notes = forms.CharField(required=False, max_length=500)


def choices_from_post(data, items) -> dict[int, str]:
    """The ballot's choices from a submitted form: one ``item-<pk>`` field per question."""
    return {item.pk: data.get(f"item-{item.pk}", "") for item in items}


class DeliveryForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    unit = forms.CharField(label=_("Unit"))
    method = forms.ChoiceField(label=_("Method"), choices=[])
    delivered_at = forms.DateTimeField(label=_("Delivered at"), widget=DateTimeInput())
    delivered_by = forms.CharField(label=_("Delivered by"), required=False)
    recipient = forms.CharField(label=_("Received by (signature)"), required=False)
    mail_number = forms.CharField(label=_("Registered mail number"), required=False)
    note = forms.CharField(label=_("Note"), required=False)
    evidence = forms.FileField(label=_("Photo or scan"), required=False)

    def __init__(self, *args, compounds, **kwargs):
        from .models import DeliveryMethod

        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["method"].choices = DeliveryMethod.choices


class BoxForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=50)
    seal_number = forms.CharField(label=_("Seal number"), max_length=50)


class BoxEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"), choices=[("sealed", _("sealed")), ("moved", _("moved"))]
    )
    at = forms.DateTimeField(label=_("Time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"))
    present = forms.CharField(
        label=_("People present, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CountStartForm(forms.Form):
    place = forms.CharField(label=_("Place"))
    scrutineers = forms.CharField(
        label=_("Scrutineers (监票人), one per line"), widget=forms.Textarea(attrs={"rows": 2})
    )
    counters = forms.CharField(
        label=_("Counters (计票人), one per line"), widget=forms.Textarea(attrs={"rows": 2})
    )
    witnesses = forms.CharField(
        label=_("Owner witnesses: compound and unit of each, one per line (e.g. 水霞小区 3-502)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class SheetForm(forms.Form):
    box = forms.IntegerField(widget=forms.HiddenInput)
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    unit = forms.CharField(label=_("Unit"))
    signature = forms.ChoiceField(label=_("Signature"), choices=[])
    signer_name = forms.CharField(label=_("Signed by"), required=False)
    handed_in_by = forms.CharField(label=_("Handed in by"), required=False)
    scan = forms.FileField(label=_("Scan of the ballot (image or PDF)"))
    authorisation = forms.FileField(label=_("Written authorisation (proxy)"), required=False)
    id_copy = forms.FileField(label=_("Copy of the owner's ID (proxy)"), required=False)

    def __init__(self, *args, compounds, **kwargs):
        from .models import Signature

        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["signature"].choices = Signature.choices


class ReverificationForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=[])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Evidence (photo, scan or PDF of the call record)"), required=False
    )

    def __init__(self, *args, **kwargs):
        from .models import ReverificationMethod, ReverificationOutcome

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = ReverificationMethod.choices
        self.fields["outcome"].choices = ReverificationOutcome.choices


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
