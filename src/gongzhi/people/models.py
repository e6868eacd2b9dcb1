"""Activation letters: a one-time code on paper for owners the roll has no mobile or
ID number for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivationCode(models.Model):
    """One owner's code in a compound, printed on a letter delivered to their door.
    Stored as a keyed hash; printing again replaces unused codes."""

    owner = models.ForeignKey(
        "registry.Owner", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    compound = models.ForeignKey(
        "registry.Compound", verbose_name=_("compound"), on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("printed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["owner", "used_at"])]

    def __str__(self) -> str:
        return f"{self.owner} · {self.compound}"
