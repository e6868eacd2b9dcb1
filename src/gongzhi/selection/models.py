"""Provider selection: the temporary-provider pool, custody by proximity, and hiring
through a selection plan, bids and an expert evaluation panel.

临时物业服务企业预选库 (Shanghai 住宅物业管理规定 Art. 52): companies the district
admits as temporary custodians for compounds whose provider leaves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile


class ProviderPool(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    district = models.CharField(_("district"), max_length=100)
    is_demo = models.BooleanField(_("invented demo data"), default=False)

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
    status_reason = PublicCharField(_("reason for status"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=1, help_text=_("How many more management areas it can take.")
    )
    service_record = PublicTextField(_("service record"), blank=True)

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        constraints = [
            models.UniqueConstraint(fields=["pool", "company"], name="pool_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pool} · {self.company}"


class CompanyOffice(models.Model):
    """A place a company works from; the proximity principle measures from here."""

    company = models.ForeignKey(
        "registry.PropertyCompany",
        verbose_name=_("property company"),
        on_delete=models.CASCADE,
        related_name="offices",
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("company office")
        verbose_name_plural = _("company offices")

    def __str__(self) -> str:
        return f"{self.company} · {self.name}"


class ConflictOfInterest(models.Model):
    """A company's declared conflict of interest with a compound: excluded from custody."""

    company = models.ForeignKey(
        "registry.PropertyCompany", on_delete=models.CASCADE, related_name="conflicts"
    )
    compound = models.ForeignKey(
        "registry.Compound", on_delete=models.CASCADE, related_name="provider_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=255)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.company} · {self.compound}"


class RequestedBy(models.TextChoices):
    COMMITTEE = "committee", _("the owners' committee")
    OWNERS = "owners", _("at least 20 per cent of the owners, through the residents' committee")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ASSIGNED = "assigned", _("custodian assigned")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CustodyRequest(models.Model):
    """A compound asks the sub-district for a temporary custodian because its
    provider is leaving (托管申请)."""

    compound = models.ForeignKey(
        "registry.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="custody_requests",
    )
    requested_by = models.CharField(_("requested by"), max_length=12, choices=RequestedBy.choices)
    supporters = models.ManyToManyField(
        "registry.Owner", verbose_name=_("supporting owners"), related_name="+", blank=True
    )
    exiting_company = models.ForeignKey(
        "registry.PropertyCompany",
        verbose_name=_("exiting property company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exit_notice_date = models.DateField(_("exit notice given on"), null=True, blank=True)
    reason = PublicTextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("custody request")
        verbose_name_plural = _("custody requests")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.compound} · {self.submitted_at:%Y-%m-%d}"


class HandoverKind(models.TextChoices):
    """Civil Code Arts. 949-950: what the leaving provider hands over."""

    PREMISES = "premises", _("property service premises")
    RECORDS = "records", _("records and documents")
    KEYS = "keys", _("keys")
    EQUIPMENT = "equipment", _("facilities and equipment")
    FUNDS = "funds", _("funds and accounts")


class HandoverItem(models.Model):
    request = models.ForeignKey(CustodyRequest, on_delete=models.CASCADE, related_name="handover")
    kind = models.CharField(_("item"), max_length=12, choices=HandoverKind.choices)
    done_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover checklist")
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="handover_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_kind_display()}"


class Custody(models.Model):
    """托管: a company from the pool serving a compound for at most six months."""

    request = models.ForeignKey(CustodyRequest, on_delete=models.PROTECT, related_name="custodies")
    compound = models.ForeignKey(
        "registry.Compound", on_delete=models.PROTECT, related_name="custodies"
    )
    company = models.ForeignKey(
        "registry.PropertyCompany", on_delete=models.PROTECT, related_name="custodies"
    )
    pool_entry = models.ForeignKey(PoolEntry, on_delete=models.PROTECT, related_name="custodies")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    rank = models.PositiveSmallIntegerField(_("rank by proximity"))
    reason = PublicTextField(_("why this company"), blank=True)
    candidates = models.JSONField(_("candidates as ranked at the pick"), default=list)
    extends = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="extended_by"
    )
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    picked_at = models.DateTimeField(_("picked"))

    class Meta:
        verbose_name = _("custody")
        verbose_name_plural = _("custodies")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="custody_term_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.company} ({self.starts_on} – {self.ends_on})"


# --- hiring -------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published: bids invited")
    EVALUATING = "evaluating", _("bids closed: evaluating")
    RANKED = "ranked", _("ranking published")
    CONTRACTED = "contracted", _("contracts signed")


class Aggregate(models.TextChoices):
    MEAN = "mean", _("plain mean")
    TRIMMED = "trimmed", _("drop the highest and the lowest, then the mean")


class SelectionPlan(models.Model):
    """选聘方案 (Shanghai 住宅物业管理规定 Art. 39), approved by the owners' decision."""

    neighbourhood = models.ForeignKey(
        "registry.Neighbourhood", on_delete=models.PROTECT, related_name="selection_plans"
    )
    title = PublicCharField(_("title"), max_length=200)
    compounds = models.ManyToManyField(
        "registry.Compound", verbose_name=_("compounds"), related_name="+"
    )
    decision = models.ForeignKey(
        "voting.Decision",
        verbose_name=_("owners' decision approving it"),
        on_delete=models.PROTECT,
        related_name="selection_plans",
    )
    credit_requirements = PublicTextField(_("provider's credit status"), blank=True)
    staffing_requirements = PublicTextField(_("staffing"), blank=True)
    track_record_requirements = PublicTextField(_("track record"), blank=True)
    service_content = PublicTextField(_("service content and fees"), blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract term (months)"), default=36)
    method = models.CharField(_("selection method"), max_length=200, blank=True)
    criteria = models.JSONField(_("criteria and maximum points"), default=list)
    aggregate = models.CharField(
        _("aggregate"), max_length=10, choices=Aggregate.choices, default=Aggregate.TRIMMED
    )
    bids_close_at = models.DateTimeField(_("bids close"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("selection plan")
        verbose_name_plural = _("selection plans")
        ordering = ["-bids_close_at"]

    def __str__(self) -> str:
        return self.title


class SelectionDocument(StoredFile):
    """A file of the selection (a service plan, an evaluation)."""

    upload_folder = "selection"

    plan = models.ForeignKey(SelectionPlan, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


class Bid(models.Model):
    """A company's service plan and price for a selection plan."""

    plan = models.ForeignKey(SelectionPlan, on_delete=models.PROTECT, related_name="bids")
    company = models.ForeignKey(
        "registry.PropertyCompany", on_delete=models.PROTECT, related_name="bids"
    )
    document = models.ForeignKey(
        SelectionDocument,
        verbose_name=_("service plan document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_items = models.JSONField(_("service items and levels"), default=list)
    staff = models.PositiveIntegerField(_("staff on site"))
    staffing_note = PublicTextField(_("staffing"), blank=True)
    fees = models.JSONField(_("fee per m² per month by property type"), default=dict)
    public_revenue_share = models.DecimalField(
        _("share of public revenue to the owners (%)"), max_digits=5, decimal_places=2
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    submitted_at = models.DateTimeField(_("submitted"))
    updated_at = models.DateTimeField(_("last changed"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["company__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "company"], name="one_bid_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.company}"


class PanelStatus(models.TextChoices):
    FORMING = "forming", _("forming")
    SCORING = "scoring", _("scoring")
    CLOSED = "closed", _("closed")


class EvaluationPanel(models.Model):
    """评审工作小组."""

    plan = models.OneToOneField(SelectionPlan, on_delete=models.PROTECT, related_name="panel")
    status = models.CharField(
        max_length=10, choices=PanelStatus.choices, default=PanelStatus.FORMING
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("aggregates and ranking"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evaluation panel")
        verbose_name_plural = _("evaluation panels")

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_status_display()}"


class Affiliation(models.TextChoices):
    CITY_OPERATIONS = "city_operations", _("city operations centre")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee representative")
    INDUSTRY_EXPERT = "industry_expert", _("invited industry expert")


class PanelMember(models.Model):
    panel = models.ForeignKey(EvaluationPanel, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("from"), max_length=20, choices=Affiliation.choices)
    is_expert = models.BooleanField(_("expert"), default=False)
    declared_no_conflict_at = models.DateTimeField(
        _("declared no conflict of interest"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="one_seat_per_user")]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores")
    criterion = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "bid", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.bid} · {self.criterion}"


class Ranking(models.Model):
    """The published ranking of at most three candidates (实施条例 Arts. 53-54)."""

    plan = models.OneToOneField(SelectionPlan, on_delete=models.PROTECT, related_name="ranking")
    candidates = models.JSONField(default=list)
    posted_from = models.DateTimeField(_("posted from"))
    posted_until = models.DateTimeField(_("posted until"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")

    def __str__(self) -> str:
        return f"{self.plan}"


class Presentation(models.Model):
    """竞聘说明会: the bid presentation meeting and its questions and answers."""

    plan = models.ForeignKey(SelectionPlan, on_delete=models.PROTECT, related_name="presentations")
    held_at = models.DateTimeField(_("held"))
    place = models.CharField(_("place"), max_length=200)
    attendance = models.PositiveIntegerField(_("owners attending"), default=0)
    questions = models.JSONField(_("questions and answers"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bid presentation")
        verbose_name_plural = _("bid presentations")

    def __str__(self) -> str:
        return f"{self.plan} · {self.held_at:%Y-%m-%d}"


class ServiceContract(models.Model):
    """物业服务合同: its public part is disclosed (Civil Code Art. 943; Shanghai Art. 48)."""

    plan = models.ForeignKey(
        SelectionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    company = models.ForeignKey(
        "registry.PropertyCompany", on_delete=models.PROTECT, related_name="contracts"
    )
    compounds = models.ManyToManyField("registry.Compound", related_name="service_contracts")
    management_area = models.ForeignKey(
        "registry.ManagementArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    fees = models.JSONField(_("fee per m² per month by property type"), default=dict)
    service_items = models.JSONField(_("service items and levels"), default=list)
    public_revenue_share = models.DecimalField(
        _("share of public revenue to the owners (%)"), max_digits=5, decimal_places=2
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    signed_on = models.DateField(_("signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.company} ({self.starts_on} – {self.ends_on})"
