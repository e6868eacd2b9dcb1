"""Case pages: who sees what, the public milestones, meetings and their calendar."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from gongzhi.cases import services
from gongzhi.cases.lines import ActionEntry
from gongzhi.cases.models import ActionItem, Meeting
from gongzhi.core.tests.clients import as_

from .conftest import case_with_task_force, open_case
from .test_services import FOUR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("official", 200),
        ("clerk", 200),
        ("committee_shuixia", 200),
        ("committee_maotai", 200),
        ("other_clerk", 403),
        ("owner", 403),
        ("outsider", 403),
    ],
)
def test_case_page_matrix(client, world, who, status):
    case = open_case(world)
    assert as_(client, world.users[who]).get(f"/cases/{case.pk}/").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in_but_see_the_milestones(client, world):
    case = open_case(world)
    services.task_force_form(
        case=case,
        name="工作专班",
        leader="赵书记",
        leader_organisation="党总支",
        formed_on=dt.date(2025, 9, 1),
        actor=world.users["clerk"],
    )
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    public = client.get(f"/cases/{case.pk}/public/").content.decode()
    assert "水霞居民区物业集约化" in public and "水霞小区" in public
    assert "赵书记" not in public and "clerk" not in public
    milestones = public.split('data-testid="milestones"')[1].split("</ol>")[0]
    assert milestones.count('class="done"') == 1  # opened only


def test_a_committee_member_sees_only_their_own_compound(client, world):
    case = case_with_task_force(world)
    html = as_(client, world.users["committee_maotai"]).get(f"/cases/{case.pk}/").content.decode()
    stages = html.split('data-testid="stages"')[1].split("</table>")[0]
    missing = stages.split('data-testid="missing"')[1].split("</ul>")[0]
    assert "茅台雅苑" in missing and "水霞小区" not in missing
    assert "水霞小区" not in stages
    meetings = html.split('data-testid="meetings"')[1].split("</table>")[0]
    assert "茅台雅苑征询会" in meetings and "水霞小区征询会" not in meetings
    assert 'data-testid="advance"' not in html  # no management forms
    other = Meeting.objects.get(title="水霞小区征询会")
    assert client.get(f"/cases/meetings/{other.pk}/").status_code == 403
    assert client.post(f"/cases/{case.pk}/act/advance/").status_code == 403


def test_advancing_from_the_page_shows_the_guard_in_words(client, world):
    case = open_case(world)
    as_(client, world.users["clerk"])
    html = client.post(f"/cases/{case.pk}/act/advance/", follow=True).content.decode()
    assert "尚未成立工作专班" in html
    case.refresh_from_db()
    assert case.stage == "opened"


def test_recording_a_meeting_from_its_page(client, world):
    case = open_case(world)
    start = timezone.now() - dt.timedelta(hours=3)
    meeting = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        case=case,
        kind="four_party",
        title="四位一体联席会议",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="党群服务站",
        compounds=[world.shuixia],
        actor=world.users["clerk"],
    )
    as_(client, world.users["clerk"])
    url = f"/cases/meetings/{meeting.pk}/"
    bad = {
        "attendees": "党组织 | 党总支 | 赵书记\n开发商 | 某公司 | 钱经理",
        "minutes": "讨论托管",
        "actions": "安装充电桩 | 纺原物业 | 下周",
    }
    html = client.post(url + "record/", bad, follow=True).content.decode()
    assert "第 2 行" in html and "开发商" in html
    assert Meeting.objects.get().status == "planned"
    good = {
        "attendees": "党组织 | 党总支 | 赵书记 | 书记\n居委会 | 居委会 | 李干事\n"
        "业委会 | 水霞小区业委会 | 周主任\n物业 | 纺原物业 | 项目经理",
        "minutes": "讨论托管事宜",
        "resolutions": "同意申请临时托管",
        "actions": "走访退出物业 | 李干事 | 2026-01-10",
    }
    assert client.post(url, good).status_code == 405  # the page itself changes nothing
    client.post(url + "record/", good)
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.attendees.count() == 4
    assert ActionItem.objects.get().title == "走访退出物业"
    item = ActionItem.objects.get()
    client.post(f"{url}items/{item.pk}/close/", {"status": "done", "note": "已走访"})
    item.refresh_from_db()
    assert (item.status, item.closing_note) == ("done", "已走访")


def test_overdue_items_are_carried_to_the_next_four_party_meeting(client, world):
    case = open_case(world)
    start = timezone.now() - dt.timedelta(days=20)
    past = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        case=case,
        kind="coordination",
        title="协调会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="活动室",
        compounds=[world.shuixia],
        actor=world.users["clerk"],
    )
    services.meeting_record(
        meeting=past,
        minutes="纪要",
        attendees=FOUR,
        actions=[
            ActionEntry("更换老化水管", "纺原物业", timezone.localdate() - dt.timedelta(days=5))
        ],
        actor=world.users["clerk"],
    )
    soon = timezone.now() + dt.timedelta(days=7)
    upcoming = services.meeting_plan(
        neighbourhood=world.neighbourhood,
        case=case,
        kind="four_party",
        title="下次四位一体会议",
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=2),
        place="党群服务站",
        compounds=[world.shuixia],
        actor=world.users["clerk"],
    )
    as_(client, world.users["clerk"])
    page = client.get(f"/cases/meetings/{upcoming.pk}/").content.decode()
    assert "更换老化水管" in page.split('data-testid="carried"')[1]
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "更换老化水管" in case_page.split('data-testid="overdue"')[1]


def test_the_calendar_file_has_every_meeting_of_the_case(client, world):
    case = open_case(world)
    start = timezone.now() + dt.timedelta(days=1)
    for n in range(3):
        services.meeting_plan(
            neighbourhood=world.neighbourhood,
            case=case,
            kind="consultation",
            title=f"征询会{n}",
            starts_at=start + dt.timedelta(days=n),
            ends_at=start + dt.timedelta(days=n, hours=2),
            place="活动室",
            compounds=[world.shuixia],
            actor=world.users["clerk"],
        )
    as_(client, world.users["clerk"])
    response = client.get(f"/cases/{case.pk}/meetings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [f"征询会：征询会{n}" for n in range(3)]
    assert {e["DTSTART"].dt for e in events} == {
        m.starts_at.replace(microsecond=0) for m in Meeting.objects.filter(case=case)
    }  # calendars keep whole seconds


def test_the_case_page_reads_the_same_number_of_times_however_many_tasks(client, world):
    case = case_with_task_force(world)
    as_(client, world.users["clerk"])

    def reads():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{case.pk}/").status_code == 200
        return len(queries)

    before = reads()
    for n in range(5):
        services.work_task_add(
            task_force=case.task_force,
            title=f"任务{n}",
            owner=case.task_force.members.get(),
            due_on=dt.date(2025, 11, 1),
            actor=world.users["clerk"],
        )
    assert reads() == before
