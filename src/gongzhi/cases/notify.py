"""Telling people about meetings and their action items: a meeting planned (to the
area's organisers and the committee members of its compounds), an action item
assigned to someone the area knows by name, and overdue (to them and the organisers).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gongzhi.accounts.models import User
from gongzhi.accounts.selectors import (
    users_of_companies,
    users_on_committees,
    users_organising,
)
from gongzhi.notifications.services import composed, notify

from .models import ActionItem, Meeting, MeetingStatus, WorkStatus


def _organisers(meeting: Meeting):
    return users_organising(
        neighbourhood_id=meeting.neighbourhood_id,
        sub_district_id=meeting.neighbourhood.sub_district_id,
    )


def people_of_meeting(meeting: Meeting) -> dict[str, User]:
    """The accounts a meeting's action items can be given to, by display name: the
    area's organisers, the compounds' committee members and their companies' staff."""
    compounds = list(meeting.compounds.all())
    companies = [c.property_company_id for c in compounds if c.property_company_id]
    people: dict[str, User] = {}
    for queryset in (
        _organisers(meeting),
        users_on_committees([c.pk for c in compounds]),
        users_of_companies(companies),
    ):
        for user in queryset:
            if user.display_name:
                people.setdefault(user.display_name.strip(), user)
    return people


def tell_planned(meeting: Meeting) -> None:
    meeting_news.enqueue(meeting_id=meeting.pk)


@task()
def meeting_news(meeting_id: int) -> int:
    meeting = Meeting.objects.select_related("neighbourhood").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != MeetingStatus.PLANNED:
        return 0
    users = {u.pk: u for u in _organisers(meeting)}
    users.update(
        {u.pk: u for u in users_on_committees(meeting.compounds.values_list("pk", flat=True))}
    )
    starts = timezone.localtime(meeting.starts_at)
    with composed():
        title = _("Meeting planned: %(title)s") % {"title": meeting.title}
        body = _("%(when)s at %(place)s.") % {
            "when": f"{starts:%Y-%m-%d %H:%M}",
            "place": meeting.place,
        }
    return notify(
        users=list(users.values()),
        kind="meeting",
        event_key=f"meeting:{meeting.pk}:planned",
        title=title,
        body=body,
        url=reverse("cases:meeting", args=[meeting.pk]),
    )


def tell_assigned(items) -> None:
    for item in items:
        if item.assignee_id is None:
            continue
        with composed():
            title = _("Action item for you: %(title)s") % {"title": item.title}
            body = _("Due %(day)s.") % {"day": item.due_on}
        notify(
            users=[item.assignee],
            kind="meeting",
            event_key=f"action:{item.pk}:assigned",
            title=title,
            body=body,
            url=reverse("cases:meeting", args=[item.meeting_id]),
        )


def remind_overdue(now: dt.datetime) -> int:
    """Tell the responsible person and the organisers of each action item past its day."""
    today = timezone.localdate(now)
    overdue = ActionItem.objects.filter(status=WorkStatus.OPEN, due_on__lt=today).select_related(
        "meeting__neighbourhood", "assignee"
    )
    told = 0
    for item in overdue:
        users = {u.pk: u for u in _organisers(item.meeting)}
        if item.assignee is not None:
            users[item.assignee.pk] = item.assignee
        with composed():
            title = _("Action item overdue: %(title)s") % {"title": item.title}
            body = _("It was due %(day)s; responsible: %(who)s.") % {
                "day": item.due_on,
                "who": item.owner,
            }
        told += notify(
            users=list(users.values()),
            kind="meeting",
            event_key=f"action:{item.pk}:overdue",
            title=title,
            body=body,
            url=reverse("cases:meeting", args=[item.meeting_id]),
        )
    return told
