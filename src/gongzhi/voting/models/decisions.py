"""A decision, its items and extensions, and its published results."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.registry.models import Compound, Neighbourhood


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
    # Each compound's totals of the frozen register ({compound id: {"area", "heads",
    # "units"}}), counted when it is frozen and after each correction, so that the
    # register page need not read every unit; verify_decision recounts them.
    register_totals = models.JSONField(
        _("register totals"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
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


class ResultStage(models.TextChoices):
    PRELIMINARY = "preliminary", _("preliminary")
    FINAL = "final", _("final")


class DecisionResultQuerySet(models.QuerySet["DecisionResult"]):
    def latest_published(self) -> DecisionResult | None:
        """The result published last (final once there is one), or None."""
        return self.order_by("-published_at").first()

    def at_stage(self, stage: str) -> DecisionResult | None:
        return self.filter(stage=stage).first()

    def in_order(self) -> DecisionResultQuerySet:
        """As published: preliminary, then final."""
        return self.order_by("published_at")


class DecisionResult(models.Model):
    """A published result: the tally frozen at a stage, with the ledger's head hash."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="results")
    stage = models.CharField(max_length=12, choices=ResultStage.choices)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    passed = models.BooleanField()
    head_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()

    objects = DecisionResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["decision", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "stage"], name="one_result_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_stage_display()}"
