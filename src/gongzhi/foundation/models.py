"""The community foundation's ledger (社区基金会): restricted funds, donations in
whole fen with their receipts and the donor's disclosure consent, disbursements that
never exceed a fund's balance or leave its purpose without the donor's consent, and
the disclosures the law asks for."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


def _token() -> str:
    return secrets.token_urlsafe(12)


class Fund(models.Model):
    """A restricted fund (专项基金): money given for one purpose and beneficiary."""

    foundation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("foundation"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    name = PublicCharField(_("name"), max_length=200)
    beneficiary = PublicCharField(_("beneficiary"), max_length=200)
    purpose = PublicTextField(_("purpose"), max_length=1000)
    starts_on = models.DateField(_("project starts"))
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    published = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("restricted fund")
        verbose_name_plural = _("restricted funds")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["foundation", "name"], name="fund_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="fund_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Disclosure(models.TextChoices):
    """How a donor agreed to be named on public pages, per gift."""

    NAMED = "named", _("by name")
    MASKED = "masked", _("name partly hidden")
    ANONYMOUS = "anonymous", _("anonymous")


class ReceiptKind(models.TextChoices):
    PAPER = "paper", _("paper receipt")
    ELECTRONIC = "electronic", _("electronic receipt")
    DECLINED = "declined", _("donor declined a receipt")


class Donation(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations")
    donor_name = models.CharField(_("donor"), max_length=200)
    donor_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("donor organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    received_on = models.DateField(_("received on"))
    occasion = PublicCharField(_("occasion"), max_length=200, blank=True)
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("donation agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    disclosure = models.CharField(
        _("donor shown"), max_length=10, choices=Disclosure.choices, default=Disclosure.MASKED
    )
    receipt_kind = models.CharField(_("receipt"), max_length=10, choices=ReceiptKind.choices)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    receipt_check_code = models.CharField(_("check code"), max_length=40, blank=True)
    verify_token = models.CharField(max_length=24, unique=True, default=_token, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="donation_positive"),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="donation_receipt_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.received_on}"


class PurposeConsent(models.Model):
    """The donor's recorded consent to spend a fund on another purpose than agreed
    (慈善法, amended 2023: a donation is used as its agreement says, a change needs
    the donor's consent): without it, no disbursement may change purpose."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="consents")
    donor_name = models.CharField(_("donor"), max_length=200)
    purpose = PublicCharField(_("new purpose"), max_length=300)
    given_on = models.DateField(_("given on"))
    note = models.TextField(_("how it was given"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("donor's consent to a change of purpose")
        verbose_name_plural = _("donors' consents to a change of purpose")
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return self.purpose


class Disbursement(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="disbursements")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(_("paid on"))
    beneficiary = PublicCharField(_("beneficiary"), max_length=200)
    purpose = PublicCharField(_("purpose"), max_length=300)
    consent = models.ForeignKey(
        PurposeConsent,
        verbose_name=_("donor's consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    note = PublicTextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.paid_on}"


class DisbursementEvidence(StoredFile):
    upload_folder = "foundation"

    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta:
        verbose_name = _("disbursement evidence")
        verbose_name_plural = _("disbursement evidence")


class DisclosureReport(models.Model):
    """A disclosure the foundation published: the annual report, a fund's quarterly
    report or its closing report. ``key`` names the obligation it meets (see
    ``calendar``)."""

    foundation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="disclosures"
    )
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    key = models.CharField(max_length=40)
    title = PublicCharField(_("title"), max_length=200)
    summary = PublicTextField(_("summary"), max_length=5000)
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["foundation", "key"], name="disclosure_once"),
        ]

    def __str__(self) -> str:
        return self.title
