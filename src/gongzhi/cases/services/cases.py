"""A consolidation case: opened over its compounds, advanced or waived stage by
stage, and linked to the decisions, plans and notices that carry it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.notices.models import Notice
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    PropertyCompany,
)
from gongzhi.selection.models import SelectionPlan
from gongzhi.voting.models import Decision, Scope

from .. import stages
from ..models import (
    CaseCompound,
    ConsolidationCase,
    StageReached,
    StageWaiver,
)
from ..stages import Stage

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# Shanghai 住宅物业管理规定 Arts. 33-34: committee changes are filed within 30 days.
FILING_DAYS = 30


def case_compounds(case: ConsolidationCase) -> list[Compound]:
    """The case's compounds by name."""
    return list(case.compounds.order_by("name"))


# --- the case ---------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    compounds: Sequence[tuple[Compound, PropertyCompany | None]],
    actor: User,
    now: dt.datetime | None = None,
) -> ConsolidationCase:
    """Open a case over compounds, each with the company that is leaving (if any)."""
    now = clock.now(now)
    if not title.strip() or len(compounds) < 2:
        raise ApplicationError(_("A consolidation case needs a title and at least two compounds."))
    if any(c.neighbourhood.sub_district_id != neighbourhood.sub_district_id for c, _x in compounds):
        raise ApplicationError(_("The compounds of a case lie in one sub-district."))
    case = ConsolidationCase.objects.create(
        neighbourhood=neighbourhood, title=title.strip(), opened_at=now, created_by=actor
    )
    CaseCompound.objects.bulk_create(
        [CaseCompound(case=case, compound=c, exiting_company=company) for c, company in compounds]
    )
    StageReached.objects.create(case=case, stage=Stage.OPENED, at=now, by=actor)
    audit_log(
        event_type=EventType.CASE_OPENED,
        actor=actor,
        subject=case,
        new={"compounds": sorted(c.name for c, _x in compounds)},
    )
    return case


@transaction.atomic
def case_advance(
    *, case: ConsolidationCase, actor: User, now: dt.datetime | None = None
) -> ConsolidationCase:
    """Reach the next stage, or say in words what is missing (nothing changes)."""
    from ..selectors import case_facts

    case = locked(case)
    now = clock.now(now)
    target = stages.next_stage(case.stage)
    if target is None:
        raise ApplicationError(_("The case is completed."))
    found = stages.missing(target, case_facts(case, now=now))
    if found:
        lines = [m.text(_) for m in found]
        raise ApplicationError(
            _("“%(stage)s” cannot be reached yet: %(missing)s")
            % {"stage": Stage(target).label, "missing": " ".join(lines)},
            extra={"missing": lines},
        )
    old = case.stage
    case.stage = target
    if target == Stage.COMPLETED:
        case.completed_at = now
    case.save(update_fields=["stage", "completed_at"])
    StageReached.objects.create(case=case, stage=target, at=now, by=actor)
    audit_log(
        event_type=EventType.CASE_ADVANCED,
        actor=actor,
        subject=case,
        old={"stage": old},
        new={"stage": target},
    )
    return case


@transaction.atomic
def stage_waive(
    *,
    case: ConsolidationCase,
    compound: Compound,
    stage: str,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> StageWaiver:
    """Mark a per-compound stage not applicable for one compound, with the reason."""
    case = locked(case)
    if stage not in stages.PER_COMPOUND:
        raise ApplicationError(_("Only a stage checked compound by compound can be waived."))
    if stages.reached(case.stage, stage):
        raise ApplicationError(_("This stage has already been reached."))
    if not case.members.filter(compound=compound).exists():
        raise ApplicationError(_("%(compound)s is not part of this case.") % {"compound": compound})
    if not reason.strip():
        raise ApplicationError(_("Say why the stage does not apply to this compound."))
    waiver, created = StageWaiver.objects.get_or_create(
        case=case,
        compound=compound,
        stage=stage,
        defaults={"reason": reason.strip(), "by": actor, "at": clock.now(now)},
    )
    if not created:
        raise ApplicationError(_("This stage is already marked not applicable here."))
    audit_log(
        event_type=EventType.CASE_STAGE_WAIVED,
        actor=actor,
        subject=case,
        new={"compound": compound.name, "stage": stage, "reason": waiver.reason},
    )
    return waiver


def _covers(case: ConsolidationCase, compounds) -> bool:
    return {c.pk for c in case_compounds(case)} <= {c.pk for c in compounds}


LINKS = {
    "approval_decision": Decision,
    "merger_decision": Decision,
    "committee_decision": Decision,
    "selection_plan": SelectionPlan,
    "disclosure_notice": Notice,
    "merger_notice": Notice,
}


@transaction.atomic
def case_link(
    *, case: ConsolidationCase, link: str, target, actor: User | None
) -> ConsolidationCase:
    """Link the decision, plan or notice that decides a stage."""
    case = locked(case)
    model = LINKS.get(link)
    if model is None or not isinstance(target, model):
        raise ApplicationError(_("Unknown link."))
    if isinstance(target, Decision):
        if target.neighbourhood.sub_district_id != case.neighbourhood.sub_district_id:
            raise ApplicationError(_("The decision belongs to another sub-district."))
        if not _covers(case, target.compounds.all()):
            raise ApplicationError(_("The decision must be put to every compound of the case."))
        if target.scope != Scope.EACH:
            raise ApplicationError(
                _(
                    "Before the merger every compound decides for itself: the decision must "
                    "be counted per compound."
                )
            )
        case.decisions.add(target)
    elif isinstance(target, SelectionPlan):
        if not _covers(case, target.compounds.all()):
            raise ApplicationError(_("The plan must cover every compound of the case."))
    elif isinstance(target, Notice):
        if not _covers(case, target.compounds.all()):
            raise ApplicationError(_("The notice must be for every compound of the case."))
        case.notices.add(target)
    setattr(case, link, target)
    case.save(update_fields=[link])
    audit_log(
        event_type=EventType.CASE_LINKED,
        actor=actor,
        subject=case,
        new={"link": link, "target": str(target)},
    )
    return case
