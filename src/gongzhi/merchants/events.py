"""Audit events of the featured-merchant certification (13xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class MerchantEvent(models.IntegerChoices):
    SCHEME_CHANGED = 1301, _("Certification scheme changed")
    APPLICATION_SUBMITTED = 1302, _("Certification application submitted")
    PANEL_SET = 1303, _("Review panel set")
    SCORES_SUBMITTED = 1304, _("Review scores submitted")
    APPLICATION_DECIDED = 1305, _("Certification application decided")
    CERTIFICATE_CHANGED = 1306, _("Certificate status changed")
    MERCHANT_CHANGED = 1307, _("Merchant profile changed")
    OUTDATED_REPORTED = 1308, _("Directory entry reported as outdated")
    OUTDATED_RESOLVED = 1309, _("Outdated report handled")


register_events(MerchantEvent)
