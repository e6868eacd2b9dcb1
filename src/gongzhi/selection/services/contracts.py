"""The contract signed after the ranking, with its public part disclosed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.registry.models import (
    Compound,
    PropertyCompany,
)
from gongzhi.registry.services import compound_provider_set

from ..models import (
    PlanStatus,
    SelectionPlan,
    ServiceContract,
)
from .plans import fee_table

if TYPE_CHECKING:
    from gongzhi.accounts.models import User


@transaction.atomic
def contract_record(
    *,
    plan: SelectionPlan | None,
    company: PropertyCompany,
    compounds: Sequence[Compound],
    fees: Mapping[str, object],
    service_items: Sequence[Mapping[str, str]],
    public_revenue_share: object,
    starts_on: dt.date,
    ends_on: dt.date,
    signed_on: dt.date,
    actor: User,
    management_area=None,
) -> ServiceContract:
    """A signed service contract; its public part is disclosed (Civil Code Art. 943)."""
    if plan is not None:
        plan = locked(plan)
        if plan.status not in (PlanStatus.RANKED, PlanStatus.CONTRACTED):
            raise ApplicationError(_("Contracts follow the published ranking."))
        ranked = {c["company"] for c in plan.ranking.candidates}
        if company.name not in ranked:
            raise ApplicationError(
                _("%(company)s is not among the ranked candidates.") % {"company": company.name}
            )
    if ends_on <= starts_on or signed_on > starts_on + dt.timedelta(days=366):
        raise ApplicationError(_("The contract must end after it starts."))
    try:
        share = Decimal(str(public_revenue_share))
    except InvalidOperation:
        raise ApplicationError(_("The share of public revenue is not a number.")) from None
    contract = ServiceContract.objects.create(
        plan=plan,
        company=company,
        management_area=management_area,
        fees=fee_table(fees),
        service_items=[dict(item) for item in service_items],
        public_revenue_share=share,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        recorded_by=actor,
    )
    contract.compounds.set(compounds)
    for compound in compounds:
        compound_provider_set(compound=compound, company=company, actor=actor)
    if plan is not None:
        plan.status = PlanStatus.CONTRACTED
        plan.save(update_fields=["status"])
    audit_log(
        event_type=EventType.CONTRACT_RECORDED,
        actor=actor,
        subject=contract,
        new={"company": company.name, "compounds": sorted(c.name for c in compounds)},
    )
    return contract
