"""Provider selection over JSON, the parts the public may read: published selection
plans with their criteria and formula, the posted ranking of candidates, and the public
part of service contracts (Civil Code Art. 943; Shanghai Art. 48). Bids, scores and the
pool stay on the pages, behind their permissions."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongzhi.selection import selectors
from gongzhi.selection.models import Aggregate, PlanStatus, SelectionPlan, ServiceContract
from gongzhi.selection.scoring import FORMULA

from .common import Refusal

router = Router(tags=["selection"])


class CriterionOut(Schema):
    key: str
    label: str
    max: str
    price: bool


class PlanOut(Schema):
    id: int
    title: str
    neighbourhood: str
    compounds: list[str]
    status: str
    status_label: str
    decision: int
    bids_close_at: dt.datetime
    contract_months: int
    method: str
    criteria: list[CriterionOut]
    aggregate: str
    formula: str
    ranking: str | None
    page: str


class CandidateOut(Schema):
    rank: int
    company: str
    quality: str
    price_points: str
    total: str


class RankingOut(Schema):
    plan: int
    title: str
    posted_from: dt.datetime
    posted_until: dt.datetime
    candidates: list[CandidateOut]
    formula: str


class FeeOut(Schema):
    property_type: str
    yuan_per_m2_month: str


class ServiceItemOut(Schema):
    item: str
    level: str


class ContractOut(Schema):
    id: int
    company: str
    compounds: list[str]
    management_area: str | None
    fees: list[FeeOut]
    service_items: list[ServiceItemOut]
    public_revenue_share: str
    starts_on: dt.date
    ends_on: dt.date
    signed_on: dt.date


def _plan_out(plan: SelectionPlan) -> dict:
    ranked = hasattr(plan, "ranking")
    return {
        "id": plan.pk,
        "title": plan.title,
        "neighbourhood": plan.neighbourhood.name,
        "compounds": sorted(c.name for c in plan.compounds.all()),
        "status": plan.status,
        "status_label": str(PlanStatus(plan.status).label),
        "decision": plan.decision_id,
        "bids_close_at": plan.bids_close_at,
        "contract_months": plan.contract_months,
        "method": plan.method,
        "criteria": [
            {"key": c.key, "label": c.label, "max": f"{c.max_score}", "price": c.price}
            for c in selectors.criteria_of(plan)
        ],
        "aggregate": str(Aggregate(plan.aggregate).label),
        "formula": _(FORMULA),
        "ranking": reverse("api:selection_ranking", args=[plan.pk]) if ranked else None,
        "page": reverse("selection:plan", args=[plan.pk]),
    }


def _public_plan(plan_id: int) -> SelectionPlan:
    return get_object_or_404(
        selectors.public_plans().select_related("neighbourhood", "ranking"), pk=plan_id
    )


@router.get("/plans", response=list[PlanOut], auth=None, summary="Published selection plans")
def plans(request):
    rows = (
        selectors.public_plans()
        .select_related("neighbourhood", "ranking")
        .prefetch_related("compounds")
    )
    return [_plan_out(p) for p in rows]


@router.get("/plans/{plan_id}", response=PlanOut, auth=None)
def plan(request, plan_id: int):
    return _plan_out(_public_plan(plan_id))


@router.get(
    "/plans/{plan_id}/ranking",
    response={200: RankingOut, 404: Refusal},
    auth=None,
    url_name="selection_ranking",
    summary="The ranked candidates as posted (at most three, 实施条例 Arts. 53–54)",
)
def ranking(request, plan_id: int):
    plan = _public_plan(plan_id)
    ranking = getattr(plan, "ranking", None)
    if ranking is None:
        return Status(404, {"detail": _("The ranking of candidates has not been published.")})
    return Status(
        200,
        {
            "plan": plan.pk,
            "title": plan.title,
            "posted_from": ranking.posted_from,
            "posted_until": ranking.posted_until,
            "candidates": [
                {k: c[k] for k in ("rank", "company", "quality", "price_points", "total")}
                for c in ranking.candidates
            ],
            "formula": _(FORMULA),
        },
    )


@router.get(
    "/contracts",
    response=list[ContractOut],
    auth=None,
    summary="The public part of every recorded service contract",
)
def contracts(request):
    rows = ServiceContract.objects.select_related("company", "management_area").prefetch_related(
        "compounds"
    )
    return [_contract_out(c) for c in rows.order_by("-signed_on", "pk")]


@router.get("/contracts/{contract_id}", response=ContractOut, auth=None)
def contract(request, contract_id: int):
    return _contract_out(
        get_object_or_404(
            ServiceContract.objects.select_related("company", "management_area"), pk=contract_id
        )
    )


def _contract_out(contract: ServiceContract) -> dict:
    return {
        "id": contract.pk,
        "company": contract.company.name,
        "compounds": sorted(c.name for c in contract.compounds.all()),
        "management_area": contract.management_area.name if contract.management_area else None,
        "fees": [
            {"property_type": kind, "yuan_per_m2_month": fee}
            for kind, fee in selectors.fee_items(contract.fees)
        ],
        "service_items": [
            {"item": i.get("item", ""), "level": i.get("level", "")} for i in contract.service_items
        ],
        "public_revenue_share": f"{contract.public_revenue_share}",
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "signed_on": contract.signed_on,
    }
