"""Audit events of partners, agreements and the enterprise pipeline (12xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class PartnerEvent(models.IntegerChoices):
    ORGANISATION_CHANGED = 1201, _("Partner organisation changed")
    AGREEMENT_CHANGED = 1202, _("Agreement changed")
    AGREEMENT_STATUS = 1203, _("Agreement status changed")
    COMMITMENT_CHANGED = 1204, _("Commitment changed")
    ENTERPRISE_CHANGED = 1205, _("Enterprise stage changed")
    SERVICE_RECORDED = 1206, _("Service to an enterprise recorded")
    EVENT_CHANGED = 1207, _("Event changed")


register_events(PartnerEvent)
