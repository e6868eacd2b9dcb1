"""Public notices (公示) with their display windows, attachments and owners' opinions,
and the quarterly public-revenue statements published as notices."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


class NoticeKind(models.TextChoices):
    GENERAL = "general", _("general notice")
    PROGRESS = "progress", _("progress report")
    ASSEMBLY = "assembly", _("notice of an owners' assembly or vote")
    RESULT = "result", _("result of an owners' decision")
    PLAN = "plan", _("selection plan")
    RANKING = "ranking", _("ranking of candidates")
    FEES = "fees", _("fee standards and service items")
    MERGER = "merger", _("merger of management areas")
    COMMITTEE = "committee", _("owners' committee")
    AUDIT = "audit", _("audit results")
    PUBLIC_REVENUE = "public_revenue", _("public-revenue statement")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("notice status", "draft")
    PUBLISHED = "published", pgettext_lazy("notice status", "published")
    WITHDRAWN = "withdrawn", pgettext_lazy("notice status", "withdrawn")


class Notice(models.Model):
    """A public notice: shown on the board from ``display_from`` until ``display_until``."""

    neighbourhood = models.ForeignKey(
        "registry.Neighbourhood",
        verbose_name=_("residents' area"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    compounds = models.ManyToManyField(
        "registry.Compound", verbose_name=_("compounds"), related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = PublicCharField(_("title"), max_length=200)
    body = PublicTextField(
        _("text"), markup=True, help_text=_("Sanitised HTML; personal data masked.")
    )
    event_at = models.DateTimeField(
        _("date of the assembly or vote"), null=True, blank=True
    )  # for notices of an assembly: the notice must be up 15 days before
    display_from = models.DateTimeField(_("displayed from"))
    display_until = models.DateTimeField(_("displayed until"))
    opinions_open = models.BooleanField(_("owners may leave opinions (意见征询)"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    window_override = PublicTextField(_("why a shorter display window is lawful"), blank=True)
    withdrawn_reason = PublicTextField(_("why withdrawn"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-display_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(display_until__gt=models.F("display_from")),
                name="notice_window_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(StoredFile):
    """A file posted with a notice (a plan, a statement), public with it."""

    upload_folder = "notices"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class NoticeOpinion(models.Model):
    """An owner's opinion left during the display window, and the clerk's answer."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="opinions")
    owner = models.ForeignKey(
        "registry.Owner", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = PublicTextField(_("opinion"))
    created_at = models.DateTimeField(_("left at"))
    answer = PublicTextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice} · {self.created_at:%Y-%m-%d}"


class PublicRevenueStatement(models.Model):
    """公共收益: a quarter's income from the common parts of a management area, its
    expenses, and what went into the maintenance fund (Shanghai 住宅物业管理规定
    Art. 51: more than half of the net revenue)."""

    management_area = models.ForeignKey(
        "registry.ManagementArea",
        verbose_name=_("management area"),
        on_delete=models.PROTECT,
        related_name="revenue_statements",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    income = models.JSONField(_("income by source"), default=list)  # [{"source", "amount"}]
    expenses = models.JSONField(_("expenses"), default=list)  # [{"item", "amount"}]
    to_maintenance_fund = models.DecimalField(
        _("put into the maintenance fund"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    note = PublicTextField(_("note"), blank=True)
    notice = models.OneToOneField(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="statement"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public-revenue statement")
        verbose_name_plural = _("public-revenue statements")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["management_area", "year", "quarter"], name="one_statement_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="statement_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.management_area} {self.year} Q{self.quarter}"
