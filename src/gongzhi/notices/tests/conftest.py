"""A residents' area with two compounds, owners, and the people who post notices."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from gongzhi.accounts.models import Role
from gongzhi.notices import services
from gongzhi.registry.tests.factories import (
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    unit_with_owners,
    user_with_role,
)


@dataclass
class Area:
    neighbourhood: object
    compound: object
    other_compound: object
    users: dict


@pytest.fixture
def area(db):
    neighbourhood = NeighbourhoodFactory(name="水霞居民区")
    sd = neighbourhood.sub_district
    compound = CompoundFactory(neighbourhood=neighbourhood, name="水霞小区")
    other = CompoundFactory(neighbourhood=neighbourhood, name="安虹小区")
    owner = OwnerFactory(sub_district=sd, name="张三")
    unit_with_owners(compound, "1-101", "60.00", [owner])
    neighbour = OwnerFactory(sub_district=sd, name="李四")
    unit_with_owners(other, "2-101", "50.00", [neighbour])
    elsewhere = NeighbourhoodFactory(name="虹仙居民区", sub_district=sd)

    users = {
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=neighbourhood),
        "other_clerk": user_with_role("other_clerk", Role.CLERK, neighbourhood=elsewhere),
        "committee": user_with_role("committee", Role.COMMITTEE_MEMBER, compound=compound),
        "owner": user_with_role("owner", Role.OWNER, owner=owner),
        "neighbour": user_with_role("neighbour", Role.OWNER, owner=neighbour),
        "outsider": user_with_role("outsider"),
    }
    return Area(neighbourhood, compound, other, users)


def draft(area, *, kind="general", days=10, start=None, **fields):
    start = start or timezone.now().replace(microsecond=0)
    return services.notice_create(
        neighbourhood=area.neighbourhood,
        compounds=fields.pop("compounds", [area.compound]),
        kind=kind,
        title=fields.pop("title", "关于小区停车管理的公示"),
        body=fields.pop("body", "停车费标准调整，请业主提出意见。联系人王先生 13812345678。"),
        display_from=start,
        display_until=start + dt.timedelta(days=days),
        actor=area.users["clerk"],
        **fields,
    )
