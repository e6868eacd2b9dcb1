"""The end of a case: one management area, the committee re-election or merger, and
the filing with the district."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.notices.models import NoticeStatus
from gongzhi.registry.models import (
    CommitteeStatus,
    ManagementArea,
    ManagementAreaCompound,
    OwnersCommittee,
)
from gongzhi.registry.services import (
    MemberSpec,
    committee_election_end,
    committee_election_start,
    management_areas_merge,
    owners_committee_create,
    owners_committee_dissolve,
)
from gongzhi.voting.models import Decision, DecisionStatus, Matter
from gongzhi.voting.selectors import passed_by_compound

from ..models import (
    CommitteeFiling,
    ConsolidationCase,
    FilingKind,
)
from .cases import FILING_DAYS, case_compounds

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- merging the management areas and the committees ----------------------------------


def _require_passed(decision: Decision | None, what: str) -> None:
    if decision is None:
        raise ApplicationError(_("Link the owners' decision on %(what)s first.") % {"what": what})
    passed = passed_by_compound(decision)
    if passed is None:
        raise ApplicationError(
            _("The owners' decision “%(title)s” has no final result yet.")
            % {"title": decision.title}
        )
    failed = sorted(
        name
        for name, pk in decision.compounds.values_list("name", "pk")
        if not passed.get(pk, False)
    )
    if failed:
        raise ApplicationError(
            _("The owners' decision “%(title)s” did not pass in: %(names)s.")
            % {"title": decision.title, "names": "、".join(failed)}
        )


@transaction.atomic
def areas_merge(
    *,
    case: ConsolidationCase,
    name: str,
    on: dt.date,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ManagementArea:
    """One management area for the case's compounds (Shanghai Art. 10): needs the
    owners' decision passed in each compound and the merger's notice published."""
    case = locked(case)
    now = clock.now(now)
    if case.merged_area_id is not None:
        raise ApplicationError(_("The management areas are already merged."))
    _require_passed(case.merger_decision, _("merging the management areas"))
    notice = case.merger_notice
    if notice is None or notice.status != NoticeStatus.PUBLISHED:
        raise ApplicationError(_("The merger is announced by a published notice first."))
    if timezone.localdate(notice.display_from) > on:
        raise ApplicationError(_("The merger takes effect after its notice has gone up."))
    compounds = case_compounds(case)
    memberships = (
        ManagementAreaCompound.objects.current()
        .filter(compound__in=compounds)
        .select_related("area", "compound")
    )
    without = sorted({c.name for c in compounds} - {m.compound.name for m in memberships})
    if without:
        raise ApplicationError(
            _("Not in any management area yet: %(names)s. Record them in the registry first.")
            % {"names": "、".join(without)}
        )
    areas = {m.area for m in memberships}
    outside = (
        ManagementAreaCompound.objects.current()
        .filter(area__in=areas)
        .exclude(compound__in=compounds)
    )
    if outside.exists():
        raise ApplicationError(
            _("These areas also hold compounds outside the case: %(names)s.")
            % {"names": "、".join(sorted(m.compound.name for m in outside))}
        )
    merged = management_areas_merge(areas=list(areas), name=name, on=on, actor=actor)
    case.merged_area = merged
    case.save(update_fields=["merged_area"])
    return merged


@transaction.atomic
def reelection_start(
    *, case: ConsolidationCase, on: dt.date, actor: User | None
) -> ConsolidationCase:
    """The merged committee's election begins; no hire-or-dismiss vote may open
    until it ends (Art. 28), and none may be open when it begins."""
    case = locked(case)
    if case.merged_area_id is None:
        raise ApplicationError(_("Merge the management areas first."))
    if case.reelection_id is not None:
        raise ApplicationError(_("The re-election has already started."))
    compounds = case_compounds(case)
    open_votes = Decision.objects.filter(
        compounds__in=compounds,
        status__in=[DecisionStatus.ANNOUNCED, DecisionStatus.OPEN],
        items__matter=Matter.PROVIDER,
    ).distinct()
    if open_votes.exists():
        raise ApplicationError(
            _("A vote to hire or dismiss the property company is under way: %(titles)s.")
            % {"titles": "、".join(d.title for d in open_votes)}
        )
    case.reelection = committee_election_start(
        compounds=compounds, on=on, actor=actor, note=case.title
    )
    case.save(update_fields=["reelection"])
    return case


@transaction.atomic
def committees_merge(
    *,
    case: ConsolidationCase,
    name: str,
    term_start: dt.date,
    term_end: dt.date,
    members: Sequence[MemberSpec],
    on: dt.date,
    actor: User | None,
) -> OwnersCommittee:
    """The new committee of the merged area replaces the old ones; the cancellation and
    record filings are due within 30 days (Arts. 33-34)."""
    case = locked(case)
    area = case.merged_area
    if area is None:
        raise ApplicationError(_("Merge the management areas first."))
    if case.merged_committee_id is not None:
        raise ApplicationError(_("The merged committee is already recorded."))
    if case.reelection is None:
        raise ApplicationError(_("Start the committee re-election first."))
    _require_passed(case.committee_decision, _("merging the owners' committees"))
    if not members:
        raise ApplicationError(_("Record the members of the new committee."))
    old = list(
        OwnersCommittee.objects.filter(
            status=CommitteeStatus.ACTIVE,
            management_area__merged_into=area,
        )
    )
    for committee in old:
        owners_committee_dissolve(committee=committee, on=on, actor=actor)
    committee = owners_committee_create(
        management_area=area,
        name=name,
        term_start=term_start,
        term_end=term_end,
        members=members,
        actor=actor,
    )
    committee_election_end(election=case.reelection, on=on, actor=actor)
    due = on + dt.timedelta(days=FILING_DAYS)
    CommitteeFiling.objects.bulk_create(
        [CommitteeFiling(case=case, kind=FilingKind.CANCEL, committee=c, due_by=due) for c in old]
        + [CommitteeFiling(case=case, kind=FilingKind.RECORD, committee=committee, due_by=due)]
    )
    case.merged_committee = committee
    case.save(update_fields=["merged_committee"])
    audit_log(
        event_type=EventType.COMMITTEES_MERGED,
        actor=actor,
        subject=case,
        old={"committees": sorted(c.name for c in old)},
        new={"committee": committee.name, "members": len(members), "on": on},
    )
    return committee


@transaction.atomic
def filing_record(
    *, filing: CommitteeFiling, filed_on: dt.date, reference: str, actor: User | None
) -> CommitteeFiling:
    filing = CommitteeFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.filed_on is not None:
        raise ApplicationError(_("Already filed."))
    if not reference.strip():
        raise ApplicationError(_("Give the filing's reference."))
    if filed_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."))
    filing.filed_on, filing.reference = filed_on, reference.strip()
    filing.save(update_fields=["filed_on", "reference"])
    audit_log(
        event_type=EventType.COMMITTEE_FILING_RECORDED,
        actor=actor,
        subject=filing.case,
        new={"filing": str(filing), "filed_on": filed_on, "late": filing.late},
    )
    return filing
