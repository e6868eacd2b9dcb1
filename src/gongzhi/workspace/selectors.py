"""What each person finds on landing: reads from every app, narrowed to the reader.

An owner: open votes with their units still to vote, votes announced, notices of
their compounds with opinions open, their unread messages. A clerk or an official:
opinions and objections awaiting an answer, paper ballots awaiting a second clerk,
overdue action items, votes closing soon with how far each is from its thresholds.
An expert: their panels. A company: custody and bids. This app depends on all the
others and nothing depends on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongzhi.accounts.scopes import scopes_for
from gongzhi.cases.models import ActionItem, WorkStatus
from gongzhi.notices.models import Notice, NoticeOpinion, NoticeStatus
from gongzhi.notifications.models import Notification
from gongzhi.registry.models import Ownership
from gongzhi.registry.selectors import neighbourhoods_organised_by
from gongzhi.selection.models import CustodyRequest, PanelMember, PlanStatus, SelectionPlan
from gongzhi.servicedesk import selectors as desk_selectors
from gongzhi.servicedesk.models import OPEN_STATUSES, Feedback, Incident, ServiceRequest, Status
from gongzhi.voting import selectors as voting_selectors
from gongzhi.voting.models import (
    Ballot,
    Confirmation,
    Decision,
    DecisionStatus,
    Objection,
    RegisterOwner,
)

CLOSING_SOON = dt.timedelta(days=7)


@dataclass
class OwnerVote:
    decision: Decision
    units_to_vote: list[Any]
    units_voted: int


@dataclass
class OwnerDesk:
    open_votes: list[OwnerVote] = field(default_factory=list)
    announced: list[Decision] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    messages: list[Notification] = field(default_factory=list)
    requests: list[ServiceRequest] = field(default_factory=list)  # open, or to confirm
    incidents: list[Incident] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.open_votes
            or self.announced
            or self.notices
            or self.messages
            or self.requests
            or self.incidents
        )


def owner_desk(user, *, now: dt.datetime | None = None) -> OwnerDesk:
    scopes = scopes_for(user)
    desk = OwnerDesk()
    now = now or timezone.now()
    if scopes.owners:
        entries = RegisterOwner.objects.filter(owner_id__in=scopes.owners).values("entry__decision")
        decisions = Decision.objects.filter(pk__in=entries).order_by("closes_at")
        for decision in decisions.filter(status=DecisionStatus.OPEN):
            mine = voting_selectors.entries_of_owner(decision, user)
            waiting = voting_selectors.entries_without_ballot(decision).filter(
                pk__in=[e.pk for e in mine]
            )
            desk.open_votes.append(OwnerVote(decision, list(waiting), len(mine) - waiting.count()))
        desk.announced = list(decisions.filter(status=DecisionStatus.ANNOUNCED))
        compounds = Ownership.objects.filter(owner_id__in=scopes.owners).values("unit__compound_id")
        desk.notices = list(
            Notice.objects.filter(
                status=NoticeStatus.PUBLISHED,
                display_from__lte=now,
                display_until__gt=now,
                compounds__in=compounds,
            )
            .distinct()
            .order_by("display_until")[:10]
        )
    desk.messages = list(Notification.objects.filter(user=user, read_at__isnull=True)[:5])
    desk.requests = list(
        ServiceRequest.objects.filter(reporter=user)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(status=Status.RESOLVED) & ~Q(pk__in=Feedback.objects.values("request_id"))
        )
        .select_related("category")
        .order_by("-created_at")[:10]
    )
    desk.incidents = desk_selectors.incidents_for_owner(user)
    return desk


@dataclass
class ClosingVote:
    decision: Decision
    progress: list[Any]
    soon: bool = False  # closes within a week


@dataclass
class WorkQueue:
    opinions: list[NoticeOpinion] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    to_confirm: list[tuple[Decision, int]] = field(default_factory=list)
    overdue: list[ActionItem] = field(default_factory=list)
    closing: list[ClosingVote] = field(default_factory=list)
    custody: list[CustodyRequest] = field(default_factory=list)
    requests: list[ServiceRequest] = field(default_factory=list)  # theirs, late first
    requests_open: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.opinions
            or self.objections
            or self.to_confirm
            or self.overdue
            or self.closing
            or self.custody
            or self.requests
        )


def work_queue(user, *, now: dt.datetime | None = None) -> WorkQueue:
    """The organiser's queue, over the residents' areas they organise."""
    now = now or timezone.now()
    areas = neighbourhoods_organised_by(user)
    queue = WorkQueue()
    queue.opinions = list(
        NoticeOpinion.objects.filter(notice__neighbourhood__in=areas, answered_at__isnull=True)
        .select_related("notice")
        .order_by("created_at")[:20]
    )
    queue.objections = list(
        Objection.objects.filter(decision__neighbourhood__in=areas, answered_at__isnull=True)
        .select_related("decision")
        .order_by("pk")[:20]
    )
    decisions = Decision.objects.filter(neighbourhood__in=areas)
    for decision in decisions.filter(status=DecisionStatus.OPEN, paper_double_entry=True):
        pending = Ballot.objects.filter(
            decision=decision, confirmation=Confirmation.PENDING
        ).count()
        if pending:
            queue.to_confirm.append((decision, pending))
    queue.overdue = list(
        ActionItem.objects.filter(
            meeting__neighbourhood__in=areas,
            status=WorkStatus.OPEN,
            due_on__lt=timezone.localdate(now),
        )
        .select_related("meeting")
        .order_by("due_on")[:20]
    )
    for decision in decisions.filter(status=DecisionStatus.OPEN).order_by("closes_at")[:5]:
        queue.closing.append(
            ClosingVote(
                decision,
                voting_selectors.progress(decision),
                soon=decision.closes_at <= now + CLOSING_SOON,
            )
        )
    queue.requests_open, queue.requests = _requests_due(user)
    scopes = scopes_for(user)
    if scopes.sub_districts or scopes.superuser:
        queue.custody = list(
            CustodyRequest.objects.filter(
                compound__neighbourhood__in=areas, status="submitted"
            ).select_related("compound")[:20]
        )
    return queue


def _requests_due(user, limit: int = 10) -> tuple[int, list[ServiceRequest]]:
    """The service requests that are the reader's to act on (escalated ones of their
    area included): how many are open, and the first few by due time."""
    mine = desk_selectors.queue_for(user).filter(status__in=OPEN_STATUSES)
    return mine.count(), list(mine.order_by("resolve_due", "pk")[:limit])


def panels_of(user) -> list[PanelMember]:
    return list(
        PanelMember.objects.filter(user=user)
        .select_related("panel__plan")
        .exclude(panel__plan__status=PlanStatus.DRAFT)
        .order_by("-pk")[:10]
    )


def company_desk(user) -> dict[str, Any]:
    scopes = scopes_for(user)
    count, due = _requests_due(user)
    return {
        "requests_open": count,
        "requests": due,
        "custody": list(
            CustodyRequest.objects.filter(custodies__company_id__in=scopes.companies)
            .select_related("compound")
            .distinct()[:10]
        ),
        "plans": list(
            SelectionPlan.objects.filter(status=PlanStatus.PUBLISHED).filter(
                Q(bids_close_at__gt=timezone.now())
            )[:10]
        ),
    }


@dataclass
class BusinessDesk:
    """The street's business services on one page: what each of the economic
    officer, the foundation clerk, the certification office, a reviewer and a
    merchant has to do."""

    overdue_commitments: list = field(default_factory=list)
    expiring: list = field(default_factory=list)
    overdue_disclosures: list = field(default_factory=list)
    to_review: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    shops: list = field(default_factory=list)
    links: list = field(default_factory=list)


def business_desk(user: Any) -> BusinessDesk | None:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from gongzhi.foundation import selectors as foundation_selectors
    from gongzhi.merchants import selectors as merchant_selectors
    from gongzhi.merchants.models import ApplicationStatus, Merchant
    from gongzhi.partners import selectors as partner_selectors
    from gongzhi.partners.models import Agreement, AgreementStatus

    scopes = scopes_for(user)
    if not (
        scopes.economic_sub_districts
        or scopes.foundations
        or scopes.schemes_run_by
        or scopes.merchant_organisations
        or scopes.expert
    ):
        return None
    today = timezone.localdate()
    desk = BusinessDesk()
    if scopes.economic_sub_districts:
        desk.overdue_commitments = list(partner_selectors.overdue_commitments(user, today)[:20])
        desk.expiring = list(
            Agreement.objects.filter(
                sub_district_id__in=scopes.economic_sub_districts,
                status=AgreementStatus.IN_FORCE,
                expires_on__gte=today,
                expires_on__lte=today + dt.timedelta(days=60),
            )
        )
        desk.links.append((reverse("partners:work"), _("Partners work")))
    if scopes.foundations:
        desk.overdue_disclosures = [
            due for _f, due in foundation_selectors.overdue_disclosures(user, today)
        ]
        desk.links.append((reverse("foundation:ledger"), _("The ledger")))
    if scopes.expert:
        desk.to_review = list(merchant_selectors.to_review(user))
    if scopes.schemes_run_by:
        desk.reports = list(merchant_selectors.open_reports_for(user)[:20])
        desk.applications = list(
            merchant_selectors.applications_for(user).filter(
                status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
            )[:20]
        )
    if scopes.merchant_organisations:
        shops = Merchant.objects.filter(organisation_id__in=scopes.merchant_organisations)
        desk.shops = [(shop, merchant_selectors.current_certificate(shop, today)) for shop in shops]
    if scopes.schemes_run_by or scopes.merchant_organisations or scopes.economic_sub_districts:
        desk.links.append((reverse("merchants:work"), _("Certification work")))
    return desk
