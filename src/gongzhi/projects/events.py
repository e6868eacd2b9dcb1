"""Audit events of street-improvement projects (10xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class ProjectEvent(models.IntegerChoices):
    PROJECT_CHANGED = 1001, _("Project changed")
    ITEM_CHANGED = 1002, _("Project item changed")
    MILESTONE_RECORDED = 1003, _("Project milestone recorded")


register_events(ProjectEvent)
