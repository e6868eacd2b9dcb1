"""The sub-district's partners: contacts at organisations (chambers of commerce,
enterprises, foundations, government offices), agreements with their parties and
tracked commitments, enterprises settling in with the services given to them, and
the events (ceremonies, markets, promotion events) that fulfil agreements."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


class Contact(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    STRATEGIC = "strategic", _("comprehensive strategic cooperation")
    PARTY_BUILDING = "party_building", _("party-building co-construction")
    SETTLE_INTENT = "settle_intent", _("letter of intent to settle")
    DONATION = "donation", _("donation agreement")
    OTHER = "other", _("other agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "draft")
    SIGNED = "signed", pgettext_lazy("agreement", "signed")
    IN_FORCE = "in_force", pgettext_lazy("agreement", "in force")
    EXPIRED = "expired", pgettext_lazy("agreement", "expired")
    TERMINATED = "terminated", pgettext_lazy("agreement", "terminated")


class EventKind(models.TextChoices):
    CEREMONY = "ceremony", _("signing ceremony")
    MARKET = "market", _("market")
    PROMOTION = "promotion", _("promotion event")
    OTHER = "other", _("other event")


class Event(models.Model):
    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.PROTECT, related_name="partner_events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = PublicCharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = PublicCharField(_("place"), max_length=200, blank=True)
    summary = PublicTextField(_("summary"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Booth(models.Model):
    """A stall at a market: the merchant (when it is in the directory) and its format."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths")
    merchant = models.ForeignKey(
        "merchants.Merchant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booths",
    )
    name = PublicCharField(_("stall"), max_length=200)
    business_format = PublicCharField(_("business format"), max_length=100, blank=True)
    is_new_format = models.BooleanField(_("new business format"), default=False)

    class Meta:
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = PublicCharField(_("title"), max_length=200)
    summary = PublicTextField(_("summary"), max_length=5000, blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("signed at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    ended_reason = models.CharField(_("reason it ended"), max_length=500, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(expires_on__gt=models.F("signed_on")),
                name="agreement_expires_after_signing",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != AgreementStatus.DRAFT


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    signatory = models.CharField(_("signatory"), max_length=100, blank=True)
    role = models.CharField(_("role in the agreement"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class AgreementDocument(StoredFile):
    upload_folder = "agreements"

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="document")

    class Meta:
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")


class Commitment(models.Model):
    """A deliverable an agreement promises, with who answers for it and by when."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    title = PublicCharField(_("commitment"), max_length=300)
    owner = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("responsible party"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    owner_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = PublicTextField(_("evidence"), max_length=2000, blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("fulfilled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def overdue_on(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_on < today


class Stage(models.TextChoices):
    INTENT = "intent", _("intent")
    REGISTERED = "registered", _("registered")
    SETTLED = "settled", _("settled (落地)")
    IN_SERVICE = "in_service", _("in service")


STAGE_ORDER = [Stage.INTENT, Stage.REGISTERED, Stage.SETTLED, Stage.IN_SERVICE]


class Enterprise(models.Model):
    """An enterprise settling in the sub-district, recommended by a partner."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.PROTECT, related_name="enterprise"
    )
    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.PROTECT, related_name="enterprises"
    )
    recommended_by = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("letter of intent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    business = models.CharField(_("business"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    stage_since = models.DateField(_("stage since"))

    class Meta:
        verbose_name = _("enterprise settling in")
        verbose_name_plural = _("enterprises settling in")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


class ServiceKind(models.TextChoices):
    VISIT = "visit", _("visit")
    PROBLEM = "problem", _("problem solved")
    REGISTRATION = "registration", _("help with registration")
    OTHER = "other", _("other service")


class EnterpriseService(models.Model):
    """What the sub-district did for an enterprise (服务至上, made measurable)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=14, choices=ServiceKind.choices)
    on = models.DateField(_("on"))
    summary = models.CharField(_("what was done"), max_length=500)
    problem = models.CharField(_("problem raised"), max_length=500, blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service to an enterprise")
        verbose_name_plural = _("services to enterprises")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.summary
