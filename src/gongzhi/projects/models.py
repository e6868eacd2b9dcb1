"""Street-improvement projects (美丽街区): items with progress and weights, budgets and
spending in fen, milestones with photos, and links to the meetings, decisions, notices
and service requests behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


class ItemStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project item", "planned")
    UNDER_WAY = "under_way", pgettext_lazy("project item", "under way")
    DONE = "done", pgettext_lazy("project item", "done")
    CANCELLED = "cancelled", pgettext_lazy("project item", "cancelled")


class Project(models.Model):
    sub_district = models.ForeignKey(
        "registry.SubDistrict",
        verbose_name=_("sub-district"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    neighbourhoods = models.ManyToManyField(
        "registry.Neighbourhood",
        verbose_name=_("residents' areas"),
        related_name="projects",
        blank=True,
    )
    title = PublicCharField(_("title"), max_length=200)
    summary = PublicTextField(_("summary"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    published = models.BooleanField(_("public"), default=False)
    meetings = models.ManyToManyField("cases.Meeting", related_name="projects", blank=True)
    decisions = models.ManyToManyField("voting.Decision", related_name="projects", blank=True)
    notices = models.ManyToManyField("notices.Notice", related_name="projects", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("street-improvement project")
        verbose_name_plural = _("street-improvement projects")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProjectItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    title = PublicCharField(_("title"), max_length=200)
    description = PublicTextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    budget_fen = models.BigIntegerField(_("budget (fen)"), default=0)
    spent_fen = models.BigIntegerField(_("spent (fen)"), default=0)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    requests = models.ManyToManyField(
        "servicedesk.ServiceRequest", related_name="project_items", blank=True
    )

    class Meta:
        verbose_name = _("project item")
        verbose_name_plural = _("project items")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="item_progress_percent"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="item_weight_positive"),
            models.CheckConstraint(
                condition=Q(budget_fen__gte=0, spent_fen__gte=0), name="item_money_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    item = models.ForeignKey(ProjectItem, on_delete=models.CASCADE, related_name="milestones")
    title = PublicCharField(_("title"), max_length=200)
    on = models.DateField(_("on"))
    note = PublicTextField(_("note"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress then (%)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return self.title


class MilestonePhoto(StoredFile):
    upload_folder = "projects"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("milestone photo")
        verbose_name_plural = _("milestone photos")
