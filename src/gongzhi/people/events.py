"""Audit events of people and roles (8xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.audit import register_events


class PeopleEvent(models.IntegerChoices):
    PERSON_INVITED = 801, _("Person invited")
    OWNER_CLAIMED = 802, _("Owner claimed their units")
    OWNER_LINKED_IN_PERSON = 803, _("Owner linked in person at the residents' committee")
    ACTIVATION_LETTERS_ISSUED = 804, _("Activation letters issued")
    OWNER_ACTIVATED = 805, _("Owner activated an account with a letter")


register_events(PeopleEvent)
