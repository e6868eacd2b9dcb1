"""A small territory with one user per role, for permission tests."""

from dataclasses import dataclass

import pytest

from gongzhi.accounts.models import Role, User

from .factories import (
    BuildingFactory,
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    PropertyCompanyFactory,
    SubDistrictFactory,
    unit_with_owners,
    user_with_role,
)


@dataclass
class World:
    compounds: dict
    units: dict
    buildings: dict
    neighbourhoods: dict
    users: dict


@pytest.fixture
def world(db):
    """Two sub-districts; sd1 has residents' areas n1 (compounds A, B) and n2 (C);
    sd2 has n3 (D). Owner x owns a1, owner y owns a2, owner z owns c1."""
    sd1, sd2 = SubDistrictFactory(name="一街道"), SubDistrictFactory(name="二街道")
    n1 = NeighbourhoodFactory(sub_district=sd1, name="一居")
    n2 = NeighbourhoodFactory(sub_district=sd1, name="二居")
    n3 = NeighbourhoodFactory(sub_district=sd2, name="三居")
    company = PropertyCompanyFactory(name="甲物业")
    a = CompoundFactory(neighbourhood=n1, name="A小区", property_company=company)
    b = CompoundFactory(neighbourhood=n1, name="B小区")
    c = CompoundFactory(neighbourhood=n2, name="C小区")
    d = CompoundFactory(neighbourhood=n3, name="D小区")
    building_a = BuildingFactory(compound=a, name="1号楼")
    x = OwnerFactory(sub_district=sd1, identifier="X", name="张三", phone="13812345678")
    y = OwnerFactory(sub_district=sd1, identifier="Y", name="李四", phone="13987654321")
    z = OwnerFactory(sub_district=sd1, identifier="Z", name="王五", phone="13700001111")
    w = OwnerFactory(sub_district=sd2, identifier="W", name="赵六", phone="13600002222")
    a1 = unit_with_owners(a, "1-101", "60.00", [x], building=building_a)
    a2 = unit_with_owners(a, "1-102", "70.00", [y], building=building_a)
    c1 = unit_with_owners(c, "1-101", "80.00", [z])
    d1 = unit_with_owners(d, "1-101", "90.00", [w])

    users = {
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd1),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=n1),
        "committee": user_with_role("committee", Role.COMMITTEE_MEMBER, compound=a),
        "owner": user_with_role("owner", Role.OWNER, owner=x),
        "company": user_with_role("company", Role.COMPANY_STAFF, company=company),
        "expert": user_with_role("expert", Role.EXPERT),
        "outsider": user_with_role("outsider"),
        "superuser": User.objects.create_superuser("root", password="pw-for-tests-1"),
    }
    return World(
        compounds={"A": a, "B": b, "C": c, "D": d},
        units={"a1": a1, "a2": a2, "c1": c1, "d1": d1},
        buildings={"A1": building_a},
        neighbourhoods={"n1": n1, "n2": n2, "n3": n3},
        users=users,
    )


@pytest.fixture
def client_for(client, world):
    """A client signed in as the named role (None: anonymous)."""

    def make(role):
        client.logout()
        if role is not None:
            client.force_login(world.users[role])
        return client

    return make
