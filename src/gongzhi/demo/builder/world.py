"""The demo's world: the sub-district and residents' area, its four compounds and
their roll, the companies and organisations, and the personas who sign in."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

from gongzhi.accounts.models import Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.core.identifiers import credit_code_check_character, id_number_check_character
from gongzhi.registry.models import (
    Compound,
    ManagementAreaCompound,
    Neighbourhood,
    OrganisationKind,
    Owner,
    OwnersCommittee,
    PropertyCompany,
)
from gongzhi.registry.roll import OwnerEntry, RollRow
from gongzhi.registry.services import (
    MemberSpec,
    management_area_establish,
    owners_committee_create,
)
from gongzhi.selection.models import PoolEntryStatus

from ..business import BUSINESS_PERSONAS
from ..names import DEMO_PASSWORD

SEED = 20261127


SUB_DISTRICT = "仙霞新村街道"


NEIGHBOURHOOD = "水霞居民区"


DEVELOPER_HONGXIA = "DEV-HX"


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501


GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强文斌海燕红梅德明凤英金凤淑珍桂兰国庆小红雪梅永庆家豪思远雨涵子轩浩然佳怡欣怡宇航晨曦"  # noqa: E501


@dataclass(frozen=True)
class CompoundPlan:
    name: str
    address: str
    latitude: str
    longitude: str
    buildings: int
    floors: int
    per_floor: int
    area_range: tuple[int, int]
    company: str | None
    established: dt.date


# Coordinates are approximate and invented for the demo.
COMPOUNDS = [
    CompoundPlan(
        "水霞小区",
        "水城路 (虚构门牌)",
        "31.206300",
        "121.393800",
        28,
        6,
        4,
        (42, 76),
        "仙霞物业",
        dt.date(1996, 5, 1),
    ),  # noqa: E501
    CompoundPlan(
        "茅台雅苑",
        "茅台路 (虚构门牌)",
        "31.209400",
        "121.389600",
        8,
        6,
        6,
        (78, 132),
        "纺原物业",
        dt.date(2003, 9, 1),
    ),  # noqa: E501
    CompoundPlan(
        "安虹小区",
        "安顺路 (虚构门牌)",
        "31.204100",
        "121.386900",
        20,
        6,
        4,
        (45, 80),
        "新程物业",
        dt.date(1995, 3, 1),
    ),  # noqa: E501
    CompoundPlan(
        "虹霞高层",
        "虹古路 (虚构门牌)",
        "31.203000",
        "121.391500",
        2,
        24,
        8,
        (68, 112),
        "大楼物业",
        dt.date(2001, 12, 1),
    ),  # noqa: E501
]


@dataclass(frozen=True)
class CompanyPlan:
    name: str
    address: str
    latitude: str
    longitude: str
    in_pool: bool = False
    pool_status: str = PoolEntryStatus.ACTIVE
    pool_reason: str = ""
    expired: bool = False


# Names of the reference case; addresses, coordinates and codes are invented.
COMPANIES = [
    CompanyPlan("纺原物业", "水城路 (虚构门牌)", "31.207600", "121.395100", in_pool=True),
    CompanyPlan("大楼物业", "虹古路 (虚构门牌)", "31.202200", "121.392900"),
    CompanyPlan("新程物业", "仙霞路 (虚构门牌)", "31.210800", "121.384200"),
    CompanyPlan("仙霞物业", "茅台路 (虚构门牌)", "31.208100", "121.387700"),
    CompanyPlan("虹桥物业 (虚构)", "虹桥路 (虚构门牌)", "31.196900", "121.400300", in_pool=True),
    CompanyPlan("天山物业 (虚构)", "天山路 (虚构门牌)", "31.213500", "121.402400", in_pool=True),
    CompanyPlan(
        "古北物业 (虚构)",
        "古北路 (虚构门牌)",
        "31.199800",
        "121.404800",
        in_pool=True,
        pool_status=PoolEntryStatus.SUSPENDED,
        pool_reason="季度考核不合格 (虚构)",
    ),
    CompanyPlan(
        "北新泾物业 (虚构)",
        "北新泾 (虚构门牌)",
        "31.217300",
        "121.372100",
        in_pool=True,
        expired=True,
    ),  # noqa: E501
]


ORGANISATIONS = [
    (OrganisationKind.SUB_DISTRICT_OFFICE, "仙霞新村街道办事处", False),
    (OrganisationKind.PARTY_BRANCH, "水霞居民区党总支", True),
    (OrganisationKind.RESIDENTS_COMMITTEE, "水霞居民区居民委员会", True),
    (OrganisationKind.CITY_OPERATIONS_CENTRE, "仙霞新村街道城市运行管理中心", False),
    (OrganisationKind.INDUSTRY_ASSOCIATION, "长宁区物业管理行业协会", False),
    (OrganisationKind.HOUSING_AUTHORITY, "长宁区房屋管理局", False),
]


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    role: str
    sees: str


PERSONAS = [
    Persona("admin", "系统管理员", "superuser", "everything, and the back office /admin/"),
    Persona(
        "official", "街道 王科长", Role.SUB_DISTRICT_OFFICIAL, "all of 仙霞新村街道; back office"
    ),  # noqa: E501
    Persona("clerk", "居委会 李干事", Role.CLERK, "水霞居民区: all four compounds, roll import"),
    Persona("committee", "水霞小区业委会 周委员", Role.COMMITTEE_MEMBER, "水霞小区 only"),
    Persona("owner", "业主", Role.OWNER, "own two units in 水霞小区"),
    Persona("owner2", "业主", Role.OWNER, "a unit in 茅台雅苑; lodged the demo objection"),
    Persona("provider", "纺原物业 项目经理", Role.COMPANY_STAFF, "compounds 纺原物业 serves"),
    Persona("expert", "行业协会 评审专家", Role.EXPERT, "the evaluation panel they sit on"),
    Persona(
        "economic", "街道经发中心 陈主任", Role.ECONOMIC_OFFICER, "partners, agreements, pipeline"
    ),
    Persona(
        "foundation", "仙霞社区基金会 刘会计", Role.FOUNDATION_CLERK, "the foundation's ledger"
    ),
    Persona("merchant", "向野制果 店主", Role.MERCHANT, "their own shop and its certificate"),
    Persona(
        "district", "区认证办 赵老师", Role.DISTRICT_OFFICER, "the featured-merchant certification"
    ),
]


class DemoGenerator:
    """Builds the invented roll deterministically."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.next_owner = 1
        self.people: dict[str, OwnerEntry] = {}

    def owner_id(self) -> str:
        identifier = f"O-{self.next_owner:06d}"
        self.next_owner += 1
        return identifier

    def person(self) -> OwnerEntry:
        identifier = self.owner_id()
        name = (
            self.rng.choice(SURNAMES)
            + self.rng.choice(GIVEN)
            + (self.rng.choice(GIVEN) if self.rng.random() < 0.4 else "")
        )
        phone = f"13800{self.rng.randrange(0, 999999):06d}"
        id_number = ""
        if self.rng.random() < 0.3:
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 18000))
            first17 = f"310105{birth:%Y%m%d}{self.rng.randrange(0, 999):03d}"
            id_number = first17 + id_number_check_character(first17)
        entry = OwnerEntry(identifier=identifier, name=name, phone=phone, id_number=id_number)
        self.people[identifier] = entry
        return entry

    def area(self, low: int, high: int, position: int) -> Decimal:
        # Units in the same position of a floor share a layout: similar areas.
        base = low + (high - low) * ((position * 37) % 100) / 100
        jitter = self.rng.randrange(-150, 150) / 100
        return Decimal(f"{base + jitter:.2f}")

    def roll(self) -> list[RollRow]:
        rows: list[RollRow] = []
        line = 2
        multi_owners: list[tuple[OwnerEntry, ...]] = []
        for plan in COMPOUNDS:
            for b in range(1, plan.buildings + 1):
                building = f"{b}号楼"
                for floor in range(1, plan.floors + 1):
                    for position in range(1, plan.per_floor + 1):
                        number = f"{b}-{floor}{position:02d}"
                        area = self.area(*plan.area_range, position)
                        status, owners, source = "sold", self._owners(multi_owners), "register"
                        roll_draw = self.rng.random()
                        if roll_draw < 0.03:
                            source = "survey"
                        if plan.name == "茅台雅苑" and b == 8 and floor >= 5:
                            # twelve unsold flats whose developer the roll does not name
                            status, owners, source = "unsold", (), "contract"
                        if plan.name == "虹霞高层" and b == 2 and floor == 24:
                            # undelivered flats named to the developer
                            status, source = "undelivered", "contract"
                            owners = (self._developer(),)
                        rows.append(
                            RollRow(
                                row=line,
                                compound=plan.name,
                                building=building,
                                unit=number,
                                area=area,
                                area_source=source,
                                status=status,
                                owners=owners,
                            )
                        )
                        line += 1
            if plan.name == "茅台雅苑":
                for shop in range(1, 7):
                    rows.append(
                        RollRow(
                            row=line,
                            compound=plan.name,
                            building="商铺",
                            unit=f"S-{shop:02d}",
                            area=Decimal(f"{self.rng.randrange(4000, 9000) / 100:.2f}"),
                            use="commercial",
                            owners=self._owners(multi_owners),
                        )
                    )
                    line += 1
            if plan.name == "虹霞高层":
                for space in range(1, 61):
                    if space <= 40:
                        status, owners = "unsold", (self._developer(),)
                    else:
                        status, owners = "sold", self._owners(multi_owners, reuse=0.8)
                    rows.append(
                        RollRow(
                            row=line,
                            compound=plan.name,
                            building="地下车库",
                            unit=f"P-{space:03d}",
                            area=Decimal(f"{self.rng.randrange(1200, 1500) / 100:.2f}"),
                            use="parking",
                            status=status,
                            owners=owners,
                        )
                    )
                    line += 1
        return rows

    def _developer(self) -> OwnerEntry:
        return OwnerEntry(
            identifier=DEVELOPER_HONGXIA, name="上海虹霞置业有限公司 (虚构)", kind="organisation"
        )

    def _owners(
        self, multi: list[tuple[OwnerEntry, ...]], reuse: float = 0.03
    ) -> tuple[OwnerEntry, ...]:
        """Mostly a new owner or couple; sometimes an owner set that already owns a unit."""
        if multi and self.rng.random() < reuse:
            return self.rng.choice(multi)
        draw = self.rng.random()
        count = 1 if draw < 0.70 else (2 if draw < 0.98 else 3)
        owners = tuple(self.person() for _ in range(count))
        multi.append(owners)
        return owners


def demo_credit_code(rng: random.Random) -> str:
    """An invented unified social credit code with a valid check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "913101055" + "".join(rng.choice(alphabet) for _ in range(8))
    return first17 + credit_code_check_character(first17)


def compound_setup(
    neighbourhood: Neighbourhood,
    plan: CompoundPlan,
    companies: dict[str, PropertyCompany],
    rng: random.Random,
) -> None:
    """Address, provider, management area and committee of one demo compound."""
    compound = Compound.objects.get(neighbourhood=neighbourhood, name=plan.name)
    compound.address = plan.address
    compound.latitude = Decimal(plan.latitude)
    compound.longitude = Decimal(plan.longitude)
    if compound.property_company is None:
        # The provider before the story; custody and contracts change it later.
        compound.property_company = companies[plan.company] if plan.company else None
    if plan.name == "虹霞高层":
        compound.developer_name = "上海虹霞置业有限公司 (虚构)"
    compound.save()
    membership = ManagementAreaCompound.objects.current().filter(compound=compound).first()
    if membership is not None:
        area = membership.area
    else:
        area = management_area_establish(
            name=f"{plan.name}物业管理区域", compounds=[compound], on=plan.established, actor=None
        )
    if not OwnersCommittee.objects.filter(management_area=area, status="active").exists():
        owners_committee_create(
            management_area=area,
            name=f"{plan.name}业主委员会",
            term_start=dt.date(2023, 6, 1),
            term_end=dt.date(2028, 5, 31),
            members=_committee_members(compound, rng),
            actor=None,
        )


def _committee_members(compound: Compound, rng: random.Random) -> list[MemberSpec]:
    owners = list(
        Owner.objects.filter(units__compound=compound, kind="person").distinct().order_by("pk")[:60]
    )
    chosen = rng.sample(owners, 7)
    roles = ["chair", "vice_chair", "member", "member", "member", "member", "member"]
    return [
        MemberSpec(name=o.name, role=role, phone=o.phone, owner=o)
        for o, role in zip(chosen, roles, strict=True)
    ]


# Invented mobile numbers of the personas (sign in with them, or with an SMS code
# from var/outbox/sms.jsonl).
PERSONA_PHONES = {
    "official": "19900000001",
    "clerk": "19900000002",
    "committee": "19900000003",
    "owner": "19900000004",
    "owner2": "19900000005",
    "provider": "19900000006",
    "expert": "19900000007",
    **{username: phone for username, (_name, phone) in BUSINESS_PERSONAS.items()},
}


def demo_user(username: str, display_name: str, *, staff: bool = False, superuser: bool = False):
    """The demo user of that name, created or brought back to its demo state."""
    user, created = User.objects.get_or_create(username=username)
    user.display_name = display_name
    user.phone = PERSONA_PHONES.get(username, user.phone)
    user.is_staff = staff or superuser
    user.is_superuser = superuser
    user.is_demo = True
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed_personas(sub_district, neighbourhood, companies, organisations) -> None:
    """The personas of the README, each with the role they demonstrate."""
    demo_user("admin", "系统管理员", superuser=True)

    official = demo_user("official", "街道 王科长", staff=True)
    group, _ = Group.objects.get_or_create(name="街道工作人员")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["registry", "selection"], codename__startswith="view_"
        )
    )
    official.groups.add(group)
    membership_grant(
        user=official, role=Role.SUB_DISTRICT_OFFICIAL, actor=None, sub_district=sub_district
    )

    clerk = demo_user("clerk", "居委会 李干事")
    membership_grant(
        user=clerk,
        role=Role.CLERK,
        actor=None,
        neighbourhood=neighbourhood,
        organisation=organisations["水霞居民区居民委员会"],
    )

    shuixia = Compound.objects.get(neighbourhood=neighbourhood, name="水霞小区")
    committee_user = demo_user("committee", "水霞小区业委会 周委员")
    membership_grant(user=committee_user, role=Role.COMMITTEE_MEMBER, actor=None, compound=shuixia)

    # The owner persona: the first single owner in 水霞小区 who holds two units alone.
    owner = _owner_with_two_units(shuixia)
    owner_user = demo_user("owner", f"业主 {owner.name}")
    membership_grant(user=owner_user, role=Role.OWNER, actor=None, owner=owner)

    maotai = Compound.objects.get(neighbourhood=neighbourhood, name="茅台雅苑")
    maotai_owner = (
        Owner.objects.filter(units__compound=maotai, kind="person", units__status="sold")
        .order_by("identifier")
        .first()
    )
    if maotai_owner is None:
        raise RuntimeError("the demo roll has no owner in 茅台雅苑")
    owner2 = demo_user("owner2", f"业主 {maotai_owner.name}")
    membership_grant(user=owner2, role=Role.OWNER, actor=None, owner=maotai_owner)

    provider = demo_user("provider", "纺原物业 项目经理")
    membership_grant(
        user=provider, role=Role.COMPANY_STAFF, actor=None, company=companies["纺原物业"]
    )

    expert = demo_user("expert", "行业协会 评审专家")
    membership_grant(
        user=expert,
        role=Role.EXPERT,
        actor=None,
        organisation=organisations["长宁区物业管理行业协会"],
    )


def _owner_with_two_units(compound: Compound) -> Owner:
    from django.db.models import Count

    candidates = (
        Owner.objects.filter(units__compound=compound, kind="person")
        .annotate(n=Count("units"))
        .filter(n__gte=2)
        .order_by("identifier")
    )
    for owner in candidates:
        if all(unit.ownerships.count() == 1 for unit in owner.units.all()):
            return owner
    raise RuntimeError("the demo roll has no single owner with two units in 水霞小区")
