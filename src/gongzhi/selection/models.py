"""Provider selection. So far: the district's temporary-provider pool.

临时物业服务企业预选库 (Shanghai 住宅物业管理规定 Art. 52): companies the district
admits as temporary custodians for compounds whose provider leaves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderPool(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    district = models.CharField(_("district"), max_length=100)

    class Meta:
        verbose_name = _("temporary-provider pool")
        verbose_name_plural = _("temporary-provider pools")

    def __str__(self) -> str:
        return self.name


class PoolEntryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    REMOVED = "removed", _("removed")


class PoolEntry(models.Model):
    pool = models.ForeignKey(
        ProviderPool, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="entries"
    )
    company = models.ForeignKey(
        "registry.PropertyCompany",
        verbose_name=_("property company"),
        on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    admitted_on = models.DateField(_("admitted on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=12, choices=PoolEntryStatus.choices, default=PoolEntryStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason for status"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=1, help_text=_("How many more management areas it can take.")
    )

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        constraints = [
            models.UniqueConstraint(fields=["pool", "company"], name="pool_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pool} · {self.company}"
