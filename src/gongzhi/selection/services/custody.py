"""Custody (托管): a compound's request, the sub-district's pick from the ranked pool,
the handover, and extensions within the legal maximum."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.clock import add_months
from gongzhi.core.errors import ApplicationError
from gongzhi.registry.headcount import Holding, person_key
from gongzhi.registry.models import (
    Compound,
    Owner,
    OwnersCommittee,
    PropertyCompany,
)
from gongzhi.registry.selectors import holdings
from gongzhi.registry.services import compound_provider_set

from ..models import (
    Custody,
    CustodyRequest,
    HandoverItem,
    HandoverKind,
    PoolEntry,
    PoolEntryStatus,
    RequestedBy,
    RequestStatus,
)
from ..notify import tell_custody
from ..selectors import custody_candidates

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# Shanghai 住宅物业管理规定 Art. 52: temporary custody from the pool lasts at most six months.
MAX_CUSTODY_MONTHS = 6


# --- custody ------------------------------------------------------------------


def active_committee(compound: Compound) -> OwnersCommittee | None:
    return OwnersCommittee.objects.filter(
        status="active",
        management_area__memberships__compound=compound,
        management_area__memberships__until__isnull=True,
    ).first()


def supporting_share(compound: Compound, supporters: Sequence[Owner]) -> tuple[int, int]:
    """(persons supporting, legal headcount): a person, as SPC Art. 9 counts them, supports
    when any of its owners is among the supporters."""
    units: list[Holding] = holdings(compounds=[compound])
    ids = {owner.pk for owner in supporters}
    persons = {person_key(h) for h in units}
    supporting = {person_key(h) for h in units if ids & h.owners}
    return len(supporting), len(persons)


@transaction.atomic
def custody_request_create(
    *,
    compound: Compound,
    requested_by: str,
    reason: str,
    actor: User,
    exiting_company: PropertyCompany | None = None,
    exit_notice_date: dt.date | None = None,
    supporters: Sequence[Owner] = (),
    now: dt.datetime | None = None,
) -> CustodyRequest:
    """A compound asks for a temporary custodian (Shanghai Art. 52): its owners'
    committee, or, where it has none, at least 20% of its owners through the
    residents' committee, counted by the legal headcount."""
    if not reason.strip():
        raise ApplicationError(_("Say why custody is needed."))
    committee = active_committee(compound)
    if requested_by == RequestedBy.COMMITTEE:
        if committee is None:
            raise ApplicationError(
                _(
                    "%(compound)s has no owners' committee; at least 20%% of its owners may ask "
                    "instead."
                )
                % {"compound": compound.name}
            )
    elif requested_by == RequestedBy.OWNERS:
        if committee is not None:
            raise ApplicationError(
                _("%(compound)s has an owners' committee, which makes the request.")
                % {"compound": compound.name}
            )
        supporting, total = supporting_share(compound, supporters)
        if supporting * 5 < total:  # at least 20 %, by cross multiplication
            raise ApplicationError(
                _(
                    "%(supporting)d of %(total)d owners (legal headcount) support the request; "
                    "at least 20%% must."
                )
                % {"supporting": supporting, "total": total}
            )
    else:
        raise ApplicationError(_("Unknown requester."))
    if exit_notice_date and exit_notice_date > timezone.localdate(clock.now(now)):
        raise ApplicationError(_("The exit notice date cannot be in the future."))
    request = CustodyRequest.objects.create(
        compound=compound,
        requested_by=requested_by,
        exiting_company=exiting_company,
        exit_notice_date=exit_notice_date,
        reason=reason.strip(),
        submitted_by=actor,
        submitted_at=clock.now(now),
    )
    request.supporters.set(supporters)
    # Civil Code Arts. 949-950: what the leaving provider must hand over.
    HandoverItem.objects.bulk_create(
        [HandoverItem(request=request, kind=kind) for kind in HandoverKind.values]
    )
    audit_log(
        event_type=EventType.CUSTODY_REQUESTED,
        actor=actor,
        subject=request,
        new={"compound": compound.name, "by": requested_by},
    )
    return request


@transaction.atomic
def handover_mark(
    *, item: HandoverItem, note: str, actor: User | None, now: dt.datetime | None = None
) -> HandoverItem:
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    if item.done_at is not None:
        raise ApplicationError(_("Already handed over."))
    item.done_at, item.note, item.recorded_by = clock.now(now), note.strip(), actor
    item.save(update_fields=["done_at", "note", "recorded_by"])
    return item


@transaction.atomic
def custody_assign(
    *,
    request: CustodyRequest,
    company: PropertyCompany,
    starts_on: dt.date,
    months: int,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Custody:
    """Pick the custodian by the proximity principle (就近原则). Picking other than the
    nearest eligible company needs a written reason; at most six months (Art. 52)."""
    request = CustodyRequest.objects.select_for_update().get(pk=request.pk)
    now = clock.now(now)
    if request.status != RequestStatus.SUBMITTED:
        raise ApplicationError(_("This request already has its custodian, or was withdrawn."))
    if not 1 <= months <= MAX_CUSTODY_MONTHS:
        raise ApplicationError(
            _(
                "Custody from the pool lasts at most %(max)d months "
                "(Shanghai 住宅物业管理规定 Art. 52); a longer term is refused."
            )
            % {"max": MAX_CUSTODY_MONTHS}
        )
    ranked, excluded = custody_candidates(request.compound, on=starts_on)
    chosen = next((r for r in ranked if r.candidate.key == company.pk), None)
    if chosen is None:
        refused = next((e for e in excluded if e.candidate.key == company.pk), None)
        if refused is not None:
            raise ApplicationError(
                _("%(company)s cannot be picked: %(reason)s.")
                % {"company": company.name, "reason": refused.reason(_)}
            )
        raise ApplicationError(
            _("%(company)s is not in the temporary-provider pool.") % {"company": company.name}
        )
    if chosen.rank != 1 and not reason.strip():
        raise ApplicationError(
            _(
                "%(nearest)s is nearer (%(distance)d m); picking another company needs a written "
                "reason."
            )
            % {"nearest": ranked[0].candidate.name, "distance": round(ranked[0].distance_m)}
        )
    entry = (
        PoolEntry.objects.select_for_update()
        .filter(
            company=company,
            pool__district=request.compound.neighbourhood.sub_district.district,
            status=PoolEntryStatus.ACTIVE,
            valid_until__gte=starts_on,
            capacity__gt=0,
        )
        .order_by("-valid_until")
        .first()
    )
    if entry is None:  # changed since the candidates were read
        raise ApplicationError(
            _("%(company)s is not in the temporary-provider pool.") % {"company": company.name}
        )
    entry.capacity -= 1
    entry.save(update_fields=["capacity"])
    custody = Custody.objects.create(
        request=request,
        compound=request.compound,
        company=company,
        pool_entry=entry,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
        distance_m=round(chosen.distance_m),
        rank=chosen.rank,
        reason=reason.strip(),
        candidates=[
            {
                "company": r.candidate.name,
                "rank": r.rank,
                "distance_m": round(r.distance_m),
                "nearest": r.nearest.label,
            }
            for r in ranked
        ]
        + [
            {
                "company": e.candidate.name,
                "excluded": e.reason(),  # English, for the record and the audit trail
                "template": e.template,  # translated where it is shown
                "params": dict(e.params),
            }
            for e in excluded
        ],
        picked_by=actor,
        picked_at=now,
    )
    request.status = RequestStatus.ASSIGNED
    request.save(update_fields=["status"])
    compound_provider_set(compound=request.compound, company=company, actor=actor)
    audit_log(
        event_type=EventType.CUSTODY_ASSIGNED,
        actor=actor,
        subject=custody,
        new={
            "company": company.name,
            "rank": chosen.rank,
            "distance_m": custody.distance_m,
            "reason": custody.reason,
        },
    )
    tell_custody(custody)
    return custody


@transaction.atomic
def custody_extend(
    *,
    custody: Custody,
    months: int,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> Custody:
    """An extension is a new custody record, again of at most six months, with its reason."""
    custody = Custody.objects.select_for_update().get(pk=custody.pk)
    if hasattr(custody, "extended_by"):
        raise ApplicationError(_("This custody was already extended; extend the latest record."))
    if not reason.strip():
        raise ApplicationError(_("An extension needs its reason."))
    if not 1 <= months <= MAX_CUSTODY_MONTHS:
        raise ApplicationError(
            _(
                "Custody from the pool lasts at most %(max)d months "
                "(Shanghai 住宅物业管理规定 Art. 52); a longer term is refused."
            )
            % {"max": MAX_CUSTODY_MONTHS}
        )
    extension = Custody.objects.create(
        request=custody.request,
        compound=custody.compound,
        company=custody.company,
        pool_entry=custody.pool_entry,
        starts_on=custody.ends_on,
        ends_on=add_months(custody.ends_on, months),
        distance_m=custody.distance_m,
        rank=custody.rank,
        reason=reason.strip(),
        candidates=custody.candidates,
        extends=custody,
        picked_by=actor,
        picked_at=clock.now(now),
    )
    audit_log(
        event_type=EventType.CUSTODY_EXTENDED,
        actor=actor,
        subject=extension,
        new={"ends_on": extension.ends_on},
    )
    return extension
