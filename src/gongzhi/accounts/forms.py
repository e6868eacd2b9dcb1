from django import forms
from django.utils.translation import gettext_lazy as _

PHONE = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"})
CODE = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"})
NEW_PASSWORD = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)


class CodeForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=30, widget=PHONE)
    code = forms.CharField(label=_("Code from the SMS"), max_length=10, widget=CODE)


class CodePasswordForm(CodeForm):
    password = forms.CharField(label=_("New password"), widget=NEW_PASSWORD, max_length=128)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=NEW_PASSWORD, max_length=128)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    email = forms.CharField(label=_("E-mail (optional)"), max_length=254, required=False)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput, max_length=128
    )
    password = forms.CharField(label=_("New password"), widget=NEW_PASSWORD, max_length=128)
