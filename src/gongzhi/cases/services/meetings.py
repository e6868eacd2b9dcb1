"""Meetings, the four-party ones among them: planned, recorded with attendees,
resolutions and action items, cancelled; action items closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.masking import mask_text
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
)

from ..lines import ActionEntry, AttendeeEntry
from ..models import (
    FOUR_PARTIES,
    ActionItem,
    Attendee,
    ConsolidationCase,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Party,
    Resolution,
    WorkStatus,
)
from ..notify import people_of_meeting, tell_assigned, tell_planned

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

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
    actor: User,
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
    actor: User | None,
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
def meeting_cancel(*, meeting: Meeting, actor: User | None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ApplicationError(_("Only a planned meeting is cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def action_item_close(
    *, item: ActionItem, status: str, note: str, closed_on: dt.date, actor: User | None
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
