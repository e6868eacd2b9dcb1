"""The demo neighbourhood: the Shuixia (水霞) residents' area of Xianxia Xincun.

The compounds, companies and organisations are those of the reference case
(docs/domain.md). Everything else is INVENTED: unit counts, areas, coordinates,
owners' names, phone numbers and ID numbers. The sub-district is flagged
``is_demo`` so every page shows a banner saying so.

Deterministic (a fixed random seed) and idempotent: the roll goes through the
same import service as a clerk's file, which leaves unchanged units alone, and
everything else is looked up before it is created.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gongzhi.accounts.models import Role, User
from gongzhi.accounts.services import membership_grant
from gongzhi.core.identifiers import credit_code_check_character, id_number_check_character
from gongzhi.registry.models import (
    Compound,
    ManagementAreaCompound,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Owner,
    OwnersCommittee,
    PropertyCompany,
    SubDistrict,
)
from gongzhi.registry.roll import OwnerEntry, RollRow
from gongzhi.registry.services import (
    MemberSpec,
    management_area_establish,
    owners_committee_create,
    roll_import,
)
from gongzhi.selection.models import PoolEntry, PoolEntryStatus, ProviderPool

from .business import BUSINESS_PERSONAS, seed_business
from .case import seed_case, seed_notices
from .projects import seed_projects
from .servicedesk import seed_servicedesk

SEED = 20261127
DEMO_PASSWORD = "gongzhi-demo"

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


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "913101055" + "".join(rng.choice(alphabet) for _ in range(8))
    return first17 + credit_code_check_character(first17)


@transaction.atomic
def seed_demo() -> list[Persona]:
    """Create or refresh the demo neighbourhood; return the personas to print."""
    rng = random.Random(SEED + 1)
    sub_district, _ = SubDistrict.objects.update_or_create(
        name=SUB_DISTRICT, defaults={"district": "长宁区", "city": "上海市", "is_demo": True}
    )
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        sub_district=sub_district, name=NEIGHBOURHOOD
    )
    organisations = {}
    for kind, name, local in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            kind=kind,
            name=name,
            defaults={
                "sub_district": sub_district,
                "neighbourhood": neighbourhood if local else None,
            },
        )

    companies = {}
    for plan in COMPANIES:
        code = _credit_code(rng)
        company = PropertyCompany.objects.filter(name=plan.name).first()
        if company is None:
            company = PropertyCompany(name=plan.name, credit_code=code)
        company.address = plan.address
        company.is_demo = True
        company.latitude = Decimal(plan.latitude)
        company.longitude = Decimal(plan.longitude)
        company.save()
        companies[plan.name] = company

    pool, _ = ProviderPool.objects.update_or_create(
        name="长宁区临时物业服务企业预选库", defaults={"district": "长宁区", "is_demo": True}
    )
    for plan in COMPANIES:
        if plan.in_pool:
            PoolEntry.objects.update_or_create(
                pool=pool,
                company=companies[plan.name],
                defaults={
                    "admitted_on": dt.date(2024, 1, 1),
                    "valid_until": dt.date(2025, 12, 31) if plan.expired else dt.date(2027, 12, 31),
                    "status": plan.pool_status,
                    "status_reason": plan.pool_reason,
                    "capacity": 3,
                },
            )

    generator = DemoGenerator()
    roll_import(rows=generator.roll(), neighbourhood=neighbourhood, actor=None, file_name="demo")

    for compound_plan in COMPOUNDS:
        _compound_setup(neighbourhood, compound_plan, companies, rng)

    _personas(sub_district, neighbourhood, companies, organisations)
    _decisions(neighbourhood)
    _paper_decision(neighbourhood)
    _selection(neighbourhood, companies)
    seed_case(neighbourhood, companies)
    _open_decision(neighbourhood)
    seed_notices(neighbourhood)
    seed_servicedesk(neighbourhood)
    seed_projects(neighbourhood)
    seed_business(sub_district)
    return PERSONAS


def _compound_setup(
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


def _user(username: str, display_name: str, *, staff: bool = False, superuser: bool = False):
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


def _personas(sub_district, neighbourhood, companies, organisations) -> None:
    _user("admin", "系统管理员", superuser=True)

    official = _user("official", "街道 王科长", staff=True)
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

    clerk = _user("clerk", "居委会 李干事")
    membership_grant(
        user=clerk,
        role=Role.CLERK,
        actor=None,
        neighbourhood=neighbourhood,
        organisation=organisations["水霞居民区居民委员会"],
    )

    shuixia = Compound.objects.get(neighbourhood=neighbourhood, name="水霞小区")
    committee_user = _user("committee", "水霞小区业委会 周委员")
    membership_grant(user=committee_user, role=Role.COMMITTEE_MEMBER, actor=None, compound=shuixia)

    # The owner persona: the first single owner in 水霞小区 who holds two units alone.
    owner = _owner_with_two_units(shuixia)
    owner_user = _user("owner", f"业主 {owner.name}")
    membership_grant(user=owner_user, role=Role.OWNER, actor=None, owner=owner)

    maotai = Compound.objects.get(neighbourhood=neighbourhood, name="茅台雅苑")
    maotai_owner = (
        Owner.objects.filter(units__compound=maotai, kind="person", units__status="sold")
        .order_by("identifier")
        .first()
    )
    if maotai_owner is None:
        raise RuntimeError("the demo roll has no owner in 茅台雅苑")
    owner2 = _user("owner2", f"业主 {maotai_owner.name}")
    membership_grant(user=owner2, role=Role.OWNER, actor=None, owner=maotai_owner)

    provider = _user("provider", "纺原物业 项目经理")
    membership_grant(
        user=provider, role=Role.COMPANY_STAFF, actor=None, company=companies["纺原物业"]
    )

    expert = _user("expert", "行业协会 评审专家")
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


# --- owners' decisions --------------------------------------------------------

REFERENCE_DECISION = "同意由纺原物业提供物业服务"
PAPER_DECISION = "茅台雅苑：同意与纺原物业签订物业服务合同"
OPEN_DECISION = "同意使用公共收益安装电瓶车充电桩"


def _cast_demo_ballots(decision, clerk, *, share: float, agree: float, when, seed: int) -> None:
    """Paper ballots for an invented share of the units, entered as one count.

    Units of the owner persona are left for the persona to vote on."""
    from gongzhi.accounts.models import Membership
    from gongzhi.voting.services import ballots_enter_paper_batch

    rng = random.Random(seed)
    persona_owners = set(
        Membership.objects.filter(role=Role.OWNER).values_list("owner_id", flat=True)
    )
    items = list(decision.items.all())
    sheets = []
    entries = (
        decision.register.filter(excluded=False).prefetch_related("owner_links").order_by("pk")
    )
    for entry in entries:
        if rng.random() >= share:
            continue
        if persona_owners & {link.owner_id for link in entry.owner_links.all()}:
            continue
        value = "agree" if rng.random() < agree else rng.choice(["disagree", "abstain"])
        sheets.append((entry, {item.pk: value for item in items}))
    ballots_enter_paper_batch(
        decision=decision, sheets=sheets, clerk=clerk, received_at=when, now=when
    )


def voted_decision(
    neighbourhood: Neighbourhood,
    *,
    title: str,
    text: str,
    question: str,
    matter: str,
    opens: dt.datetime,
    closes: dt.datetime,
    seed: int,
    rule: str | None = None,
    share: float = 0.84,
    agree: float = 0.82,
):
    """An owners' decision over the four compounds, counted per compound, voted on
    paper (invented ballots) and published with its final result; idempotent."""
    from gongzhi.voting.models import Decision
    from gongzhi.voting.services import (
        ItemSpec,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    existing = Decision.objects.filter(title=title).first()
    if existing is not None:
        return existing
    clerk = User.objects.get(username="clerk")
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=title,
        text=text,
        compounds=list(Compound.objects.filter(neighbourhood=neighbourhood).order_by("pk")),
        items=[ItemSpec(text=question, matter=matter, rule=rule)],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
        scope="each",
        excluded_uses=["parking"],
    )
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    _cast_demo_ballots(
        decision, clerk, share=share, agree=agree, when=opens + dt.timedelta(days=3), seed=seed
    )
    result = decision_close(decision=decision, actor=clerk, now=closes + dt.timedelta(hours=1))
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )
    decision.refresh_from_db()
    return decision


def _decisions(neighbourhood: Neighbourhood) -> None:
    """The reference decision, worded as the case worded it (Property Law 2007)."""
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    voted_decision(
        neighbourhood,
        title=REFERENCE_DECISION,
        text=(
            "原物业服务企业（大楼物业、新程物业、仙霞物业）已书面告知退出。经四位一体联席会议协商，"
            "街道按就近原则从长宁区临时物业服务企业预选库中选定纺原物业。现征询各小区业主意见："
            "是否同意由纺原物业提供物业服务。（演示数据，表决结果为虚构）"
        ),
        question="是否同意由纺原物业为本小区提供物业服务？",
        matter="4",
        rule="property-law-2007:ordinary",
        opens=now - dt.timedelta(days=344),
        closes=now - dt.timedelta(days=324),
        seed=SEED + 7,
        share=0.82,
        agree=0.78,
    )


def _open_decision(neighbourhood: Neighbourhood) -> None:
    """After the merger the four compounds decide together: a vote open now, counted
    over the combined area, with about 45% of the units voted."""
    from django.utils import timezone

    from gongzhi.voting.models import Decision
    from gongzhi.voting.services import ItemSpec, decision_announce, decision_create, decision_open

    if Decision.objects.filter(title=OPEN_DECISION).exists():
        return
    clerk = User.objects.get(username="clerk")
    compounds = list(Compound.objects.filter(neighbourhood=neighbourhood).order_by("pk"))
    now = timezone.now().replace(microsecond=0)
    opens = now - dt.timedelta(days=2)
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=OPEN_DECISION,
        text=(
            "经四位一体联席会议协商，拟使用公共收益在四个小区分批安装电瓶车充电桩，"
            "由纺原物业负责日常管理。四个小区已合并为一个物业管理区域，本次表决按合并后的"
            "物业管理区域统一计票。（演示数据）"
        ),
        compounds=compounds,
        items=[ItemSpec(text="是否同意使用公共收益安装电瓶车充电桩？", matter="9")],
        opens_at=opens,
        closes_at=now + dt.timedelta(days=19),
        actor=clerk,
        scope="combined",
        non_voter_clause=False,
        excluded_uses=["parking"],
    )
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    _cast_demo_ballots(
        decision,
        clerk,
        share=0.45,
        agree=0.8,
        when=opens + dt.timedelta(hours=5),
        seed=SEED + 8,
    )


def _paper_decision(neighbourhood: Neighbourhood) -> None:
    """One decision run on paper from end to end: deliveries, two sealed boxes, a
    public count with witnesses and scans, a flagged bearer, an objection answered,
    a ballot disowned on re-verification and excluded, the final result."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from gongzhi.voting import services as paper
    from gongzhi.voting.models import Decision, Evidence
    from gongzhi.voting.services import (
        ItemSpec,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    from .images import tiny_png

    if Decision.objects.filter(title=PAPER_DECISION).exists():
        return
    rng = random.Random(SEED + 9)
    clerk = User.objects.get(username="clerk")
    maotai = Compound.objects.get(neighbourhood=neighbourhood, name="茅台雅苑")
    now = timezone.now().replace(microsecond=0)
    opens, closes = now - dt.timedelta(days=280), now - dt.timedelta(days=260)
    decision = decision_create(
        neighbourhood=neighbourhood,
        title=PAPER_DECISION,
        text=(
            "纺原物业托管期间服务情况已公示。经专业评审，拟与纺原物业签订正式物业服务合同，"
            "物业费标准及服务项目见公示。本次表决采用书面征询，表决票投入居委会设置的密封票箱。"
            "（演示数据，表决结果为虚构）"
        ),
        compounds=[maotai],
        items=[ItemSpec(text="是否同意与纺原物业签订物业服务合同？", matter="4")],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
        online_voting=False,
    )
    Decision.objects.filter(pk=decision.pk).update(min_witnesses=10, proxy_cap=3)
    decision = Decision.objects.get(pk=decision.pk)
    decision = decision_announce(decision=decision, actor=clerk, now=opens - dt.timedelta(days=16))
    decision = decision_open(decision=decision, actor=clerk, now=opens)

    def evidence(kind: str, caption: str):
        upload = SimpleUploadedFile(f"{caption}.png", tiny_png(caption))
        return paper.evidence_store(decision=decision, kind=kind, upload=upload, actor=clerk)

    entries = list(
        decision.register.filter(excluded=False).prefetch_related("owners").order_by("pk")
    )
    photos: dict[str, Evidence] = {}
    for n, entry in enumerate(entries):
        when = opens + dt.timedelta(days=1, minutes=n)
        building = entry.building_name
        if building not in photos:
            photos[building] = evidence("delivery", f"{maotai.name} {building} 签收单")
        owner = entry.owners.first()
        if owner is None or n % 41 == 0:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="posted",
                delivered_at=when,
                delivered_by="居委会 李干事",
                note="无法送达，张贴于楼道公告栏",
                evidence=evidence("delivery", f"张贴 {entry.unit_number}"),
                actor=clerk,
                now=when,
            )
        elif n % 17 == 0:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="registered_mail",
                delivered_at=when,
                delivered_by="居委会 李干事",
                mail_number=f"XA{rng.randrange(10**8):08d}CN",
                actor=clerk,
                now=when,
            )
        else:
            paper.delivery_record(
                decision=decision,
                entry=entry,
                method="hand",
                delivered_at=when,
                delivered_by="楼组长",
                recipient=owner.name,
                evidence=photos[building],
                actor=clerk,
                now=when,
            )

    boxes = []
    for label, seal in (("一号票箱", "MT-2026-001"), ("二号票箱", "MT-2026-002")):
        box = paper.box_create(decision=decision, label=label, seal_number=seal, actor=clerk)
        paper.box_event(
            box=box,
            kind="sealed",
            at=opens,
            place="茅台雅苑居委会值班室",
            present=["居委会 李干事", "业委会 监票人"],
            actor=clerk,
            now=opens,
        )
        paper.box_event(
            box=box,
            kind="moved",
            at=closes,
            place="水霞居民区党群服务站",
            present=["居委会 李干事", "街道 王科长"],
            actor=clerk,
            now=closes,
        )
        boxes.append(box)

    from gongzhi.voting.services import committee_owner_ids

    on_committee = committee_owner_ids(decision)
    witnesses = [
        o
        for e in entries
        for o in e.owners.all()
        if o.kind == "person" and o.pk not in on_committee
    ][:12]
    count_at = closes + dt.timedelta(hours=1)
    session = paper.count_start(
        decision=decision,
        place="水霞居民区党群服务站",
        scrutineers=["监票人 陈某（虚构）", "监票人 林某（虚构）"],
        counters=["计票人 吴某（虚构）", "计票人 郑某（虚构）"],
        witnesses=witnesses,
        actor=clerk,
        now=count_at,
    )
    present = session.scrutineers + session.counters
    for box in boxes:
        paper.count_open_box(session=session, box=box, present=present, actor=clerk, now=count_at)
    item = decision.items.get()
    doubtful = None
    for n, entry in enumerate(entries):
        if rng.random() > 0.8:
            continue
        owner = entry.owners.first()
        if owner is None:
            continue
        value = "agree" if rng.random() < 0.8 else rng.choice(["disagree", "abstain"])
        signature, signer, bearer = "owner", owner.name, ""
        if n % 53 == 0:
            signature, signer = "unsigned", ""
        elif 40 <= n < 45:
            bearer = "刘某（虚构）"  # one person handing in five ballots: flagged
        sheet = paper.count_enter_sheet(
            session=session,
            box=boxes[n % 2],
            entry=entry,
            choices={item.pk: value},
            signature=signature,
            signer_name=signer,
            handed_in_by=bearer,
            scan=evidence("scan", f"{maotai.name} {entry.unit_number} 表决票"),
            actor=clerk,
            now=count_at,
        )
        if bearer and doubtful is None:
            doubtful = sheet
    paper.count_close(session=session, actor=clerk, now=count_at + dt.timedelta(hours=2))
    result = decision_close(decision=decision, actor=clerk, now=count_at + dt.timedelta(hours=3))

    objector = User.objects.get(username="owner2")
    objection = paper.objection_lodge(
        decision=decision,
        user=objector,
        text="有人代收代交了多户表决票，请核实这些表决票是否为业主本人意见。（演示）",
        now=result.published_at + dt.timedelta(days=1),
    )
    if doubtful is not None:
        paper.reverification_record(
            sheet=doubtful,
            method="visit",
            outcome="disowned",
            note="上门核实：业主表示未填写表决票，由他人代为投递。（演示）",
            evidence=evidence("reverification", f"复核 {doubtful.entry.unit_number}"),
            actor=clerk,
            now=result.published_at + dt.timedelta(days=2),
        )
    paper.objection_answer(
        objection=objection,
        answer="已对刘某代交的表决票逐户上门核实，其中 1 户业主否认投票，该票已排除并重新计票。",
        actor=clerk,
        now=result.published_at + dt.timedelta(days=3),
    )
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )


# --- provider selection -------------------------------------------------------

PLAN_TITLE = "水霞居民区四个小区物业服务企业选聘"
OFFICES = {  # invented coordinates
    "纺原物业": ("纺原物业水城路服务中心", "31.207600", "121.395100"),
    "虹桥物业 (虚构)": ("虹桥物业办公室", "31.196900", "121.400300"),
    "天山物业 (虚构)": ("天山物业办公室", "31.213500", "121.402400"),
    "古北物业 (虚构)": ("古北物业办公室", "31.199800", "121.404800"),
    "北新泾物业 (虚构)": ("北新泾物业办公室", "31.217300", "121.372100"),
}


def _selection(neighbourhood: Neighbourhood, companies: dict[str, PropertyCompany]) -> None:
    """Custody first, hire later: three custody requests, 纺原物业 picked as the nearest,
    a selection plan with bids, a compliant panel, its scores, the ranking and contracts."""
    from django.utils import timezone

    from gongzhi.selection import services
    from gongzhi.selection.models import CompanyOffice, SelectionPlan
    from gongzhi.voting.models import Decision

    for name, (label, lat, lon) in OFFICES.items():
        CompanyOffice.objects.get_or_create(
            company=companies[name],
            name=label,
            defaults={"latitude": Decimal(lat), "longitude": Decimal(lon)},
        )
    if SelectionPlan.objects.filter(title=PLAN_TITLE).exists():
        return
    now = timezone.now().replace(microsecond=0)
    clerk = User.objects.get(username="clerk")
    official = User.objects.get(username="official")
    committee = User.objects.get(username="committee")
    compounds = {c.name: c for c in Compound.objects.filter(neighbourhood=neighbourhood)}
    exiting = {"水霞小区": "仙霞物业", "安虹小区": "新程物业", "虹霞高层": "大楼物业"}
    for n, (name, company) in enumerate(exiting.items()):
        request = services.custody_request_create(
            compound=compounds[name],
            requested_by="committee",
            reason=f"{company}连年亏损，已书面告知退出本小区物业服务。（演示）",
            exiting_company=companies[company],
            exit_notice_date=timezone.localdate(now) - dt.timedelta(days=432 - n),
            actor=committee if name == "水霞小区" else clerk,
            now=now - dt.timedelta(days=418 - n),
        )
        starts = timezone.localdate(now) - dt.timedelta(days=410)
        services.custody_assign(
            request=request,
            company=companies["纺原物业"],
            starts_on=starts,
            months=6,
            actor=official,
            now=now - dt.timedelta(days=414 - n),
        )
        for item in request.handover.all():
            services.handover_mark(
                item=item, note="已移交（演示）", actor=official, now=now - dt.timedelta(days=410)
            )

    reference = Decision.objects.get(title=REFERENCE_DECISION)
    plan = services.plan_create(
        neighbourhood=neighbourhood,
        title=PLAN_TITLE,
        compounds=list(compounds.values()),
        decision=reference,
        bids_close_at=now - dt.timedelta(days=290),
        credit_requirements="信用良好，近三年无重大违法违规记录",
        staffing_requirements="项目经理持证上岗，每小区配备专职保洁、秩序维护人员",
        track_record_requirements="具有老旧小区物业服务经验",
        service_content="公共区域保洁、绿化、秩序维护、设施设备维修养护、电梯监控（云梯）",
        contract_months=36,
        method="评审工作小组以质论价、质价相符综合评审",
        actor=clerk,
    )
    plan = services.plan_publish(plan=plan, actor=clerk, now=now - dt.timedelta(days=312))
    bidders = {
        "纺原物业": ("1.80", "4.00", "0.50", 24, "72"),
        "虹桥物业 (虚构)": ("1.45", "3.50", "0.40", 15, "60"),
        "天山物业 (虚构)": ("1.95", "4.20", "0.60", 20, "65"),
    }
    bids = {}
    for name, (res, com, park, staff, share) in bidders.items():
        bids[name] = services.bid_submit(
            plan=plan,
            company=companies[name],
            fees={"residential": res, "commercial": com, "parking": park},
            staff=staff,
            public_revenue_share=share,
            term_months=36,
            service_items=[
                {"item": "公共区域保洁", "level": "一级"},
                {"item": "秩序维护", "level": "24小时"},
            ],
            actor=official,
            now=now - dt.timedelta(days=300),
        )
    members = [
        ("expert", "行业协会 评审专家", "industry_expert", True),
        ("expert2", "行业协会 专家乙（虚构）", "industry_expert", True),
        ("expert3", "行业协会 专家丙（虚构）", "industry_expert", True),
        ("expert4", "行业协会 专家丁（虚构）", "industry_expert", True),
        ("cityops", "城运中心 工程师（虚构）", "city_operations", True),
        ("clerk", "居委会 李干事", "residents_committee", False),
        ("committee", "水霞小区业委会 周委员", "owners_committee", False),
    ]
    seats = []
    for username, name, affiliation, expert in members:
        user = (
            _user(username, name)
            if username.startswith(("expert2", "expert3", "expert4", "cityops"))
            else User.objects.get(username=username)
        )
        if username.startswith(("expert", "cityops")):
            membership_grant(user=user, role=Role.EXPERT, actor=None)
        member = services.panel_add_member(
            plan=plan, user=user, name=name, affiliation=affiliation, is_expert=expert, actor=clerk
        )
        services.panel_declare(member=member, user=user, now=now - dt.timedelta(days=291))
        seats.append(member)
    closes = now - dt.timedelta(days=290)
    services.panel_open(plan=plan, actor=clerk, now=closes)
    rng = random.Random(SEED + 11)
    level = {"纺原物业": 0.9, "虹桥物业 (虚构)": 0.55, "天山物业 (虚构)": 0.75}
    criteria = {"plan": 25, "staffing": 20, "standards": 20, "record": 15}
    for member in seats:
        values = {
            bids[name].pk: {
                key: str(
                    round(min(top, max(0.0, top * (level[name] + rng.uniform(-0.06, 0.06)))), 1)
                )
                for key, top in criteria.items()
            }
            for name in bids
        }
        services.score_submit(
            member=member, values=values, user=member.user, now=closes + dt.timedelta(hours=2)
        )
    services.panel_close(plan=plan, actor=clerk, now=closes + dt.timedelta(hours=4))
    services.ranking_publish(
        plan=plan,
        posted_from=closes + dt.timedelta(days=1),
        posted_until=closes + dt.timedelta(days=5),
        actor=clerk,
    )
    services.presentation_record(
        plan=plan,
        held_at=closes + dt.timedelta(days=3),
        place="水霞居民区党群服务站",
        attendance=86,
        questions=[
            {
                "question": "高层电梯能否实时监控？",
                "answer": "纺原物业接入云梯电梯监控平台，故障 15 分钟内到场。（演示）",
            },
            {
                "question": "电瓶车充电桩何时安装？",
                "answer": "合同签订后三个月内在四个小区分批安装。（演示）",
            },
            {
                "question": "公共收益如何分配？",
                "answer": "公共收益的 72% 归全体业主，按季度公示。（演示）",
            },
        ],
        actor=clerk,
    )
    starts = timezone.localdate(now) - dt.timedelta(days=228)  # when custody ends
    for compound in compounds.values():
        services.contract_record(
            plan=plan,
            company=companies["纺原物业"],
            compounds=[compound],
            fees={"residential": "1.80", "commercial": "4.00", "parking": "0.50"},
            service_items=[
                {"item": "公共区域保洁", "level": "一级"},
                {"item": "秩序维护", "level": "24小时"},
                {"item": "电梯监控（云梯）", "level": "实时"},
            ],
            public_revenue_share="72",
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=3 * 365),
            signed_on=starts - dt.timedelta(days=12),
            actor=clerk,
        )
