"""Ballots, one-time codes and the ledger every ballot event is appended to."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.registry.models import Owner

from .decisions import Decision, DecisionItem
from .register import RegisterEntry


class Channel(models.TextChoices):
    PAPER = "paper", _("paper, entered by a clerk")
    ONLINE = "online", _("online, signed in")
    CODE = "code", _("online with the one-time code")


class BallotState(models.TextChoices):
    EFFECTIVE = "effective", _("effective")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("superseded by a correction")
    EXCLUDED = "excluded", _("excluded after re-verification")


class Confirmation(models.TextChoices):
    NOT_NEEDED = "not_needed", _("not needed")
    PENDING = "pending", _("awaiting a second clerk")
    CONFIRMED = "confirmed", _("confirmed by a second clerk")
    DISPUTED = "disputed", _("second entry differs")


class Ballot(models.Model):
    """One choice on one item for one unit of the register.

    At most one effective ballot per item and unit, whatever the channel (a
    database constraint): the first valid ballot locks the unit, later ones are
    kept as rejected with the reason.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="ballots")
    item = models.ForeignKey(DecisionItem, on_delete=models.PROTECT, related_name="ballots")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=BallotState.choices, default=BallotState.EFFECTIVE
    )
    reason = models.TextField(_("reason"), blank=True)
    cast_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmation = models.CharField(
        max_length=12, choices=Confirmation.choices, default=Confirmation.NOT_NEEDED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmation_choice = models.CharField(max_length=20, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    receipt = models.CharField(_("receipt code"), max_length=16, blank=True, db_index=True)
    sheet = models.ForeignKey(
        "PaperSheet", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "entry"],
                condition=Q(state="effective"),
                name="one_effective_ballot_per_item_and_unit",
            )
        ]
        indexes = [models.Index(fields=["decision", "state"])]

    def __str__(self) -> str:
        return f"{self.entry} · {self.item.position} · {self.choice}"


class OneTimeCode(models.Model):
    """The code printed on a unit's paper ballot for voting online; stored hashed."""

    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="code")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(auto_now=True)
    failed_attempts = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.entry} code"


class LedgerEntry(models.Model):
    """One event in the decision's hash chain: SHA-256 over the previous hash and
    the canonical JSON of this event. Appended, never changed."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="ledger")
    sequence = models.PositiveIntegerField()
    event = models.CharField(max_length=40)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["decision", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "sequence"], name="ledger_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}#{self.sequence} {self.event}"
