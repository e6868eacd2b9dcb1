"""Overdue requests escalate and reach the four-party meeting; public statistics keep
to the five-case rule, exactly; coverage of lifts and chargers is exact."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.cases.models import ActionItem, Meeting, WorkStatus
from gongzhi.core.tests.clients import as_
from gongzhi.servicedesk import selectors
from gongzhi.servicedesk.models import Asset, AssetKind, Feedback, Outcome, Status
from gongzhi.servicedesk.services import care, steps

from .conftest import T0

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@pytest.fixture
def meeting(desk):
    return Meeting.objects.create(
        neighbourhood=desk.neighbourhood,
        kind="four_party",
        title="四位一体联席会议（例会）",
        starts_at=T0 + 10 * D,
        ends_at=T0 + 10 * D + 2 * H,
        place="党群服务站",
        status="planned",
        created_by=desk.users["clerk"],
    )


def test_an_overdue_request_escalates_then_goes_on_the_next_meeting(desk, meeting):
    item = steps.request_accept(request=desk.report(), actor=desk.users["provider"], now=T0 + H)
    due = item.resolve_due  # three days after the report
    assert care.escalate(due) == (0, 0)  # due, not yet late
    assert care.escalate(due + dt.timedelta(seconds=1)) == (1, 0)
    item.refresh_from_db()
    assert item.escalated_at == due + dt.timedelta(seconds=1)
    assert care.escalate(due + D) == (0, 0)  # not a day yet
    assert care.escalate(due + D + dt.timedelta(seconds=1)) == (0, 1)
    item.refresh_from_db()
    action = ActionItem.objects.get(pk=item.action_item_id)
    assert action.meeting == meeting and f"#{item.pk}" in action.title
    assert action.owner == "纺原物业"
    assert list(item.events.values_list("kind", flat=True))[-2:] == ["escalated", "to_meeting"]
    # the clerk's queue lists it although the company has it
    assert item in selectors.queue_for(desk.users["clerk"])
    # resolving and closing the request closes the meeting's item
    item = steps.request_resolve(
        request=item,
        outcome=Outcome.FIXED,
        reason="",
        actor=desk.users["provider"],
        now=due + 2 * D,
    )
    care.feedback_give(
        request=item, actor=desk.users["owner"], fixed=True, overall=4, speed=2, attitude=4,
        now=due + 3 * D,
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == WorkStatus.DONE


def test_a_deferred_or_unanswered_request_is_judged_by_the_right_clock(desk, meeting):
    waiting = desk.report()  # nobody answers: the answer time (24 h) decides
    assert care.escalate(T0 + D) == (0, 0)
    assert care.escalate(T0 + D + dt.timedelta(seconds=1)) == (1, 0)
    waiting.refresh_from_db()
    assert waiting.escalated_at is not None
    deferred = steps.request_accept(
        request=desk.report(now=T0 + D), actor=desk.users["provider"], now=T0 + D
    )
    steps.request_defer(
        request=deferred, until=T0 + 30 * D, reason="等维修资金表决", actor=desk.users["provider"],
        now=T0 + D,
    )  # fmt: skip
    assert care.escalate(T0 + 29 * D) == (0, 0)  # deferred: never overdue


def _fixed(desk, hours, rating=None, category="leak"):
    item = desk.report(category=category)
    item = steps.request_accept(request=item, actor=desk.users["provider"], now=T0 + H)
    item = steps.request_resolve(
        request=item,
        outcome=Outcome.FIXED,
        reason="",
        actor=desk.users["provider"],
        now=T0 + hours * H,
    )
    if rating:
        care.feedback_give(
            request=item, actor=desk.users["owner"], fixed=True, overall=rating, speed=3,
            attitude=3, now=T0 + (hours + 1) * H,
        )  # fmt: skip
    return item


def test_the_median_shows_from_the_fifth_resolved_request_exactly(desk):
    for hours in (10, 2, 7, 30):  # unsorted
        _fixed(desk, hours)
    stats = selectors.public_stats(desk.shuixia, now=T0 + 5 * D)
    row = next(r for r in stats.categories if r.name == "房屋渗漏")
    assert (row.total, row.open, row.median_hours) == (4, 0, None)
    _fixed(desk, 3)
    stats = selectors.public_stats(desk.shuixia, now=T0 + 5 * D)
    row = next(r for r in stats.categories if r.name == "房屋渗漏")
    assert row.median_hours == Decimal("7.0")  # 2, 3, 7, 10, 30 hours
    assert stats.satisfaction is None


def test_satisfaction_is_exact_from_five_ratings(desk):
    for rating in (5, 4, 4, 3):
        _fixed(desk, 5, rating)
    assert selectors.public_stats(desk.shuixia, now=T0 + 5 * D).satisfaction is None
    _fixed(desk, 5, 5)
    stats = selectors.public_stats(desk.shuixia, now=T0 + 5 * D)
    assert stats.ratings == 5 and stats.satisfaction == Decimal("4.2")  # 21 / 5
    assert Feedback.objects.count() == 5


def test_the_public_page_shows_numbers_and_never_a_person(client, desk):
    item = desk.report(
        place="unit", unit=desk.units["mine"], description="卫生间渗水 联系 13811112222", now=T0
    )
    steps.request_accept(request=item, actor=desk.users["provider"], now=T0 + H)
    text = client.get(f"/requests/public/{desk.shuixia.pk}/").content.decode()
    assert 'data-testid="total">1<' in text
    for private in ("13811112222", "3-101", "卫生间", "owner", desk.users["owner"].username):
        assert private not in text
    assert "<svg" in text and "<script" not in text


def test_coverage_of_lifts_monitoring_and_charging_points(desk):
    from gongzhi.registry.tests.factories import BuildingFactory, unit_with_owners

    far = BuildingFactory(
        compound=desk.shuixia,
        name="9号楼",
        latitude=Decimal("31.208000"),
        longitude=Decimal("121.393800"),
    )
    near = BuildingFactory(
        compound=desk.shuixia,
        name="10号楼",
        latitude=Decimal("31.206400"),
        longitude=Decimal("121.393800"),
    )
    garage = BuildingFactory(compound=desk.shuixia, name="地下车库")
    for building in (far, near):
        unit_with_owners(
            desk.shuixia, f"{building.name}-101", "60.00", [], building=building, use="residential"
        )
    unit_with_owners(desk.shuixia, "P-001", "12.00", [], building=garage, use="parking")
    clerk = desk.users["clerk"]
    care.asset_save(
        actor=clerk,
        compound=desk.shuixia,
        kind=AssetKind.LIFT,
        name="A梯",
        building=desk.building,
        monitoring_installed_on=dt.date(2026, 1, 5),
    )
    care.asset_save(
        actor=clerk, compound=desk.shuixia, kind=AssetKind.LIFT, name="B梯", building=desk.building
    )
    # a charging point in 3号楼, another 11 m from 10号楼 (none near 9号楼, 190 m away)
    care.asset_save(
        actor=clerk,
        compound=desk.shuixia,
        kind=AssetKind.CHARGER,
        name="3号楼充电棚",
        building=desk.building,
        sockets=20,
    )
    care.asset_save(
        actor=clerk,
        compound=desk.shuixia,
        kind=AssetKind.CHARGER,
        name="中心充电棚",
        sockets=7,
        latitude=Decimal("31.206300"),
        longitude=Decimal("121.393800"),
    )
    row = selectors.coverage([desk.shuixia])[0]
    assert (row.lifts, row.monitored, row.sockets) == (2, 1, 27)
    assert row.households == 4  # 3-101, 3-102, 9号楼, 10号楼: not the parking space
    assert row.sockets_per_100 == Decimal("675.0")
    assert row.buildings_without_charger == ["9号楼"]  # the garage needs none
    assert Asset.objects.count() == 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": AssetKind.CHARGER, "sockets": 0}, "1"),
        ({"kind": AssetKind.CHARGER, "sockets": 201}, "200"),
        ({"kind": AssetKind.LIFT, "sockets": 3}, "no sockets"),
        (
            {
                "kind": AssetKind.CHARGER,
                "sockets": 4,
                "monitoring_installed_on": dt.date(2026, 1, 1),
            },
            "in lifts",
        ),
        (
            {"kind": AssetKind.CHARGER, "sockets": 4, "latitude": Decimal("31.2")},
            "both coordinates",
        ),
        ({"kind": "tree", "sockets": 0}, "Unknown kind"),
    ],
)
def test_an_asset_with_impossible_values_is_refused(desk, english, fields, message):
    from gongzhi.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match=message):
        care.asset_save(actor=desk.users["clerk"], compound=desk.shuixia, name="x", **fields)
    assert not Asset.objects.exists()


def test_only_the_areas_staff_and_the_serving_company_manage_assets(desk):
    from gongzhi.core.errors import PermissionRefused

    for who in ("owner", "other_company", "other_clerk"):
        with pytest.raises(PermissionRefused):
            care.asset_save(
                actor=desk.users[who], compound=desk.shuixia, kind=AssetKind.LIFT, name="A梯"
            )
    assert not Asset.objects.exists()


def test_an_incident_gathers_the_buildings_lift_reports_and_tells_its_owners(client, desk):
    from gongzhi.notifications.models import Notification

    lift = care.asset_save(
        actor=desk.users["provider"],
        compound=desk.shuixia,
        kind=AssetKind.LIFT,
        name="A梯",
        building=desk.building,
    )
    before = desk.report(
        category="lift-fault",
        asset=lift,
        place="lift",
        building=desk.building,
        description="电梯停了",
    )
    incident = care.incident_open(
        compound=desk.shuixia, building=desk.building, kind="lift_out", title="3号楼 A梯停运",
        actor=desk.users["provider"], expected_end=T0 + 2 * D, now=T0,
    )  # fmt: skip
    after = desk.report(
        category="lift-fault",
        asset=lift,
        place="lift",
        building=desk.building,
        description="电梯坏了",
        now=T0 + H,
    )
    before.refresh_from_db()
    assert before.incident == incident and after.incident == incident
    told = Notification.objects.filter(kind="service", title__contains="3号楼 A梯停运")
    assert {n.user.username for n in told} >= {"owner", "neighbour"}
    text = as_(client, desk.users["neighbour"]).get("/requests/").content.decode()
    assert "3号楼 A梯停运" in text  # on the owner's page while it lasts
    care.incident_end(incident=incident, actor=desk.users["provider"], note="已修复", now=T0 + D)
    assert "3号楼 A梯停运" not in client.get("/requests/").content.decode()
    assert Status.SUBMITTED == after.status
