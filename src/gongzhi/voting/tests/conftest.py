"""A small compound with a decision, and the people around it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongzhi.accounts.models import Role
from gongzhi.registry.models import Owner
from gongzhi.registry.tests.factories import (
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    unit_with_owners,
    user_with_role,
)
from gongzhi.voting.services import ItemSpec, decision_create

T0 = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
OPENS = T0 + dt.timedelta(days=15)
CLOSES = T0 + dt.timedelta(days=30)
DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=1)


@dataclass
class Scene:
    neighbourhood: object
    compound: object
    other_compound: object
    units: list
    owners: list
    clerk: object
    clerk2: object
    official: object
    owner_user: object
    outsider: object

    def decision(self, **kwargs):
        defaults = dict(
            neighbourhood=self.neighbourhood,
            title="同意由纺原物业提供物业服务",
            text="全体业主表决。",
            compounds=[self.compound],
            items=[ItemSpec(text="是否同意由纺原物业提供物业服务？", matter="4")],
            opens_at=OPENS,
            closes_at=CLOSES,
            actor=self.clerk,
        )
        defaults.update(kwargs)
        return decision_create(**defaults)


@pytest.fixture
def scene(db):
    neighbourhood = NeighbourhoodFactory(name="水霞居民区")
    compound = CompoundFactory(neighbourhood=neighbourhood, name="水霞小区")
    other = CompoundFactory(neighbourhood=neighbourhood, name="安虹小区")
    sd = neighbourhood.sub_district
    owners = [
        OwnerFactory(sub_district=sd, identifier=f"O{n}", phone=f"1380000{n:04d}") for n in range(6)
    ]
    units = [
        unit_with_owners(compound, "1-101", "60.00", [owners[0]]),
        unit_with_owners(compound, "1-102", "70.00", [owners[1], owners[2]]),
        unit_with_owners(compound, "1-201", "80.00", [owners[3]]),
        unit_with_owners(compound, "1-202", "90.00", [owners[4]]),
        unit_with_owners(compound, "1-301", "40.00", [owners[0]]),  # owner 0 holds two units
    ]
    unit_with_owners(other, "1-101", "50.00", [owners[5]])

    return Scene(
        neighbourhood=neighbourhood,
        compound=compound,
        other_compound=other,
        units=units,
        owners=owners,
        clerk=user_with_role("clerk", Role.CLERK, neighbourhood=neighbourhood),
        clerk2=user_with_role("clerk2", Role.CLERK, neighbourhood=neighbourhood),
        official=user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        owner_user=user_with_role("owner", Role.OWNER, owner=owners[0]),
        outsider=user_with_role("outsider"),
    )


def total_area(units):
    return sum((u.area for u in units), Decimal("0"))


__all__ = ["AFTER", "CLOSES", "DURING", "OPENS", "T0", "Owner", "scene", "total_area"]
