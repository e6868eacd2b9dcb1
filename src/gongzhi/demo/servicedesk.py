"""The demo's service desk: the utilities and contractors, the buildings' map points,
the lifts of 虹霞高层 (with lift monitoring, 云梯, in three of four), the e-bike
charging points of the four compounds, and seven months of residents' requests since
纺原物业 took over — most fixed, some not, with honest reasons — plus the cases a
visitor should find: one waiting for the owner's confirmation, a lift outage with
its bundled reports, a deferral for the maintenance fund, a request transferred to
the water company, one returned, a duplicate, a reopened one, and an overdue one
carried onto the next four-party meeting.

Everything goes through the desk's services with the time of each step, as if the
people had done it then. Names, numbers and texts are INVENTED. Seeded once: a
neighbourhood that has requests already is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.models import Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.core.sorting import natural_key
from gongzhi.notifications.models import Notification
from gongzhi.registry.models import (
    Building,
    Compound,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Owner,
)
from gongzhi.servicedesk.models import (
    AssetKind,
    Channel,
    IncidentKind,
    Outcome,
    PartyKind,
    PhotoStage,
    Place,
    ServiceRequest,
    Status,
)
from gongzhi.servicedesk.services import care, steps
from gongzhi.servicedesk.services.requests import create_request, photos_add, request_me_too
from gongzhi.servicedesk.services.routing import categories_ensure

from .images import tiny_png

SEED = 20261202

UTILITIES = [
    (OrganisationKind.WATER_COMPANY, "长宁自来水公司（虚构）"),
    (OrganisationKind.LIFT_CONTRACTOR, "申虹电梯维保有限公司（虚构）"),
    (OrganisationKind.CHARGING_OPERATOR, "仙霞电瓶车充电运营公司（虚构）"),
]

# compound -> buildings (by number) with a charging point, and its sockets
CHARGERS = {
    "水霞小区": [(2, 20), (9, 20), (15, 16), (22, 20)],
    "茅台雅苑": [(3, 24)],
    "安虹小区": [(4, 16), (11, 16), (17, 12)],
    "虹霞高层": [(1, 30)],
}

# what residents report, per category: (description, hours to fix, outcome weights)
TEXTS = {
    "leak": ["卫生间顶部渗水", "外墙渗水，卧室墙面发霉", "阳台雨水管漏水", "楼上地漏渗到楼下"],
    "lighting": ["楼道灯不亮", "单元门口路灯坏了", "地下车库照明一半不亮"],
    "sanitation": ["垃圾厢房满溢未清运", "楼道堆放杂物", "绿地有狗粪无人清理"],
    "greening": ["树枝挡住窗户", "草坪枯黄需补种", "大树倾斜有安全隐患"],
    "security": ["单元门禁坏了关不上", "围墙有缺口", "消防通道被占"],
    "e-bike-charging": ["充电桩插座没电", "充电桩扫码无反应", "希望增加充电插座"],
}
HOURS = {
    "leak": (20, 70),
    "lighting": (3, 30),
    "sanitation": (2, 20),
    "greening": (24, 90),
    "security": (4, 48),
    "e-bike-charging": (6, 60),
}
WONT_FIX = {
    "greening": "该树木属区绿化部门管养，已报区绿化所，物业无权修剪（演示）",
    "e-bike-charging": "本期充电桩数量已按公示方案确定，增设需业委会另行表决（演示）",
    "security": "围墙外侧属市政道路，已转告街道城运中心（演示）",
}


def _photo(caption: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{caption}.png", tiny_png(caption), content_type="image/png")


def seed_servicedesk(neighbourhood: Neighbourhood) -> None:
    if ServiceRequest.objects.filter(compound__neighbourhood=neighbourhood).exists():
        return
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    sub_district = neighbourhood.sub_district
    organisations = {
        kind: Organisation.objects.update_or_create(
            kind=kind, name=name, defaults={"sub_district": sub_district}
        )[0]
        for kind, name in UTILITIES
    }
    categories = {c.code: c for c in categories_ensure(sub_district)}
    water = categories["water-supply"]
    water.organisation = organisations[OrganisationKind.WATER_COMPANY]
    water.save(update_fields=["organisation"])
    compounds = {c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood)}
    _map_points(compounds.values())
    clerk = User.objects.get(username="clerk")
    provider = User.objects.get(username="provider")
    _assets(compounds, organisations, clerk, provider, now)
    residents = _residents(compounds, rng)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        _history(compounds, categories, residents, clerk, provider, rng, now)
    # the months of history were read long ago: only this week's news is unread
    Notification.objects.filter(pk__gt=before, kind="service").update(read_at=now)
    _showcase(compounds, categories, residents, organisations, clerk, provider, now)
    care.close_quiet(now)
    # an overdue request: escalated two days ago, carried onto the next meeting now
    care.escalate(now - dt.timedelta(days=2))
    care.escalate(now)


def _map_points(compounds) -> None:
    """Invented map points: a compound's residential buildings in rows around its
    centre, about 40 m apart."""
    for compound in compounds:
        homes = sorted(
            Building.objects.filter(compound=compound, units__use="residential").distinct(),
            key=lambda b: natural_key(b.name),
        )
        per_row = 6 if len(homes) > 8 else 2
        for index, building in enumerate(homes):
            row, column = divmod(index, per_row)
            building.latitude = compound.latitude + Decimal("0.00036") * (
                row - len(homes) // per_row // 2
            )
            building.longitude = compound.longitude + Decimal("0.00042") * (column - per_row // 2)
            building.save(update_fields=["latitude", "longitude"])


def _building(compound: Compound, number: int) -> Building:
    return Building.objects.get(compound=compound, name=f"{number}号楼")


def _assets(compounds, organisations, clerk, provider, now) -> None:
    hongxia = compounds["虹霞高层"]
    lifts = organisations[OrganisationKind.LIFT_CONTRACTOR]
    for number in (1, 2):
        for car in ("A", "B"):
            monitored = not (number == 2 and car == "B")
            care.asset_save(
                actor=provider,
                compound=hongxia,
                kind=AssetKind.LIFT,
                name=f"{number}号楼 {car}梯",
                building=_building(hongxia, number),
                location=f"{number}号楼大堂",
                organisation=lifts,
                monitoring_installed_on=(
                    timezone.localdate(now) - dt.timedelta(days=150 + number * 10)
                    if monitored
                    else None
                ),
            )
    chargers = organisations[OrganisationKind.CHARGING_OPERATOR]
    for name, places in CHARGERS.items():
        compound = compounds[name]
        for number, sockets in places:
            building = _building(compound, number)
            care.asset_save(
                actor=clerk,
                compound=compound,
                kind=AssetKind.CHARGER,
                name=f"{number}号楼充电棚",
                building=building,
                location=f"{number}号楼东侧",
                organisation=chargers,
                sockets=sockets,
                latitude=building.latitude,
                longitude=building.longitude,
            )


def _residents(compounds, rng: random.Random) -> dict[str, list[User]]:
    """Two signed-up owners per compound (without passwords: they sign in by SMS code)
    who report in the demo; the owner personas report too."""
    residents: dict[str, list[User]] = {}
    for position, (name, compound) in enumerate(sorted(compounds.items())):
        owners = list(
            Owner.objects.filter(units__compound=compound, kind="person", units__status="sold")
            .distinct()
            .order_by("identifier")[20:60]
        )
        people = []
        for index, owner in enumerate(rng.sample(owners, 2)):
            user, created = User.objects.get_or_create(username=f"resident{position}{index}")
            if created:
                user.set_unusable_password()
            user.display_name = f"业主 {owner.name}"
            user.is_demo = True
            user.save()
            membership_grant(user=user, role=Role.OWNER, actor=None, owner=owner)
            people.append(user)
        residents[name] = people
    residents["水霞小区"].insert(0, User.objects.get(username="owner"))
    residents["茅台雅苑"].insert(0, User.objects.get(username="owner2"))
    return residents


def _unit_of(user: User, compound: Compound):
    from gongzhi.registry.models import Unit

    return (
        Unit.objects.filter(compound=compound, owners__memberships__user=user)
        .order_by("pk")
        .first()
    )


def _report(
    compound, category, text, reporter, when, *, unit=True, channel=Channel.ONLINE, **extra
):
    home = _unit_of(reporter, compound) if unit and reporter is not None else None
    return create_request(
        compound=compound,
        category=category,
        place=extra.pop("place", Place.UNIT if home else Place.BUILDING),
        description=text,
        building=extra.pop("building", None) or (home.building if home else None),
        unit=home,
        place_note=extra.pop("place_note", ""),
        latitude=None,
        longitude=None,
        emergency=extra.pop("emergency", False),
        warranty=False,
        paid=False,
        asset=extra.pop("asset", None),
        photos=extra.pop("photos", ()),
        channel=channel,
        reporter=reporter if channel == Channel.ONLINE else None,
        recorded_by=extra.pop("recorded_by", None),
        reporter_name=extra.pop("reporter_name", ""),
        reporter_phone=extra.pop("reporter_phone", ""),
        actor=reporter if channel == Channel.ONLINE else extra.get("actor"),
        now=when,
    )


def _work(request, provider, when, hours, *, outcome=Outcome.FIXED, reason="已修复（演示）"):
    """The company takes a request from acceptance to resolution over ``hours``."""
    request = steps.request_accept(request=request, actor=provider, now=when)
    request = steps.request_assign(
        request=request, executor=provider, actor=provider, now=when + dt.timedelta(minutes=20)
    )
    request = steps.request_start(request=request, actor=provider, now=when + dt.timedelta(hours=1))
    return steps.request_resolve(
        request=request,
        outcome=outcome,
        reason=reason,
        actor=provider,
        now=when + dt.timedelta(hours=hours),
    )


def _history(compounds, categories, residents, clerk, provider, rng, now) -> None:
    """About a hundred requests over the seven months since the company took over."""
    names = sorted(compounds)
    # requests come in proportion to the households of each compound
    weights = [compounds[n].units.filter(use="residential").count() for n in names]
    codes = sorted(TEXTS)
    for days_ago in range(200, 4, -1):
        if rng.random() < 0.45:
            continue
        name = rng.choices(names, weights)[0]
        compound = compounds[name]
        code = rng.choice(codes)
        reporter = rng.choice(residents[name])
        when = (now - dt.timedelta(days=days_ago)).replace(hour=rng.randrange(7, 21), minute=0)
        request = _report(compound, categories[code], rng.choice(TEXTS[code]), reporter, when)
        low, high = HOURS[code]
        answer = when + dt.timedelta(hours=rng.uniform(0.3, 8))
        draw = rng.random()
        if code in WONT_FIX and draw < 0.12:
            request = _work(
                request,
                provider,
                answer,
                rng.uniform(2, 12),
                outcome=Outcome.WONT_FIX,
                reason=WONT_FIX[code],
            )
        elif draw < 0.2:
            request = _work(
                request,
                provider,
                answer,
                rng.uniform(low, high),
                outcome=Outcome.PARTLY_FIXED,
                reason="已临时处理，彻底修复需更换部件，已报业委会（演示）",
            )
        else:
            request = _work(request, provider, answer, rng.uniform(low, high))
        if rng.random() < 0.7 and request.reporter_id:
            fixed = request.outcome == Outcome.FIXED
            said = request.resolved_at + dt.timedelta(hours=rng.uniform(2, 40))
            care.feedback_give(
                request=request,
                actor=request.reporter,
                fixed=fixed or request.outcome == Outcome.WONT_FIX,
                overall=rng.choice([5, 5, 4, 4, 3]) if fixed else rng.choice([3, 2, 2]),
                speed=rng.choice([5, 4, 4, 3]),
                attitude=rng.choice([5, 5, 4]),
                comment="" if fixed else "解释清楚了，但问题还在（演示）",
                now=said,
            )
            request.refresh_from_db()
            if request.status != Status.CLOSED:  # reopened: the company comes back
                back = said + dt.timedelta(hours=rng.uniform(4, 30))
                request = steps.request_start(request=request, actor=provider, now=back)
                request = steps.request_resolve(
                    request=request,
                    outcome=Outcome.FIXED,
                    reason="更换了损坏部件，已彻底修复（演示）",
                    actor=provider,
                    now=back + dt.timedelta(hours=rng.uniform(3, 48)),
                )
        if rng.random() < 0.2:
            care.check_record(
                request=request,
                kind="follow_up",
                satisfied=rng.random() < 0.85,
                actor=clerk,
                method="call",
                note="电话回访（演示）",
                now=request.resolved_at + dt.timedelta(days=2),
            )


def _showcase(compounds, categories, residents, organisations, clerk, provider, now) -> None:
    def ago(days: float = 0, hours: float = 0) -> dt.datetime:
        return now - dt.timedelta(days=days, hours=hours)

    shuixia, maotai = compounds["水霞小区"], compounds["茅台雅苑"]
    anhong, hongxia = compounds["安虹小区"], compounds["虹霞高层"]
    owner, owner2 = residents["水霞小区"][0], residents["茅台雅苑"][0]

    # The owner: a leak fixed yesterday, waiting for their confirmation and rating …
    leak = _report(
        shuixia,
        categories["leak"],
        "卫生间顶部渗水，已经滴到地面（演示）",
        owner,
        ago(3, 5),
        photos=[_photo("渗水照片")],
    )
    leak = _work(
        leak, provider, ago(3, 4), 50, reason="楼上卫生间防水层破损，已重做防水并修补顶面（演示）"
    )
    photos_add(request=leak, stage=PhotoStage.AFTER, photos=[_photo("修复后")], actor=provider)
    # … and a lighting report this morning, not yet answered.
    _report(shuixia, categories["lighting"], "3 楼楼道灯不亮（演示）", owner, ago(0, 3), unit=False)

    # 虹霞高层: 1号楼 A梯 is out; the reports of the building join the incident.
    lift = hongxia.assets.get(name="1号楼 A梯")
    care.incident_open(
        compound=hongxia,
        kind=IncidentKind.LIFT_OUT,
        title="1号楼 A梯停运维修",
        actor=provider,
        building=_building(hongxia, 1),
        description="曳引机故障，维保单位已到场，B梯正常运行（演示）",
        expected_end=now + dt.timedelta(days=1),
        now=ago(0, 20),
    )
    first = _report(
        hongxia,
        categories["lift-fault"],
        "A梯停在 12 楼不动（演示）",
        residents["虹霞高层"][0],
        ago(0, 21),
        place=Place.LIFT,
        asset=lift,
        unit=False,
        building=_building(hongxia, 1),
    )
    steps.request_accept(request=first, actor=provider, now=ago(0, 20))
    request_me_too(request=first, actor=residents["虹霞高层"][1], now=ago(0, 19))
    _report(
        hongxia,
        categories["lift-fault"],
        "电梯坏了，家里有老人下不了楼（电话反映）",
        None,
        ago(0, 18),
        channel=Channel.PHONE,
        place=Place.LIFT,
        asset=lift,
        unit=False,
        building=_building(hongxia, 1),
        recorded_by=clerk,
        reporter_name="陈阿姨（虚构）",
        reporter_phone="13900001111",
        actor=clerk,
    )
    # the lift monitoring of 2号楼 B梯 is missing: a request for it, under way
    monitoring = _report(
        hongxia,
        categories["lift-monitoring"],
        "2号楼 B梯没有云梯监控，按合同应当安装（演示）",
        residents["虹霞高层"][1],
        ago(6),
        place=Place.LIFT,
        asset=hongxia.assets.get(name="2号楼 B梯"),
        unit=False,
        building=_building(hongxia, 2),
    )
    monitoring = steps.request_accept(request=monitoring, actor=provider, now=ago(5, 20))
    steps.request_defer(
        request=monitoring,
        until=now + dt.timedelta(days=10),
        reason="监控设备已订货，厂家到货后安装（演示）",
        actor=provider,
        now=ago(5, 18),
    )

    # 安虹小区 3号楼: ageing pipes, the owners' committee's (maintenance fund) — deferred
    pipes = _report(
        anhong,
        categories["ageing-pipe"],
        "3号楼铸铁下水管锈蚀，多户返味渗漏（演示）",
        residents["安虹小区"][0],
        ago(30),
        building=_building(anhong, 3),
        unit=False,
        place=Place.BUILDING,
    )
    committee = User.objects.filter(
        memberships__role=Role.COMMITTEE_MEMBER, memberships__compound=anhong
    ).first()
    actor = committee or clerk
    if pipes.party == PartyKind.OWNERS_COMMITTEE and committee is None:
        steps.request_transfer(
            request=pipes,
            party=PartyKind.RESIDENTS_COMMITTEE,
            reason="业委会尚无平台账号，由居委会代为跟进（演示）",
            actor=clerk,
            now=ago(29),
        )
        actor = clerk
    pipes = steps.request_accept(request=pipes, actor=actor, now=ago(29))
    steps.request_defer(
        request=pipes,
        until=now + dt.timedelta(days=25),
        reason="更换需动用专项维修资金，待业主大会表决（演示）",
        actor=actor,
        now=ago(28),
    )

    # 茅台雅苑: low water pressure, transferred by the company to the water company
    pressure = _report(
        maotai,
        categories["leak"],
        "早晚高峰水压很低，楼上几乎没水（演示）",
        residents["茅台雅苑"][1],
        ago(4),
        unit=False,
    )
    steps.request_transfer(
        request=pressure,
        party=PartyKind.ORGANISATION,
        organisation=organisations[OrganisationKind.WATER_COMPANY],
        reason="小区二次供水泵房由自来水公司接管，非物业维修范围（演示）",
        actor=provider,
        now=ago(3, 20),
    )
    # a request the company returns to the residents' committee: not its to handle
    returned = _report(
        shuixia,
        categories["sanitation"],
        "12号楼一楼住户在绿地上搭建棚子（演示）",
        residents["水霞小区"][1],
        ago(2),
        unit=False,
    )
    steps.request_return(
        request=returned,
        reason="违法搭建由城管执法处理，请居委会协调（演示）",
        actor=provider,
        now=ago(1, 22),
    )
    # a duplicate: the same broken gate reported twice
    gate = _report(
        maotai, categories["security"], "小区东门道闸抬不起来（演示）", owner2, ago(1), unit=False
    )
    again = _report(
        maotai,
        categories["security"],
        "东门道闸坏了（演示）",
        residents["茅台雅苑"][2],
        ago(0, 20),
        unit=False,
    )
    steps.request_accept(request=gate, actor=provider, now=ago(0, 22))
    steps.request_resolve(
        request=again,
        outcome=Outcome.DUPLICATE,
        reason="与东门道闸的报修为同一问题，已合并跟进（演示）",
        duplicate_of=gate,
        actor=provider,
        now=ago(0, 19),
    )
    # reopened: the garage floods again after rain
    garage = _report(
        maotai,
        categories["sanitation"],
        "地下车库入口积水（演示）",
        owner2,
        ago(9),
        unit=False,
        place=Place.GARAGE,
    )
    garage = _work(garage, provider, ago(9), 6, reason="已疏通集水井（演示）")
    steps.request_reopen(
        request=garage, actor=owner2, reason="昨晚下雨后又积水了（演示）", now=ago(2)
    )
    steps.request_start(request=garage, actor=provider, now=ago(1, 20))

    # overdue: sanitation in 安虹小区 accepted five days ago and never resolved
    overdue = _report(
        anhong,
        categories["sanitation"],
        "5号楼后面垃圾堆积一周无人清运（演示）",
        residents["安虹小区"][1],
        ago(6),
        unit=False,
    )
    steps.request_accept(request=overdue, actor=provider, now=ago(5, 20))

    # e-bike charging in 水霞小区: a building far from every charging point
    _report(
        shuixia,
        categories["e-bike-charging"],
        "27号楼附近没有充电桩，居民只能飞线充电（演示）",
        residents["水霞小区"][2],
        ago(1, 5),
        unit=False,
        building=_building(shuixia, 27),
        place=Place.BUILDING,
    )
