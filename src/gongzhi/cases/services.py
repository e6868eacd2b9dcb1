"""Writes for consolidation cases: opening, the task force, intentions, legal opinions,
links to decisions, plans and notices, waivers, advancing, merging the management
areas and the owners' committees, filings, meetings and action items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.core.masking import mask_text
from gongzhi.core.uploads import read_upload
from gongzhi.notices.models import Notice, NoticeStatus
from gongzhi.registry.models import (
    CommitteeStatus,
    Compound,
    ManagementArea,
    ManagementAreaCompound,
    Neighbourhood,
    OwnersCommittee,
    PropertyCompany,
)
from gongzhi.registry.services import (
    MemberSpec,
    committee_election_end,
    committee_election_start,
    management_areas_merge,
    owners_committee_create,
    owners_committee_dissolve,
)
from gongzhi.selection.models import SelectionPlan
from gongzhi.voting.models import Decision, DecisionStatus, Matter, Scope
from gongzhi.voting.selectors import passed_by_compound

from . import stages
from .lines import ActionEntry, AttendeeEntry
from .models import (
    FOUR_PARTIES,
    ActionItem,
    Attendee,
    CaseCompound,
    CommitteeFiling,
    ConsolidationCase,
    FilingKind,
    Intention,
    LegalOpinion,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Party,
    ProviderIntention,
    Resolution,
    StageReached,
    StageWaiver,
    TaskForce,
    TaskForceMember,
    WorkStatus,
    WorkTask,
)
from .notify import people_of_meeting, tell_assigned, tell_planned
from .stages import Stage

# Shanghai 住宅物业管理规定 Arts. 33-34: committee changes are filed within 30 days.
FILING_DAYS = 30


def _compounds(case: ConsolidationCase) -> list[Compound]:
    return list(case.compounds.order_by("name"))


# --- the case ---------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    compounds: Sequence[tuple[Compound, PropertyCompany | None]],
    actor,
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
    *, case: ConsolidationCase, actor, now: dt.datetime | None = None
) -> ConsolidationCase:
    """Reach the next stage, or say in words what is missing (nothing changes)."""
    from .selectors import case_facts

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
    actor,
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
    return {c.pk for c in _compounds(case)} <= {c.pk for c in compounds}


LINKS = {
    "approval_decision": Decision,
    "merger_decision": Decision,
    "committee_decision": Decision,
    "selection_plan": SelectionPlan,
    "disclosure_notice": Notice,
    "merger_notice": Notice,
}


@transaction.atomic
def case_link(*, case: ConsolidationCase, link: str, target, actor) -> ConsolidationCase:
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


# --- task force ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    name: str
    organisation: str
    responsibilities: str


@transaction.atomic
def task_force_form(
    *,
    case: ConsolidationCase,
    name: str,
    leader: str,
    leader_organisation: str,
    formed_on: dt.date,
    actor,
    guiding_departments: str = "",
    members: Sequence[MemberEntry] = (),
) -> TaskForce:
    if hasattr(case, "task_force"):
        raise ApplicationError(_("The case already has its task force."))
    if not name.strip() or not leader.strip():
        raise ApplicationError(_("Give the task force a name and a leader."))
    task_force = TaskForce.objects.create(
        case=case,
        name=name.strip(),
        leader=leader.strip(),
        leader_organisation=leader_organisation.strip(),
        guiding_departments=guiding_departments.strip(),
        formed_on=formed_on,
    )
    for member in members:
        task_force_member_add(task_force=task_force, entry=member, actor=actor)
    return task_force


def task_force_member_add(*, task_force: TaskForce, entry: MemberEntry, actor) -> TaskForceMember:
    if not entry.name.strip() or not entry.responsibilities.strip():
        raise ApplicationError(_("Give the member's name and responsibilities."))
    return TaskForceMember.objects.create(
        task_force=task_force,
        name=entry.name.strip(),
        organisation=entry.organisation.strip(),
        responsibilities=entry.responsibilities.strip(),
    )


def work_task_add(
    *, task_force: TaskForce, title: str, owner: TaskForceMember, due_on: dt.date, actor
) -> WorkTask:
    if owner.task_force_id != task_force.pk:
        raise ApplicationError(_("The responsible person is not a member of this task force."))
    if not title.strip():
        raise ApplicationError(_("Say what the task is."))
    return WorkTask.objects.create(
        task_force=task_force, title=title.strip(), owner=owner, due_on=due_on
    )


@transaction.atomic
def work_task_close(*, task: WorkTask, done_on: dt.date, actor) -> WorkTask:
    task = WorkTask.objects.select_for_update().get(pk=task.pk)
    if task.status != WorkStatus.OPEN:
        raise ApplicationError(_("This task is already closed."))
    task.status, task.done_on = WorkStatus.DONE, done_on
    task.save(update_fields=["status", "done_on"])
    return task


# --- engagement and legality ----------------------------------------------------------


@transaction.atomic
def intention_record(
    *,
    case: ConsolidationCase,
    compound: Compound,
    company: PropertyCompany,
    intention: str,
    stated_on: dt.date,
    actor,
    notice_reference: str = "",
    note: str = "",
) -> ProviderIntention:
    """An exiting provider's intention, with the date and its written notice."""
    if intention not in Intention.values:
        raise ApplicationError(_("Unknown intention."))
    if not case.members.filter(compound=compound).exists():
        raise ApplicationError(_("%(compound)s is not part of this case.") % {"compound": compound})
    if stated_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."))
    if intention == Intention.LEAVE and not notice_reference.strip():
        raise ApplicationError(
            _("A company that leaves gives written notice; record its reference and date.")
        )
    return ProviderIntention.objects.create(
        case=case,
        compound=compound,
        company=company,
        intention=intention,
        stated_on=stated_on,
        notice_reference=notice_reference.strip(),
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def legal_opinion_upload(
    *,
    case: ConsolidationCase,
    association: str,
    title: str,
    conclusion: str,
    upload,
    actor,
    now: dt.datetime | None = None,
) -> LegalOpinion:
    """An industry association's expert opinion, as the signed PDF."""
    if not association.strip() or not title.strip() or not conclusion.strip():
        raise ApplicationError(_("Give the association, the title and the conclusion."))
    checked = read_upload(upload, kinds=("pdf",))
    opinion = LegalOpinion(
        case=case,
        association=association.strip(),
        title=title.strip(),
        conclusion=conclusion.strip(),
        uploaded_by=actor,
        uploaded_at=clock.now(now),
    )
    return checked.save_into(opinion)


@transaction.atomic
def legal_opinion_sign_off(
    *, opinion: LegalOpinion, actor, now: dt.datetime | None = None
) -> LegalOpinion:
    """The sub-district signs off an opinion it has read; not the person who uploaded it."""
    opinion = LegalOpinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.signed_off_at is not None:
        raise ApplicationError(_("Already signed off."))
    if opinion.uploaded_by_id == getattr(actor, "pk", None):
        raise ApplicationError(_("Someone other than the uploader signs the opinion off."))
    opinion.signed_off_by, opinion.signed_off_at = actor, clock.now(now)
    opinion.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_log(
        event_type=EventType.LEGAL_OPINION_SIGNED,
        actor=actor,
        subject=opinion.case,
        new={"opinion": opinion.title, "sha256": opinion.sha256},
    )
    return opinion


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
    actor,
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
    compounds = _compounds(case)
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
def reelection_start(*, case: ConsolidationCase, on: dt.date, actor) -> ConsolidationCase:
    """The merged committee's election begins; no hire-or-dismiss vote may open
    until it ends (Art. 28), and none may be open when it begins."""
    case = locked(case)
    if case.merged_area_id is None:
        raise ApplicationError(_("Merge the management areas first."))
    if case.reelection_id is not None:
        raise ApplicationError(_("The re-election has already started."))
    compounds = _compounds(case)
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
    actor,
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
    *, filing: CommitteeFiling, filed_on: dt.date, reference: str, actor
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


# --- meetings ----------------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    compounds: Sequence[Compound],
    actor,
    case: ConsolidationCase | None = None,
    agenda: str = "",
) -> Meeting:
    if kind not in MeetingKind.values:
        raise ApplicationError(_("Unknown kind of meeting."))
    if not title.strip() or not place.strip():
        raise ApplicationError(_("Give the meeting a title and a place."))
    if ends_at <= starts_at:
        raise ApplicationError(_("A meeting ends after it starts."))
    if not compounds or any(c.neighbourhood_id != neighbourhood.pk for c in compounds):
        raise ApplicationError(_("Say which compounds of the residents' area it concerns."))
    meeting = Meeting.objects.create(
        neighbourhood=neighbourhood,
        case=case,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        agenda=agenda.strip(),
        created_by=actor,
    )
    meeting.compounds.set(compounds)
    tell_planned(meeting)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    minutes: str,
    attendees: Sequence[AttendeeEntry],
    actor,
    resolutions: Sequence[str] = (),
    actions: Sequence[ActionEntry] = (),
    now: dt.datetime | None = None,
) -> Meeting:
    """Record a meeting as held: who came for whom, the minutes, resolutions and
    action items. A four-party meeting needs all four parties present."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = clock.now(now)
    if meeting.status != MeetingStatus.PLANNED:
        raise ApplicationError(_("Only a planned meeting is recorded as held."))
    if meeting.starts_at > now:
        raise ApplicationError(_("The meeting has not taken place yet."))
    if not minutes.strip() or not attendees:
        raise ApplicationError(_("Record the minutes and who attended."))
    if any(a.party not in Party.values for a in attendees):
        raise ApplicationError(_("Unknown party."))
    if meeting.kind == MeetingKind.FOUR_PARTY:
        present = {a.party for a in attendees}
        absent = [str(Party(p).label) for p in FOUR_PARTIES if p not in present]
        if absent:
            raise ApplicationError(
                _("A four-party meeting needs all four parties; absent: %(names)s.")
                % {"names": "、".join(absent)}
            )
    for action in actions:
        if not action.title.strip() or not action.owner.strip():
            raise ApplicationError(_("Every action item needs what and who."))
    meeting.minutes = mask_text(minutes.strip())
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "status"])
    Attendee.objects.bulk_create(
        [
            Attendee(
                meeting=meeting,
                party=a.party,
                organisation=a.organisation.strip(),
                name=a.name.strip(),
                role=a.role.strip(),
            )
            for a in attendees
        ]
    )
    Resolution.objects.bulk_create(
        [
            Resolution(meeting=meeting, text=mask_text(text.strip()))
            for text in resolutions
            if text.strip()
        ]
    )
    people = people_of_meeting(meeting)
    items = ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=meeting,
                title=a.title.strip(),
                owner=a.owner.strip(),
                assignee=people.get(a.owner.strip()),
                due_on=a.due_on,
            )
            for a in actions
        ]
    )
    audit_log(
        event_type=EventType.MEETING_RECORDED,
        actor=actor,
        subject=meeting,
        new={"attendees": len(attendees), "actions": len(actions)},
    )
    tell_assigned(items)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ApplicationError(_("Only a planned meeting is cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def action_item_close(
    *, item: ActionItem, status: str, note: str, closed_on: dt.date, actor
) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != WorkStatus.OPEN:
        raise ApplicationError(_("This action item is already closed."))
    if status not in (WorkStatus.DONE, WorkStatus.CANCELLED):
        raise ApplicationError(_("An action item is closed as done or cancelled."))
    if not note.strip():
        raise ApplicationError(_("Say how it was closed."))
    item.status, item.closing_note, item.closed_on = status, note.strip(), closed_on
    item.save(update_fields=["status", "closing_note", "closed_on"])
    audit_log(
        event_type=EventType.ACTION_ITEM_CLOSED,
        actor=actor,
        subject=item.meeting,
        new={"item": item.title, "status": status},
    )
    return item
