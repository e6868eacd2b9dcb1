"""Audit events of the service desk (9xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class DeskEvent(models.IntegerChoices):
    REQUEST_CHANGED = 901, _("Service request changed")
    INCIDENT_CHANGED = 902, _("Incident changed")
    ASSET_CHANGED = 903, _("Shared asset changed")
    DEADLINES_CHANGED = 904, _("Service deadlines changed")
    OPEN311_KEY_ISSUED = 905, _("Open311 key issued")
    OPEN311_KEY_REVOKED = 906, _("Open311 key revoked")


register_events(DeskEvent)
