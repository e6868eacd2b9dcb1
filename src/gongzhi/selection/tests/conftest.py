"""A sub-district with compounds, a pool of companies around them, and the people."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongzhi.accounts.models import Role
from gongzhi.registry.models import UnitUse
from gongzhi.registry.services import MemberSpec, management_area_establish, owners_committee_create
from gongzhi.registry.tests.factories import (
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    PropertyCompanyFactory,
    unit_with_owners,
    user_with_role,
)
from gongzhi.selection.models import CompanyOffice, PoolEntry, ProviderPool

TODAY = dt.date(2026, 6, 1)


@dataclass
class Pool:
    neighbourhood: object
    compound: object
    bare_compound: object  # no owners' committee
    companies: dict
    owners: list
    bare_owners: list
    users: dict


def at(lat, lon):
    return {"latitude": Decimal(lat), "longitude": Decimal(lon)}


@pytest.fixture
def pool(db):
    neighbourhood = NeighbourhoodFactory(name="水霞居民区")
    sd = neighbourhood.sub_district
    companies = {
        name: PropertyCompanyFactory(name=name)
        for name in ["纺原物业", "虹桥物业", "古北物业", "北新泾物业", "天山物业", "大楼物业"]
    }
    compound = CompoundFactory(
        neighbourhood=neighbourhood,
        name="水霞小区",
        property_company=companies["大楼物业"],
        **at("31.206300", "121.393800"),
    )
    bare = CompoundFactory(
        neighbourhood=neighbourhood, name="安虹小区", **at("31.204100", "121.386900")
    )
    # 纺原 serves a compound right next door; 虹桥 only has an office further away
    CompoundFactory(
        neighbourhood=neighbourhood,
        name="茅台雅苑",
        property_company=companies["纺原物业"],
        **at("31.209400", "121.389600"),
    )
    CompanyOffice.objects.create(
        company=companies["虹桥物业"], name="虹桥办公室", **at("31.196900", "121.400300")
    )
    CompanyOffice.objects.create(
        company=companies["古北物业"], name="古北办公室", **at("31.205000", "121.393000")
    )
    CompanyOffice.objects.create(
        company=companies["北新泾物业"], name="北新泾办公室", **at("31.206000", "121.394000")
    )
    CompanyOffice.objects.create(
        company=companies["天山物业"], name="天山办公室", **at("31.213500", "121.402400")
    )
    pool_ = ProviderPool.objects.create(name="长宁区临时物业服务企业预选库", district="长宁区")
    for name, extra in [
        ("纺原物业", {}),
        ("虹桥物业", {}),
        ("古北物业", {"status": "suspended", "status_reason": "考核不合格"}),
        ("北新泾物业", {"valid_until": dt.date(2026, 1, 1)}),
        ("天山物业", {"capacity": 0}),
    ]:
        PoolEntry.objects.create(
            pool=pool_,
            company=companies[name],
            admitted_on=dt.date(2024, 1, 1),
            valid_until=extra.pop("valid_until", dt.date(2027, 12, 31)),
            capacity=extra.pop("capacity", 2),
            **extra,
        )
    owners = [OwnerFactory(sub_district=sd) for _ in range(5)]
    for n, owner in enumerate(owners):
        unit_with_owners(compound, f"1-{n + 101}", "60.00", [owner])
    unit_with_owners(compound, "P-1", "12.00", [owners[0]], use=UnitUse.PARKING)
    bare_owners = [OwnerFactory(sub_district=sd) for _ in range(10)]
    for n, owner in enumerate(bare_owners):
        unit_with_owners(bare, f"2-{n + 101}", "50.00", [owner])
    area = management_area_establish(
        name="水霞小区区域", compounds=[compound], on=dt.date(2000, 1, 1), actor=None
    )
    owners_committee_create(
        management_area=area,
        name="水霞小区业委会",
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2028, 1, 1),
        members=[MemberSpec(name="周委员", role="chair", owner=owners[0])],
        actor=None,
    )

    users = {
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=neighbourhood),
        "committee": user_with_role("committee", Role.COMMITTEE_MEMBER, compound=compound),
        "fangyuan": user_with_role("fangyuan", Role.COMPANY_STAFF, company=companies["纺原物业"]),
        "hongqiao": user_with_role("hongqiao", Role.COMPANY_STAFF, company=companies["虹桥物业"]),
        "owner": user_with_role("owner", Role.OWNER, owner=owners[1]),
        "outsider": user_with_role("outsider"),
    }
    for n in range(6):
        users[f"expert{n}"] = user_with_role(f"expert{n}", Role.EXPERT)
    return Pool(neighbourhood, compound, bare, companies, owners, bare_owners, users)


@pytest.fixture
def passed_decision(pool):
    """An owners' decision approving the hiring, passed with a final result."""
    from gongzhi.voting.services import (
        ItemSpec,
        ballots_enter_paper_batch,
        decision_announce,
        decision_close,
        decision_create,
        decision_finalise,
        decision_open,
    )

    t0 = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC)
    opens, closes = t0 + dt.timedelta(days=16), t0 + dt.timedelta(days=30)
    clerk = pool.users["clerk"]
    decision = decision_create(
        neighbourhood=pool.neighbourhood,
        title="同意选聘物业服务企业",
        text="",
        compounds=[pool.compound],
        items=[ItemSpec(text="是否同意按选聘方案选聘？", matter="4")],
        opens_at=opens,
        closes_at=closes,
        actor=clerk,
    )
    decision = decision_announce(decision=decision, actor=clerk, now=t0)
    decision = decision_open(decision=decision, actor=clerk, now=opens)
    item = decision.items.get()
    sheets = [(e, {item.pk: "agree"}) for e in decision.register.all()]
    ballots_enter_paper_batch(
        decision=decision,
        sheets=sheets,
        clerk=clerk,
        received_at=opens + dt.timedelta(days=1),
        now=opens + dt.timedelta(days=1),
    )
    result = decision_close(decision=decision, actor=clerk, now=closes)
    decision_finalise(
        decision=decision, actor=clerk, now=result.published_at + dt.timedelta(days=8)
    )
    decision.refresh_from_db()
    return decision
