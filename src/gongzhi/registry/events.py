"""Audit events of the registry (1xx; 101–106 are listed in core.models.EventType)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class RegistryEvent(models.IntegerChoices):
    SUB_DISTRICT_CREATED = 107, _("Sub-district created")
    NEIGHBOURHOOD_CREATED = 108, _("Residents' area created")


register_events(RegistryEvent)
