"""The register frozen at announcement, its owners and corrections, and the canvass."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicTextField
from gongzhi.registry.models import Compound, Owner, Unit, UnitUse

from .decisions import Decision


class RegisterEntry(models.Model):
    """One unit of the frozen register: copied from the registry when the decision
    is announced. The tally reads these rows, never the live registry."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="register")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="+")
    building_name = models.CharField(_("building"), max_length=50, blank=True)
    unit_number = models.CharField(_("unit"), max_length=50)
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=12, decimal_places=2)
    area_source = models.CharField(_("area source"), max_length=10)
    status = models.CharField(_("status"), max_length=12)
    use = models.CharField(_("use"), max_length=12, choices=UnitUse.choices)
    owners = models.ManyToManyField(Owner, through="RegisterOwner", related_name="+")
    excluded = models.BooleanField(_("excluded by the rules of procedure"), default=False)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("frozen register")
        ordering = ["compound__name", "building_name", "unit_number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "unit"], name="register_unit_unique")
        ]
        indexes = [models.Index(fields=["decision", "compound"])]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.label}"

    @property
    def label(self) -> str:
        """The unit as people name it within its compound: "1号楼 101", or "101"."""
        return (
            f"{self.building_name} {self.unit_number}" if self.building_name else self.unit_number
        )

    @property
    def developer_held(self) -> bool:
        return self.status in ("unsold", "undelivered")


class RegisterOwner(models.Model):
    """An owner of a unit as frozen in the register: who may vote for it, under the
    identifier and name the roll gave when the decision was announced (exports show
    these, not whatever the registry says today)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="owner_links")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="+")
    identifier = models.CharField(_("owner identifier"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("register owner")
        verbose_name_plural = _("register owners")
        constraints = [
            models.UniqueConstraint(fields=["entry", "owner"], name="register_owner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.owner}"


class RegisterCorrection(models.Model):
    """A correction of the frozen register before voting opens, with its reason."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField(max_length=20)
    old_value = models.JSONField(encoder=DjangoJSONEncoder)
    new_value = models.JSONField(encoder=DjangoJSONEncoder)
    reason = PublicTextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register correction")
        verbose_name_plural = _("register corrections")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.entry} {self.field}"


class CanvassStatus(models.TextChoices):
    NOT_VISITED = "not_visited", _("not visited")
    VISITED = "visited", _("visited")
    REFUSED = "refused", _("refused")
    WILL_VOTE = "will_vote", _("will vote")
    VOTED = "voted", _("voted")


class Canvass(models.Model):
    """Door-to-door canvassing of a unit that has not voted yet."""

    entry = models.OneToOneField(RegisterEntry, on_delete=models.CASCADE, related_name="canvass")
    status = models.CharField(
        max_length=12, choices=CanvassStatus.choices, default=CanvassStatus.NOT_VISITED
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("canvass")
        verbose_name_plural = _("canvassing")

    def __str__(self) -> str:
        return f"{self.entry} {self.status}"
