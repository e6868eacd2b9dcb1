"""Meetings and action items reach people: a meeting planned (the area's organisers and
the compounds' committee members), an action item given to someone the area knows by
name, and the same item once overdue (to them and the organisers)."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.cases import services
from gongzhi.cases.lines import ActionEntry, AttendeeEntry
from gongzhi.cases.notify import remind_overdue
from gongzhi.core.tests.queue import drain
from gongzhi.notifications.models import Notification

pytestmark = pytest.mark.django_db

FOUR = [
    AttendeeEntry("party_branch", "党总支", "书记"),
    AttendeeEntry("residents_committee", "居委会", "主任"),
    AttendeeEntry("owners_committee", "业委会", "主任"),
    AttendeeEntry("property_company", "纺原物业", "经理"),
]


def told(user):
    return list(Notification.objects.filter(user=user).values_list("event_key", flat=True))


def test_a_meeting_and_its_action_items_reach_the_people_concerned(world):
    clerk = world.users["clerk"]
    clerk.display_name = "居委会 李干事"
    clerk.save()
    start = timezone.now() - dt.timedelta(days=3)
    meeting = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        kind="four_party",
        title="四位一体协调会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="党群服务站",
        compounds=[world.shuixia],
        actor=clerk,
    )
    drain()
    planned = f"meeting:{meeting.pk}:planned"
    assert planned in told(clerk) and planned in told(world.users["official"])
    assert planned in told(world.users["committee_shuixia"])
    assert planned not in told(world.users["committee_maotai"])  # not its compound
    assert planned not in told(world.users["other_clerk"])
    services.meeting_record(
        meeting=meeting,
        minutes="纪要",
        attendees=FOUR,
        actor=clerk,
        actions=[
            ActionEntry(
                "起草托管申请", "居委会 李干事", timezone.localdate() - dt.timedelta(days=1)
            ),
            ActionEntry("走访业主", "某位不认识的人", timezone.localdate() + dt.timedelta(days=9)),
        ],
    )
    draft, visit = meeting.action_items.order_by("pk")
    assert draft.assignee == clerk and visit.assignee is None
    assert f"action:{draft.pk}:assigned" in told(clerk)
    remind_overdue(timezone.now())
    remind_overdue(timezone.now())  # checked again: told once
    overdue = Notification.objects.filter(event_key=f"action:{draft.pk}:overdue")
    assert set(overdue.values_list("user__username", flat=True)) == {"clerk", "official"}
    assert not Notification.objects.filter(event_key=f"action:{visit.pk}:overdue").exists()
