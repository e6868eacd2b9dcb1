"""Audit events of the community foundation's ledger (11xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class FoundationEvent(models.IntegerChoices):
    FUND_CHANGED = 1101, _("Restricted fund changed")
    DONATION_RECORDED = 1102, _("Donation recorded")
    DISBURSEMENT_RECORDED = 1103, _("Disbursement recorded")
    CONSENT_RECORDED = 1104, _("Donor's consent to a change of purpose recorded")
    DISCLOSURE_PUBLISHED = 1105, _("Disclosure published")


register_events(FoundationEvent)
