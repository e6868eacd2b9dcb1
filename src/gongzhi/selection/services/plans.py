"""Selection plans and the companies' bids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.core.uploads import read_upload
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    PropertyCompany,
    UnitUse,
)

from .. import scoring
from ..models import (
    Bid,
    PlanStatus,
    SelectionDocument,
    SelectionPlan,
)
from ..notify import tell_bids_invited

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- hiring: the plan and the bids -------------------------------------------


@transaction.atomic
def plan_create(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    compounds: Sequence[Compound],
    decision,
    bids_close_at: dt.datetime,
    actor: User,
    credit_requirements: str = "",
    staffing_requirements: str = "",
    track_record_requirements: str = "",
    service_content: str = "",
    contract_months: int = 36,
    method: str = "",
    aggregate: str = "trimmed",
    criteria: Sequence[scoring.Criterion] = scoring.DEFAULT_CRITERIA,
) -> SelectionPlan:
    """A selection plan (Shanghai 住宅物业管理规定 Art. 39), linked to the owners' decision."""
    if not title.strip() or not compounds:
        raise ApplicationError(_("A selection plan needs a title and its compounds."))
    if aggregate not in scoring.METHODS:
        raise ApplicationError(_("Unknown aggregate."))
    if sum(1 for c in criteria if c.price) > 1 or sum(c.max_score for c in criteria) <= 0:
        raise ApplicationError(
            _("The criteria need positive points and at most one price criterion.")
        )
    plan = SelectionPlan.objects.create(
        neighbourhood=neighbourhood,
        title=title.strip(),
        decision=decision,
        bids_close_at=bids_close_at,
        credit_requirements=credit_requirements,
        staffing_requirements=staffing_requirements,
        track_record_requirements=track_record_requirements,
        service_content=service_content,
        contract_months=contract_months,
        method=method,
        aggregate=aggregate,
        criteria=[
            {"key": c.key, "label": c.label, "max": str(c.max_score), "price": c.price}
            for c in criteria
        ],
        created_by=actor,
    )
    plan.compounds.set(compounds)
    return plan


@transaction.atomic
def plan_publish(
    *, plan: SelectionPlan, actor: User | None, now: dt.datetime | None = None
) -> SelectionPlan:
    """Invite bids; only once the owners' decision approving the plan has passed."""
    plan = locked(plan)
    now = clock.now(now)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("Only a draft plan can be published."))
    decision = plan.decision
    result = decision.results.latest_published()
    if decision.status != "final" or result is None or not result.passed:
        raise ApplicationError(
            _(
                "The owners' decision “%(title)s” has not passed with a final result; the plan "
                "cannot be published before."
            )
            % {"title": decision.title}
        )
    if plan.bids_close_at <= now:
        raise ApplicationError(_("The closing time for bids has already passed."))
    plan.status, plan.published_at = PlanStatus.PUBLISHED, now
    plan.save(update_fields=["status", "published_at"])
    audit_log(
        event_type=EventType.SELECTION_PLAN_PUBLISHED,
        actor=actor,
        subject=plan,
        new={"published_at": now},
    )
    tell_bids_invited(plan)
    return plan


def document_store(*, plan: SelectionPlan, upload, actor: User | None) -> SelectionDocument:
    checked = read_upload(upload, kinds=("pdf",))
    return checked.save_into(SelectionDocument(plan=plan, uploaded_by=actor))


def fee_table(fees: Mapping[str, object]) -> dict[str, str]:
    """Monthly fees per property type, in yuan per m² with two decimals, refused
    with the type named when one is not a positive amount."""
    table = {}
    labels = dict(UnitUse.choices)
    for kind, raw in fees.items():
        if kind not in labels:
            raise ApplicationError(_("Unknown property type: %(kind)s.") % {"kind": kind})
        if raw in ("", None):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ApplicationError(
                _("The fee for %(kind)s is not a number.") % {"kind": labels[kind]}
            ) from None
        if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
            raise ApplicationError(
                _(
                    "The fee for %(kind)s must be a positive amount in yuan with at most two "
                    "decimals."
                )
                % {"kind": labels[kind]}
            )
        table[kind] = f"{value:.2f}"
    if "residential" not in table:
        raise ApplicationError(_("Give at least the fee for residential units."))
    return table


@transaction.atomic
def bid_submit(
    *,
    plan: SelectionPlan,
    company: PropertyCompany,
    fees: Mapping[str, object],
    staff: int,
    public_revenue_share: object,
    term_months: int,
    actor: User | None,
    service_items: Sequence[Mapping[str, str]] = (),
    staffing_note: str = "",
    document: SelectionDocument | None = None,
    now: dt.datetime | None = None,
) -> Bid:
    """Submit or change a company's bid, only before bids close."""
    plan = locked(plan)
    now = clock.now(now)
    if plan.status != PlanStatus.PUBLISHED:
        raise ApplicationError(_("This plan does not invite bids."))
    if now >= plan.bids_close_at:
        raise ApplicationError(
            _("Bids closed at %(time)s.")
            % {"time": timezone.localtime(plan.bids_close_at).strftime("%Y-%m-%d %H:%M")}
        )
    try:
        share = Decimal(str(public_revenue_share))
    except InvalidOperation:
        raise ApplicationError(_("The share of public revenue is not a number.")) from None
    if not share.is_finite() or not 0 <= share <= 100:
        raise ApplicationError(_("The share of public revenue is a percentage from 0 to 100."))
    if staff < 1 or not 1 <= term_months <= 120:
        raise ApplicationError(_("Give the staff on site and a term of 1 to 120 months."))
    values = {
        "fees": fee_table(fees),
        "staff": staff,
        "staffing_note": staffing_note,
        "public_revenue_share": share,
        "term_months": term_months,
        "service_items": [dict(item) for item in service_items],
        "updated_at": now,
        "submitted_by": actor,
    }
    if document is not None:
        values["document"] = document
    bid, created = Bid.objects.update_or_create(
        plan=plan, company=company, defaults=values, create_defaults={**values, "submitted_at": now}
    )
    audit_log(
        event_type=EventType.BID_SUBMITTED,
        actor=actor,
        subject=bid,
        new={"created": created, "fees": values["fees"], "share": share},
    )
    return bid
