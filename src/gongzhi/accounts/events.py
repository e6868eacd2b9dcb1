"""Audit events of accounts (2xx; 201–203 are listed in core.models.EventType)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class AccountEvent(models.IntegerChoices):
    ACCOUNT_CREATED = 204, _("Account created")
    PASSWORD_SET = 205, _("Password set")
    PHONE_CHANGED = 206, _("Mobile number changed")
    TOKEN_ISSUED = 207, _("API token issued")
    TOKEN_REVOKED = 208, _("API token revoked")
    SIGNED_IN_BY_CODE = 209, _("Signed in with an SMS code")
    CODE_LOCKED = 210, _("SMS code locked after wrong tries")


register_events(AccountEvent)
