"""The featured-merchant certification (特色商家认证) and the public directory.

A district office runs a scheme with versioned, weighted criteria and a pass mark;
sub-districts nominate (推送) merchants or merchants apply; a panel scores blind;
a passing application gets a certificate (number, validity, QR to its public
verification) that can expire, be suspended or revoked with a reason. Only
merchants with a valid certificate are in the directory."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


class Scheme(models.Model):
    run_by = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    district = models.CharField(_("district"), max_length=100)
    name = PublicCharField(_("name"), max_length=200)
    number_prefix = models.CharField(_("certificate number prefix"), max_length=20)

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(models.Model):
    """One edition of the criteria: fixed once an application uses it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (points)"))
    valid_months = models.PositiveSmallIntegerField(_("certificate valid for (months)"))
    panel_minimum = models.PositiveSmallIntegerField(_("smallest panel"), default=3)
    published_on = models.DateField(_("in use from"))

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"


class SchemeCriterion(models.Model):
    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=30)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="criterion_key_once"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.label


class Category(models.TextChoices):
    BAKERY = "bakery", _("bakery and desserts")
    CAFE = "cafe", _("café and drinks")
    FOOD = "food", _("food")
    RETAIL = "retail", _("shop")
    CREATIVE = "creative", _("culture and creative")
    SERVICES = "services", _("services")
    OTHER = "other", pgettext_lazy("merchant", "other")


class Merchant(models.Model):
    """A shop. The organisation carries its credit code and the owner's membership."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.PROTECT, related_name="merchant"
    )
    sub_district = models.ForeignKey(
        "registry.SubDistrict", on_delete=models.PROTECT, related_name="merchants"
    )
    name = PublicCharField(_("name"), max_length=200)
    address = PublicCharField(_("address"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    story = PublicTextField(_("story"), max_length=3000, blank=True)
    opening_hours = PublicCharField(_("opening hours"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    verified_on = models.DateField(_("last verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class MerchantPhoto(StoredFile):
    upload_folder = "merchants"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("merchant photo")
        verbose_name_plural = _("merchant photos")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("certification", "submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("certification", "under review")
    CERTIFIED = "certified", pgettext_lazy("certification", "certified")
    REFUSED = "refused", pgettext_lazy("certification", "refused")


class Application(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="applications"
    )
    nominated_by = models.ForeignKey(
        "registry.SubDistrict",
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    statement = models.TextField(_("statement and evidence"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="merchant_reviews", blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), max_length=3000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merchant} · {self.version}"


class ApplicationEvidence(StoredFile):
    upload_folder = "merchants"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        verbose_name = _("application evidence")
        verbose_name_plural = _("application evidence")


class ReviewSheet(models.Model):
    """One reviewer's scores for one application; the others see it only once every
    member has submitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sheets")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_no_conflict = models.BooleanField(default=False)
    scores = models.JSONField(default=dict)  # criterion key -> "12.5" (exact text)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review sheet")
        verbose_name_plural = _("review sheets")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_sheet_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.reviewer}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate", "valid")
    EXPIRED = "expired", pgettext_lazy("certificate", "expired")
    SUSPENDED = "suspended", pgettext_lazy("certificate", "suspended")
    REVOKED = "revoked", pgettext_lazy("certificate", "revoked")


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(
            status=CertificateStatus.VALID, valid_from__lte=day, valid_until__gte=day
        )


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="certificates")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # stored status is valid, suspended or revoked; "expired" is read from the date
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    reason = PublicCharField(_("reason"), max_length=500, blank=True)
    changed_on = models.DateField(_("status since"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-valid_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="certificate_dates"
            ),
            models.CheckConstraint(
                condition=Q(status="valid") | ~Q(reason=""), name="certificate_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: dt.date) -> str:
        if self.status != CertificateStatus.VALID:
            return self.status
        return CertificateStatus.EXPIRED if day > self.valid_until else CertificateStatus.VALID


class OutdatedReport(models.Model):
    """A resident's report that a directory entry is out of date."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="reports")
    reason = PublicTextField(_("what is out of date"), max_length=1000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("what was done"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outdated report")
        verbose_name_plural = _("outdated reports")
        ordering = ["resolved_at", "-reported_at"]

    def __str__(self) -> str:
        return self.reason[:40]
