"""Reads for provider selection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import Compound, SubDistrict, Unit, UnitUse
from gongzhi.registry.selectors import compounds_organised_by

from . import scoring
from .models import (
    Bid,
    CompanyOffice,
    ConflictOfInterest,
    CustodyRequest,
    PanelMember,
    PlanStatus,
    PoolEntry,
    Score,
    SelectionPlan,
)
from .proximity import Candidate, Excluded, Point, Ranked, Site, rank_candidates

# Plans anyone may read: bids invited, or later.
PUBLIC_PLAN = [
    PlanStatus.PUBLISHED,
    PlanStatus.EVALUATING,
    PlanStatus.RANKED,
    PlanStatus.CONTRACTED,
]


def _point(latitude, longitude) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))


def custody_candidates(compound: Compound, *, on: dt.date) -> tuple[list[Ranked], list[Excluded]]:
    """The pool ranked by distance to the compound (就近原则), with the excluded and why."""
    target = _point(compound.latitude, compound.longitude)
    if target is None:
        return [], []
    entries = (
        PoolEntry.objects.filter(pool__district=compound.neighbourhood.sub_district.district)
        .select_related("company")
        .order_by("company__name")
    )
    offices: dict[int, list[Site]] = {}
    for office in CompanyOffice.objects.all():
        point = _point(office.latitude, office.longitude)
        if point:
            offices.setdefault(office.company_id, []).append(Site(office.name, point))
    for served in Compound.objects.exclude(property_company=None).exclude(pk=compound.pk):
        point = _point(served.latitude, served.longitude)
        if point and served.property_company_id is not None:
            offices.setdefault(served.property_company_id, []).append(Site(served.name, point))
    conflicts = dict(
        ConflictOfInterest.objects.filter(compound=compound).values_list("company_id", "reason")
    )
    candidates = [
        Candidate(
            key=entry.company_id,
            name=entry.company.name,
            status=entry.status,
            valid_until=entry.valid_until,
            capacity=entry.capacity,
            sites=tuple(offices.get(entry.company_id, ())),
            status_reason=entry.status_reason,
            conflict=conflicts.get(entry.company_id, ""),
        )
        for entry in entries
    ]
    return rank_candidates(target, candidates, on=on)


def public_plans() -> QuerySet[SelectionPlan]:
    return SelectionPlan.objects.filter(status__in=PUBLIC_PLAN)


def plans_visible_to(user) -> QuerySet[SelectionPlan]:
    """Published plans, and the drafts of the areas the user organises."""
    scopes = scopes_for(user)
    return SelectionPlan.objects.filter(
        Q(status__in=PUBLIC_PLAN)
        | Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
    ).distinct()


def districts_of(sub_districts) -> set[str]:
    """The districts (区) of these sub-districts."""
    return set(SubDistrict.objects.filter(pk__in=sub_districts).values_list("district", flat=True))


def pool_entries_visible_to(user) -> QuerySet[PoolEntry]:
    """The pools of the districts the user's sub-districts belong to."""
    scopes = scopes_for(user)
    entries = PoolEntry.objects.select_related("pool", "company")
    if not scopes.superuser:
        entries = entries.filter(pool__district__in=districts_of(scopes.sub_districts))
    return entries.order_by("pool__name", "company__name")


def requests_visible_to(user) -> QuerySet[CustodyRequest]:
    """Officials see their sub-district's requests, clerks their area's, committee
    members only their own compound's."""
    scopes = scopes_for(user)
    base = CustodyRequest.objects.select_related("compound__neighbourhood", "exiting_company")
    if scopes.superuser:
        return base
    return base.filter(
        Q(compound__neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(compound__neighbourhood_id__in=scopes.neighbourhoods)
        | Q(compound_id__in=scopes.committee_compounds)
    )


def criteria_of(
    plan: SelectionPlan, translate: Callable[[str], str] = gettext
) -> list[scoring.Criterion]:
    """The plan's criteria; the default labels are stored in English and shown translated
    (a label the organisers wrote themselves passes through unchanged)."""
    return [
        scoring.Criterion(c["key"], translate(c["label"]), Decimal(c["max"]), bool(c.get("price")))
        for c in plan.criteria
    ]


def fee_items(fees: Mapping[str, str]) -> list[tuple[str, str]]:
    """A fee table as (property type in the reader's language, yuan per m² per month)."""
    # In the order of the property types, not of the stored keys (PostgreSQL's jsonb
    # keeps keys sorted by length).
    order = {kind: n for n, kind in enumerate(UnitUse.values)}
    labels = dict(UnitUse.choices)
    return [
        (str(labels.get(kind, kind)), fees[kind])
        for kind in sorted(fees, key=lambda k: (order.get(k, len(order)), k))
    ]


def plan_fees(plan: SelectionPlan) -> dict[int, Decimal]:
    """Each bid's fee per m² per month, weighted by the exclusive area of each property
    type in the plan's compounds (a type a bid does not price counts at its residential fee)."""
    areas: dict[str, Decimal] = {}
    for use, area in Unit.objects.filter(compound__in=plan.compounds.all()).values_list(
        "use", "area"
    ):
        areas[use] = areas.get(use, Decimal(0)) + area
    total = sum(areas.values(), Decimal(0))
    fees = {}
    for bid in plan.bids.all():
        residential = Decimal(bid.fees["residential"])
        if not total:
            fees[bid.pk] = residential
            continue
        weighted = sum(
            (Decimal(bid.fees.get(use, residential)) * area for use, area in areas.items()),
            Decimal(0),
        )
        fees[bid.pk] = (weighted / total).quantize(Decimal("0.0001"))
    return fees


def member_of(plan: SelectionPlan, user) -> PanelMember | None:
    panel = getattr(plan, "panel", None)
    if panel is None or not user.is_authenticated:
        return None
    return panel.members.filter(user=user).first()


def scores_visible_to(plan: SelectionPlan, user) -> QuerySet[Score]:
    """Blind scoring: a member sees only their own scores until every member has
    submitted; the organisers see them all after the panel closes."""
    scores = Score.objects.filter(bid__plan=plan).select_related("member", "bid__company")
    panel = getattr(plan, "panel", None)
    if panel is None:
        return scores.none()
    everyone_done = (
        panel.members.exists() and not panel.members.filter(submitted_at__isnull=True).exists()
    )
    member = member_of(plan, user)
    if everyone_done and (member is not None or user.has_perm("selection.manage_plan", plan)):
        return scores
    if member is not None:
        return scores.filter(member=member)
    return scores.none()


def bids_visible_to(plan: SelectionPlan, user) -> QuerySet[Bid]:
    """A company sees its own bid; panel members and organisers see all once bids close."""
    bids = plan.bids.select_related("company", "document")
    scopes = scopes_for(user)
    if user.has_perm("selection.manage_plan", plan) or member_of(plan, user) is not None:
        if plan.status != "published" or user.has_perm("selection.manage_plan", plan):
            return bids
    return bids.filter(company_id__in=scopes.companies)


def compounds_requestable_by(user):
    """Compounds the user may ask custody for: those they organise, or their committee's."""
    committee = Compound.objects.filter(pk__in=scopes_for(user).committee_compounds)
    return compounds_organised_by(user) | committee
