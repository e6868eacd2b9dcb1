from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.forms import CODE, NEW_PASSWORD, PHONE
from gongzhi.accounts.models import Role
from gongzhi.registry.models import Compound, Neighbourhood, PropertyCompany, SubDistrict


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)
    sub_district = forms.ModelChoiceField(
        label=_("Sub-district"), queryset=SubDistrict.objects.none(), required=False
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Residents' area"), queryset=Neighbourhood.objects.none(), required=False
    )
    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=Compound.objects.none(), required=False
    )
    company = forms.ModelChoiceField(
        label=_("Property company"), queryset=PropertyCompany.objects.none(), required=False
    )
    term_ends_on = forms.DateField(
        label=_("Term ends (committee members)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, roles, sub_districts, areas, compounds, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["sub_district"].queryset = sub_districts
        self.fields["neighbourhood"].queryset = areas
        self.fields["compound"].queryset = compounds
        self.fields["company"].queryset = companies

    def clean(self):
        data = super().clean()
        needed = {
            Role.SUB_DISTRICT_OFFICIAL: "sub_district",
            Role.CLERK: "neighbourhood",
            Role.COMMITTEE_MEMBER: "compound",
            Role.COMPANY_STAFF: "company",
        }.get(data.get("role"))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose where this role applies."))
        return data


class ClaimForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    building = forms.CharField(
        label=_("Building"),
        max_length=50,
        required=False,
        help_text=_("as on your property certificate, e.g. 3号楼; leave empty if none"),
    )
    room = forms.CharField(label=_("Room"), max_length=50, help_text=_("e.g. 502"))
    id_number = forms.CharField(
        label=_("ID card number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class ConfirmForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)
    code = forms.CharField(label=_("Code from the SMS"), max_length=10, widget=CODE)
    password = forms.CharField(label=_("Choose a password"), max_length=128, widget=NEW_PASSWORD)


class ActivateForm(forms.Form):
    code = forms.CharField(label=_("Code on your letter"), max_length=20)
    phone = forms.CharField(label=_("Your mobile number"), max_length=30, widget=PHONE)


class FindUnitForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    building = forms.CharField(label=_("Building"), max_length=50, required=False)
    room = forms.CharField(label=_("Room"), max_length=50)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds


class LinkForm(forms.Form):
    owner = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)
    id_number = forms.CharField(
        label=_("ID card number (as on the card)"), max_length=30, required=False
    )
    id_card = forms.BooleanField(label=_("I checked the ID card in person"), required=False)
    property_certificate = forms.BooleanField(
        label=_("I checked the property certificate in person"), required=False
    )


class LettersForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    which = forms.ChoiceField(
        label=_("For whom"),
        choices=[
            ("without_contact", _("owners the roll has no mobile or ID number for")),
            ("all", _("every owner of the compound")),
        ],
    )

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
