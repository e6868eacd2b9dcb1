"""The paper trail: evidence, deliveries, sealed boxes and their events, count
sessions and the sheets entered, objections and re-verifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicTextField
from gongzhi.core.models import StoredFile
from gongzhi.registry.models import Owner

from .decisions import Decision
from .register import RegisterEntry

# --- the paper trail ----------------------------------------------------------


class EvidenceKind(models.TextChoices):
    DELIVERY = "delivery", _("proof of delivery")
    AUTHORISATION = "authorisation", _("written authorisation (委托书)")
    ID_COPY = "id_copy", _("copy of the owner's ID")
    SCAN = "scan", _("ballot scan")
    REVERIFICATION = "reverification", _("re-verification record")
    TALLY_SHEET = "tally_sheet", _("signed tally sheet")


class Evidence(StoredFile):
    """An uploaded file (image or PDF) of the paper trail, served only to those
    allowed. Never changed: ``gongzhi verify_decision`` checks the hash."""

    upload_folder = "evidence"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class DeliveryMethod(models.TextChoices):
    HAND = "hand", _("hand delivery, signed for")
    REGISTERED_MAIL = "registered_mail", _("registered mail")
    ONLINE = "online", _("online, on signing in")
    POSTED = "posted", _("posted in the compound (undeliverable)")


class Delivery(models.Model):
    """送达: how a unit's ballot reached it, when and by whom, with evidence."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="deliveries")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField(_("method"), max_length=20, choices=DeliveryMethod.choices)
    delivered_at = models.DateTimeField(_("delivered"))
    delivered_by = models.CharField(_("delivered by"), max_length=100, blank=True)
    recipient = models.CharField(_("received by"), max_length=100, blank=True)
    mail_number = models.CharField(_("registered mail number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["delivered_at", "id"]
        indexes = [models.Index(fields=["decision", "entry"])]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_method_display()}"


class BallotBox(models.Model):
    """A sealed ballot box in the residents' committee's custody."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="boxes")
    label = models.CharField(_("label"), max_length=50)
    seal_number = models.CharField(_("seal number"), max_length=50)

    class Meta:
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "label"], name="box_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.seal_number})"


class BoxEventKind(models.TextChoices):
    SEALED = "sealed", _("sealed")
    MOVED = "moved", _("moved")
    OPENED = "opened", _("opened")


class BoxEvent(models.Model):
    """Each sealing, move and opening of a box: when, where, and who was present."""

    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=BoxEventKind.choices)
    at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    present = models.JSONField(_("people present"), default=list)
    seal_intact = models.BooleanField(_("seal intact"), default=True)
    session = models.ForeignKey(
        "CountSession", null=True, blank=True, on_delete=models.PROTECT, related_name="box_events"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("box event")
        verbose_name_plural = _("box events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.box} {self.get_kind_display()}"


class SessionStatus(models.TextChoices):
    COUNTING = "counting", _("counting")
    CLOSED = "closed", _("closed")


class CountSession(models.Model):
    """The public count: who watched, which boxes were opened, what was entered."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="count_sessions")
    place = models.CharField(_("place"), max_length=200)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    scrutineers = models.JSONField(_("scrutineers (监票人)"), default=list)
    counters = models.JSONField(_("counters (计票人)"), default=list)
    witnesses = models.ManyToManyField(Owner, verbose_name=_("owner witnesses"), related_name="+")
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.COUNTING
    )
    head_hash = models.CharField(_("ledger head hash at the close"), max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("count session")
        verbose_name_plural = _("count sessions")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.decision} · {self.started_at:%Y-%m-%d %H:%M}"


class Signature(models.TextChoices):
    OWNER = "owner", _("signed by the owner")
    PROXY = "proxy", _("signed by a proxy with written authorisation")
    UNSIGNED = "unsigned", _("unsigned")


class PaperSheet(models.Model):
    """One paper ballot as it came out of a box: who signed it, who handed it in, its scan."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sheets")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="sheets")
    session = models.ForeignKey(
        CountSession, null=True, blank=True, on_delete=models.PROTECT, related_name="sheets"
    )
    box = models.ForeignKey(
        BallotBox, null=True, blank=True, on_delete=models.PROTECT, related_name="sheets"
    )
    signature = models.CharField(_("signature"), max_length=10, choices=Signature.choices)
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    handed_in_by = models.CharField(_("handed in by"), max_length=100, blank=True)
    authorisation = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    id_copy = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scan = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_reason = models.CharField(_("not entered because"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper ballot sheet")
        verbose_name_plural = _("paper ballot sheets")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_signature_display()}"


class Objection(models.Model):
    """A written, real-name objection to the preliminary result, and its answer."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="+")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = PublicTextField(_("objection"))
    lodged_at = models.DateTimeField(_("lodged"))
    answer_due = models.DateTimeField(_("answer due"))
    answer = PublicTextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} · {self.lodged_at:%Y-%m-%d}"


class ReverificationMethod(models.TextChoices):
    VISIT = "visit", _("home visit")
    CALL = "call", _("recorded telephone call")


class ReverificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("the owner confirms the ballot")
    DISOWNED = "disowned", _("the owner disowns the ballot")
    UNREACHABLE = "unreachable", _("the owner could not be reached")


class Reverification(models.Model):
    """A doubtful paper ballot checked with the owner; a disowned one is excluded."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reverifications")
    sheet = models.ForeignKey(PaperSheet, on_delete=models.PROTECT, related_name="reverifications")
    method = models.CharField(_("method"), max_length=10, choices=ReverificationMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ReverificationOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("re-verification")
        verbose_name_plural = _("re-verifications")
        ordering = ["checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.sheet} {self.get_outcome_display()}"
