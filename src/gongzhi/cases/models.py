"""The consolidation case (集约化治理): one workflow from the task force to one
management area and one owners' committee; its meetings and action items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import PublicCharField, PublicTextField
from gongzhi.core.models import StoredFile

from .stages import Stage


class ConsolidationCase(models.Model):
    neighbourhood = models.ForeignKey(
        "registry.Neighbourhood",
        verbose_name=_("residents' area"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    title = PublicCharField(_("title"), max_length=200)
    compounds = models.ManyToManyField(
        "registry.Compound", through="CaseCompound", related_name="cases"
    )
    stage = models.CharField(
        _("stage reached"), max_length=24, choices=Stage.choices, default=Stage.OPENED
    )
    opened_at = models.DateTimeField(_("opened"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The records of other apps that decide the stages, linked as the case goes on.
    approval_decision = models.ForeignKey(
        "voting.Decision",
        verbose_name=_("owners' decision approving the plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    selection_plan = models.ForeignKey(
        "selection.SelectionPlan",
        verbose_name=_("selection plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disclosure_notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("disclosure notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merger_decision = models.ForeignKey(
        "voting.Decision",
        verbose_name=_("owners' decision merging the management areas"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merger_notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("notice of the merger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_area = models.ForeignKey(
        "registry.ManagementArea",
        verbose_name=_("merged management area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committee_decision = models.ForeignKey(
        "voting.Decision",
        verbose_name=_("consultation merging the owners' committees"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_committee = models.ForeignKey(
        "registry.OwnersCommittee",
        verbose_name=_("merged owners' committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reelection = models.ForeignKey(
        "registry.CommitteeElection",
        verbose_name=_("committee re-election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notices = models.ManyToManyField(
        "notices.Notice", verbose_name=_("notices"), blank=True, related_name="+"
    )
    decisions = models.ManyToManyField(
        "voting.Decision", verbose_name=_("owners' decisions"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consolidation case")
        verbose_name_plural = _("consolidation cases")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title


class CaseCompound(models.Model):
    case = models.ForeignKey(ConsolidationCase, on_delete=models.CASCADE, related_name="members")
    compound = models.ForeignKey("registry.Compound", on_delete=models.PROTECT, related_name="+")
    exiting_company = models.ForeignKey(
        "registry.PropertyCompany",
        verbose_name=_("exiting property company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("compound of a case")
        verbose_name_plural = _("compounds of a case")
        constraints = [
            models.UniqueConstraint(fields=["case", "compound"], name="case_compound_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.compound}"


class StageWaiver(models.Model):
    """A stage that does not apply to one compound, and why (e.g. already served by
    the chosen provider, so no custody)."""

    case = models.ForeignKey(ConsolidationCase, on_delete=models.CASCADE, related_name="waivers")
    compound = models.ForeignKey("registry.Compound", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    reason = PublicTextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("stage not applicable")
        verbose_name_plural = _("stages not applicable")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "compound", "stage"], name="one_waiver_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.get_stage_display()}"


class StageReached(models.Model):
    """The history of the case: when each stage was reached, and by whom."""

    case = models.ForeignKey(ConsolidationCase, on_delete=models.CASCADE, related_name="history")
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    at = models.DateTimeField(_("reached"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="stage_reached_once")]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_stage_display()}"


class Intention(models.TextChoices):
    LEAVE = "leave", _("will leave")
    STAY = "stay", _("will stay")
    UNDECIDED = "undecided", _("undecided")


class ProviderIntention(models.Model):
    """An exiting provider's stated intention, with its date and written notice."""

    case = models.ForeignKey(ConsolidationCase, on_delete=models.CASCADE, related_name="intentions")
    compound = models.ForeignKey("registry.Compound", on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        "registry.PropertyCompany", on_delete=models.PROTECT, related_name="+"
    )
    intention = models.CharField(_("intention"), max_length=12, choices=Intention.choices)
    stated_on = models.DateField(_("stated on"))
    notice_reference = models.CharField(_("written notice"), max_length=200, blank=True)
    note = PublicTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("provider's intention")
        verbose_name_plural = _("providers' intentions")
        ordering = ["stated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.company} · {self.compound} · {self.get_intention_display()}"


class LegalOpinion(StoredFile):
    """An industry association's expert opinion on the lawfulness of the plan (PDF)."""

    upload_folder = "cases/opinions"

    case = models.ForeignKey(
        ConsolidationCase, on_delete=models.CASCADE, related_name="legal_opinions"
    )
    association = models.CharField(_("association"), max_length=200)
    title = PublicCharField(_("title"), max_length=200)
    conclusion = PublicTextField(_("conclusion"))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal opinion")
        verbose_name_plural = _("legal opinions")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskForce(models.Model):
    """工作专班: who leads, who guides, who does what."""

    case = models.OneToOneField(
        ConsolidationCase, on_delete=models.CASCADE, related_name="task_force"
    )
    name = models.CharField(_("name"), max_length=200)
    leader = models.CharField(_("leader"), max_length=100)
    leader_organisation = models.CharField(_("leader's organisation"), max_length=200)
    guiding_departments = models.TextField(_("guiding departments"), blank=True)
    formed_on = models.DateField(_("formed on"))

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return self.name


class TaskForceMember(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200)
    responsibilities = models.TextField(_("responsibilities"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class WorkStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Tracked:
    """A task or action item with a due date: overdue while open after that day (the
    same rule as ``selectors.overdue_items`` puts in a query)."""

    status: str
    due_on: dt.date

    def overdue_on(self, today: dt.date) -> bool:
        return self.status == WorkStatus.OPEN and self.due_on < today

    @property
    def overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())


class WorkTask(Tracked, models.Model):
    """A task of the task force's work plan."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        TaskForceMember,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class FilingKind(models.TextChoices):
    CANCEL = "cancel", _("cancellation of an old committee")
    RECORD = "record", _("record of the new committee")


class CommitteeFiling(models.Model):
    """A filing with the sub-district (Shanghai 住宅物业管理规定 Arts. 33–34): due
    within 30 days of the change."""

    case = models.ForeignKey(ConsolidationCase, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("kind"), max_length=8, choices=FilingKind.choices)
    committee = models.ForeignKey(
        "registry.OwnersCommittee", on_delete=models.PROTECT, related_name="+"
    )
    due_by = models.DateField(_("due by"))
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("committee filing")
        verbose_name_plural = _("committee filings")
        ordering = ["due_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "committee"], name="one_filing_per_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.committee}"

    @property
    def late(self) -> bool:
        """Made after the 30 days."""
        return self.filed_on is not None and self.filed_on > self.due_by

    @property
    def overdue(self) -> bool:
        """Not made, and the 30 days are over."""
        return self.filed_on is None and self.due_by < timezone.localdate()


# --- meetings -------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    FOUR_PARTY = "four_party", _("four-party meeting (四位一体)")
    CONSULTATION = "consultation", _("consultation meeting (征询会)")
    COORDINATION = "coordination", _("coordination meeting (协调会)")
    REPRESENTATIVES = "representatives", _("residents' representatives meeting")
    PARTY_MEMBERS = "party_members", _("party members' assembly")
    BUILDING_LEADERS = "building_leaders", _("building leaders' meeting")
    BACKBONE = "backbone", _("resident backbone meeting")
    EXPERT_QA = "expert_qa", _("expert Q&A")
    BID_PRESENTATION = "bid_presentation", _("bid presentation (竞聘说明会)")


RESIDENTS_MEETINGS = (
    MeetingKind.CONSULTATION,
    MeetingKind.REPRESENTATIVES,
    MeetingKind.PARTY_MEMBERS,
    MeetingKind.BUILDING_LEADERS,
    MeetingKind.BACKBONE,
)


class Party(models.TextChoices):
    PARTY_BRANCH = "party_branch", _("party branch")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
    PROPERTY_COMPANY = "property_company", _("property company")
    SUB_DISTRICT = "sub_district", _("sub-district")
    CITY_OPERATIONS = "city_operations", _("city operations centre")
    ASSOCIATION = "association", _("industry association")
    OWNERS = "owners", _("owners and residents")
    OTHER = "other", _("other")


FOUR_PARTIES = (
    Party.PARTY_BRANCH,
    Party.RESIDENTS_COMMITTEE,
    Party.OWNERS_COMMITTEE,
    Party.PROPERTY_COMPANY,
)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "planned")
    HELD = "held", pgettext_lazy("meeting status", "held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")


class Meeting(models.Model):
    neighbourhood = models.ForeignKey(
        "registry.Neighbourhood", on_delete=models.PROTECT, related_name="meetings"
    )
    case = models.ForeignKey(
        ConsolidationCase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    compounds = models.ManyToManyField(
        "registry.Compound", verbose_name=_("compounds"), related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = PublicCharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    agenda = PublicTextField(_("agenda"), blank=True)
    minutes = PublicTextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_time_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    party = models.CharField(_("for"), max_length=24, choices=Party.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["party", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Resolution(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    text = PublicTextField(_("resolution"))

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(Tracked, models.Model):
    """Something a meeting decided someone will do, tracked to closure."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    title = PublicCharField(_("action"), max_length=200)
    owner = models.CharField(_("responsible"), max_length=100)
    # the account of the responsible person, when their name is one the area knows
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = PublicTextField(_("how it was closed"), blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
