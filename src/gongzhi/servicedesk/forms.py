from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.registry.models import Building, Compound, Organisation, Unit

from .models import Category, Outcome, PartyKind, Place


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotos(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"})

    def clean(self, data, initial=None):
        if not data:
            return []
        if isinstance(data, list | tuple):
            return [super(MultiplePhotos, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class ReportForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    category = forms.ModelChoiceField(label=_("What is wrong"), queryset=Category.objects.none())
    place = forms.ChoiceField(label=_("Where"), choices=Place.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    place_note = forms.CharField(label=_("Where exactly"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    photos = MultiplePhotos(label=_("Photos (up to 5)"), required=False)
    emergency = forms.BooleanField(
        label=_("Emergency (water pouring, someone trapped)"), required=False
    )
    warranty = forms.BooleanField(label=_("Still under the developer's warranty"), required=False)
    paid = forms.BooleanField(label=_("A paid service"), required=False)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    # staff recording a request on someone's behalf
    channel = forms.ChoiceField(label=_("Reported"), required=False, choices=[])
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)

    def __init__(self, *args, compounds, categories, units, buildings, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in (
            ("compound", compounds),
            ("category", categories),
            ("unit", units),
            ("building", buildings),
        ):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = rows
        if staff:
            from .models import Channel

            cast(forms.ChoiceField, self.fields["channel"]).choices = [
                (c.value, c.label) for c in Channel if c not in (Channel.OPEN311,)
            ]
        else:
            for name in ("channel", "reporter_name", "reporter_phone"):
                del self.fields[name]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class TransferForm(ReasonForm):
    party = forms.ChoiceField(label=_("To"), choices=PartyKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DeferForm(ReasonForm):
    until = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect, initial="fixed"
    )
    reason = forms.CharField(
        label=_("What was done, or why not"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of request #"), required=False, min_value=1
    )
    photos = MultiplePhotos(label=_("Photos after the work"), required=False)


# five stars to one, none chosen beforehand
RATINGS = [(n, "★" * n + "☆" * (5 - n)) for n in range(5, 0, -1)]


class FeedbackForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Is it fixed?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    overall = forms.TypedChoiceField(
        label=_("Overall"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    speed = forms.TypedChoiceField(
        label=_("Speed"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    attitude = forms.TypedChoiceField(
        label=_("Attitude"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class CheckForm(forms.Form):
    satisfied = forms.BooleanField(label=_("Satisfactory"), required=False)
    method = forms.ChoiceField(
        label=_("How"), choices=[("visit", _("visit")), ("call", _("call"))], required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )
