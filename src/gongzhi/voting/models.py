"""Owners' decisions: the decision and its items, the frozen register, ballots,
one-time codes, the tamper-evident ledger and the published results.

Nothing here is edited after the fact: corrections are new rows that supersede
old ones, and every ballot event is appended to the decision's hash chain.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile
from gongzhi.registry.models import Compound, Neighbourhood, Owner, Unit, UnitUse


class Matter(models.TextChoices):
    """The matters of Civil Code Art. 278 para. 1, numbered as in the article."""

    PROCEDURE_RULES = "1", _("(1) rules of procedure of the owners' assembly")
    MANAGEMENT_RULES = "2", _("(2) management rules")
    COMMITTEE = "3", _("(3) electing or replacing the owners' committee")
    PROVIDER = "4", _("(4) hiring or dismissing the property service company")
    FUND_USE = "5", _("(5) using the maintenance fund")
    FUND_RAISE = "6", _("(6) raising the maintenance fund")
    REBUILD = "7", _("(7) rebuilding or reconstructing buildings and facilities")
    CHANGE_USE = "8", _("(8) changing the use of common parts or running a business on them")
    OTHER = "9", _("(9) other major matters of common ownership and management")


# Civil Code Art. 278 para. 2: matters 6-8 need three quarters of the participants.
MATTER_PRESET = {
    Matter.PROCEDURE_RULES: "civil-code-2021:ordinary",
    Matter.MANAGEMENT_RULES: "civil-code-2021:ordinary",
    Matter.COMMITTEE: "civil-code-2021:ordinary",
    Matter.PROVIDER: "civil-code-2021:ordinary",
    Matter.FUND_USE: "civil-code-2021:ordinary",
    Matter.FUND_RAISE: "civil-code-2021:major",
    Matter.REBUILD: "civil-code-2021:major",
    Matter.CHANGE_USE: "civil-code-2021:major",
    Matter.OTHER: "civil-code-2021:ordinary",
}


class RulePreset(models.TextChoices):
    CIVIL_ORDINARY = "civil-code-2021:ordinary", _("Civil Code 2021, ordinary matter")
    CIVIL_MAJOR = "civil-code-2021:major", _("Civil Code 2021, major matter")
    PROPERTY_ORDINARY = "property-law-2007:ordinary", _("Property Law 2007, ordinary matter")
    PROPERTY_MAJOR = "property-law-2007:major", _("Property Law 2007, major matter")


# The rule each preset applies, in the words of the law, for result pages and ballots.
RULE_LEGAL_NAMES = {
    RulePreset.CIVIL_ORDINARY: _(
        "Civil Code Art. 278 para. 2, ordinary matter: owners holding at least two thirds "
        "of the area and two thirds of the owners take part; more than half of the "
        "participating area and of the participating owners agree"
    ),
    RulePreset.CIVIL_MAJOR: _(
        "Civil Code Art. 278 para. 2, major matter: owners holding at least two thirds of "
        "the area and two thirds of the owners take part; at least three quarters of the "
        "participating area and of the participating owners agree"
    ),
    RulePreset.PROPERTY_ORDINARY: _(
        "Property Law (2007) Art. 76 para. 2, ordinary matter: owners holding more than "
        "half of the area and more than half of all owners agree"
    ),
    RulePreset.PROPERTY_MAJOR: _(
        "Property Law (2007) Art. 76 para. 2, major matter: owners holding at least two "
        "thirds of the area and two thirds of all owners agree"
    ),
}


class Scope(models.TextChoices):
    EACH = "each", _("each compound decides separately")
    COMBINED = "combined", _("all compounds together")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ANNOUNCED = "announced", _("announced")
    OPEN = "open", _("voting")
    CLOSED = "closed", _("closed")
    PRELIMINARY = "preliminary", _("preliminary result")
    FINAL = "final", _("final result")
    CANCELLED = "cancelled", _("cancelled")


# Announced and later: the public may see the decision (drafts and cancelled ones are
# the organisers' alone).
PUBLIC_STATUSES = [
    DecisionStatus.ANNOUNCED,
    DecisionStatus.OPEN,
    DecisionStatus.CLOSED,
    DecisionStatus.PRELIMINARY,
    DecisionStatus.FINAL,
]


class Decision(models.Model):
    """表决事项: a decision put to the owners of one or more compounds."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    title = PublicCharField(_("title"), max_length=200)
    text = PublicTextField(_("text"), blank=True)
    compounds = models.ManyToManyField(Compound, verbose_name=_("compounds"), related_name="+")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.EACH)
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    # Rules of procedure that apply to this decision.
    online_voting = models.BooleanField(_("online voting allowed"), default=True)
    non_voter_clause = models.BooleanField(
        _("non-voter clause (从众条款)"),
        default=False,
        help_text=_(
            "Delivered ballots not returned count with the majority. Printed on the ballot; "
            "results are always shown with and without it."
        ),
    )
    excluded_uses = models.JSONField(
        _("space types excluded from area and headcount"), default=list, blank=True
    )
    paper_double_entry = models.BooleanField(
        _("second clerk confirms paper ballots"), default=False
    )
    max_extension_days = models.PositiveIntegerField(_("longest extension (days)"), default=14)
    objection_days = models.PositiveIntegerField(
        _("objection period after the preliminary result (days)"), default=7
    )
    objection_answer_days = models.PositiveIntegerField(_("days to answer an objection"), default=5)
    proxy_cap = models.PositiveIntegerField(
        _("units one proxy or bearer may hand in before being flagged"), default=3
    )
    min_witnesses = models.PositiveIntegerField(
        _("owner witnesses required at a count"), default=10
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    notice_override_reason = PublicTextField(_("reason for a notice under 15 days"), blank=True)
    cooling_off_override_reason = PublicTextField(
        _("reason for putting a failed matter again early"), blank=True
    )
    cancel_reason = PublicTextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("owners' decision")
        verbose_name_plural = _("owners' decisions")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="decision_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Ballots are accepted: status open and inside the window."""
        now = timezone.now()
        return self.status == DecisionStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def excluded(self) -> frozenset[str]:
        return frozenset(self.excluded_uses or ())


class DecisionItem(models.Model):
    """One question on the ballot, judged by its own threshold preset."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = PublicTextField(_("question"))
    matter = models.CharField(
        _("matter (Civil Code Art. 278)"), max_length=2, choices=Matter.choices
    )
    rule = models.CharField(_("threshold"), max_length=40, choices=RulePreset.choices)
    # Alternatives (e.g. which company): empty for a yes/no question. A ballot may
    # then choose one alternative, reject all of them, or abstain.
    options = models.JSONField(_("alternatives"), default=list, blank=True)

    class Meta:
        verbose_name = _("decision item")
        verbose_name_plural = _("decision items")
        ordering = ["decision", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def has_alternatives(self) -> bool:
        return bool(self.options)

    def choice_values(self) -> list[str]:
        """Valid values for a ballot on this item."""
        if self.options:
            return [f"option:{n}" for n in range(len(self.options))] + ["reject", "abstain"]
        return ["agree", "disagree", "abstain"]


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


class Extension(models.Model):
    """A posted extension of the voting window."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="extensions")
    old_closes_at = models.DateTimeField()
    new_closes_at = models.DateTimeField()
    reason = PublicTextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.decision} → {self.new_closes_at:%Y-%m-%d}"


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


class ResultStage(models.TextChoices):
    PRELIMINARY = "preliminary", _("preliminary")
    FINAL = "final", _("final")


class DecisionResult(models.Model):
    """A published result: the tally frozen at a stage, with the ledger's head hash."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="results")
    stage = models.CharField(max_length=12, choices=ResultStage.choices)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    passed = models.BooleanField()
    head_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["decision", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "stage"], name="one_result_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_stage_display()}"


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
