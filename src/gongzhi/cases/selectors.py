"""Reads for consolidation cases: the facts that decide the stages, the timeline, and
who sees which case, compound and meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongzhi.accounts.scopes import scopes_for
from gongzhi.notices.models import NoticeStatus
from gongzhi.registry.models import CommitteeStatus, ManagementAreaCompound, OwnersCommittee
from gongzhi.selection.models import Custody, ServiceContract
from gongzhi.voting.models import DecisionStatus
from gongzhi.voting.selectors import passed_by_compound

from . import stages
from .models import (
    RESIDENTS_MEETINGS,
    ActionItem,
    ConsolidationCase,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ProviderIntention,
    WorkStatus,
)
from .stages import CaseFacts, CompoundFacts, Stage


def case_facts(case: ConsolidationCase, *, now: dt.datetime | None = None) -> CaseFacts:
    """Everything the stage guards look at, read in one place."""
    now = now or timezone.now()
    members = list(case.members.select_related("compound", "exiting_company"))
    waivers: dict[int, set[str]] = {}
    for compound_id, stage in case.waivers.values_list("compound_id", "stage"):
        waivers.setdefault(compound_id, set()).add(stage)
    intentions = set(case.intentions.values_list("compound_id", "company_id"))
    held = Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
    briefed = set(held.filter(kind=MeetingKind.FOUR_PARTY).values_list("compounds", flat=True))
    met = set(held.filter(kind__in=RESIDENTS_MEETINGS).values_list("compounds", flat=True))
    custodies = set(
        Custody.objects.filter(
            compound__in=[m.compound for m in members], picked_at__gte=case.opened_at
        ).values_list("compound_id", flat=True)
    )
    contracts = ServiceContract.objects.filter(compounds__in=[m.compound for m in members])
    if case.selection_plan_id is not None:
        contracts = contracts.filter(plan=case.selection_plan)
    signed = set(contracts.values_list("compounds", flat=True))
    approval = passed_by_compound(case.approval_decision) if case.approval_decision else None

    compounds = tuple(
        CompoundFacts(
            name=m.compound.name,
            waived=frozenset(waivers.get(m.compound_id, ())),
            exiting_company=m.exiting_company.name if m.exiting_company else None,
            intention_recorded=m.exiting_company is not None
            and (m.compound_id, m.exiting_company_id) in intentions,
            committee_briefed=m.compound_id in briefed,
            residents_met=m.compound_id in met,
            custody_assigned=m.compound_id in custodies,
            approval_passed=None if approval is None else approval.get(m.compound_id),
            contract_signed=m.compound_id in signed,
        )
        for m in sorted(members, key=lambda m: m.compound.name)
    )
    task_force = getattr(case, "task_force", None)
    opinions = list(case.legal_opinions.all())
    plan = case.selection_plan
    panel = getattr(plan, "panel", None) if plan else None
    notice = case.disclosure_notice
    compound_ids = {m.compound_id for m in members}
    merged = case.merged_area
    areas_merged = merged is not None and compound_ids <= set(
        ManagementAreaCompound.objects.current()
        .filter(area=merged)
        .values_list("compound_id", flat=True)
    )
    old_in_office: tuple[str, ...] = ()
    if merged is not None:
        old_in_office = tuple(
            OwnersCommittee.objects.filter(
                management_area__merged_into=merged, status=CommitteeStatus.ACTIVE
            ).values_list("name", flat=True)
        )
    return CaseFacts(
        compounds=compounds,
        now=now,
        task_force=task_force is not None,
        task_force_leader=bool(task_force and task_force.leader),
        task_force_members=task_force.members.count() if task_force else 0,
        work_plan_tasks=task_force.tasks.count() if task_force else 0,
        legal_opinions=len(opinions),
        unsigned_opinions=tuple(o.title for o in opinions if o.signed_off_at is None),
        approval_title=case.approval_decision.title if case.approval_decision else None,
        approval_final=bool(
            case.approval_decision and case.approval_decision.status == DecisionStatus.FINAL
        ),
        plan_linked=plan is not None,
        panel_closed=bool(panel and panel.status == "closed"),
        ranking_published=bool(plan and hasattr(plan, "ranking")),
        disclosure_linked=notice is not None,
        disclosure_published=bool(notice and notice.status == NoticeStatus.PUBLISHED),
        disclosure_until=timezone.localtime(notice.display_until) if notice else None,
        areas_merged=areas_merged,
        committee_recorded=bool(
            case.merged_committee and case.merged_committee.status == CommitteeStatus.ACTIVE
        ),
        old_committees_in_office=old_in_office,
        filings_outstanding=tuple(
            f"{f.get_kind_display()}：{f.committee.name}"
            for f in case.filings.filter(filed_on__isnull=True).select_related("committee")
        ),
        reelection_under_way=bool(case.reelection and case.reelection.ended_on is None),
        open_action_items=ActionItem.objects.filter(
            meeting__case=case, status=WorkStatus.OPEN
        ).count(),
    )


@dataclass
class StageRow:
    stage: str
    label: str
    reached_at: dt.datetime | None
    is_next: bool
    missing: list[tuple[str | None, str]]  # (compound or None, what is missing)
    per_compound: list[tuple[str, str]] | None  # (compound, "done"|"waived"|"missing")


def timeline(case: ConsolidationCase, facts: CaseFacts, translate) -> list[StageRow]:
    """Every stage: when it was reached, or what it still needs (the next one in words)."""
    reached = dict(case.history.values_list("stage", "at"))
    target = stages.next_stage(case.stage)
    rows = []
    for stage in stages.ORDER:
        per_compound = None
        if stage in stages.PER_COMPOUND:
            per_compound = [(c.name, stages.compound_status(stage, c)) for c in facts.compounds]
        rows.append(
            StageRow(
                stage=stage,
                label=str(Stage(stage).label),
                reached_at=reached.get(stage),
                is_next=stage == target,
                missing=[(m.compound, m.text(translate)) for m in stages.missing(stage, facts)]
                if stage == target
                else [],
                per_compound=per_compound,
            )
        )
    return rows


def timeline_for(user, case: ConsolidationCase, translate) -> list[StageRow]:
    """The timeline as this user may see it: a committee member only their compound's rows."""
    rows = timeline(case, case_facts(case), translate)
    seen = compounds_seen_by(user, case)
    if seen is None:
        return rows
    names = set(case.compounds.filter(pk__in=seen).values_list("name", flat=True))
    for row in rows:
        if row.per_compound is not None:
            row.per_compound = [(n, s) for n, s in row.per_compound if n in names]
        row.missing = [(c, m) for c, m in row.missing if c is None or c in names]
    return rows


def cases_visible_to(user) -> QuerySet[ConsolidationCase]:
    """Organisers see their area's cases; a committee member the cases of their compound."""
    scopes = scopes_for(user)
    cases = ConsolidationCase.objects.select_related("neighbourhood")
    if scopes.superuser:
        return cases
    return cases.filter(
        Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(members__compound_id__in=scopes.committee_compounds)
    ).distinct()


def compounds_seen_by(user, case: ConsolidationCase) -> set[int] | None:
    """The compounds of the case the user may see in detail; None: all of them."""
    scopes = scopes_for(user)
    if (
        scopes.superuser
        or case.neighbourhood.sub_district_id in scopes.sub_districts
        or case.neighbourhood_id in scopes.neighbourhoods
    ):
        return None
    return set(scopes.committee_compounds)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    scopes = scopes_for(user)
    meetings = Meeting.objects.select_related("neighbourhood", "case")
    if scopes.superuser:
        return meetings
    return meetings.filter(
        Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(compounds__in=scopes.committee_compounds)
    ).distinct()


def overdue_items(*, case=None, neighbourhood=None, today: dt.date | None = None):
    today = today or timezone.localdate()
    items = ActionItem.objects.filter(status=WorkStatus.OPEN, due_on__lt=today).select_related(
        "meeting"
    )
    if case is not None:
        items = items.filter(meeting__case=case)
    if neighbourhood is not None:
        items = items.filter(meeting__neighbourhood=neighbourhood)
    return items.order_by("due_on", "pk")


def next_four_party(neighbourhood, *, now: dt.datetime | None = None) -> Meeting | None:
    """The next planned four-party meeting, whose agenda carries the overdue items."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            neighbourhood=neighbourhood,
            kind=MeetingKind.FOUR_PARTY,
            status=MeetingStatus.PLANNED,
            starts_at__gte=now,
        )
        .order_by("starts_at")
        .first()
    )


def case_counts(case: ConsolidationCase) -> dict[str, int]:
    held = Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
    return {
        "meetings": held.count(),
        "consultations": held.filter(
            kind__in=[MeetingKind.CONSULTATION, MeetingKind.COORDINATION]
        ).count(),
        "notices": case.notices.exclude(status=NoticeStatus.DRAFT).count(),
        "decisions_passed": case.decisions.filter(status=DecisionStatus.FINAL)
        .filter(results__stage="final", results__passed=True)
        .distinct()
        .count(),
        "intentions": ProviderIntention.objects.filter(case=case).count(),
    }
