"""A sub-district with two residents' areas, a roll with phones and ID numbers, and
a clerk and an official."""

from dataclasses import dataclass

import pytest

from gongzhi.accounts.models import Role
from gongzhi.core.identifiers import id_number_check_character
from gongzhi.registry.services import id_number_hash
from gongzhi.registry.tests.factories import (
    BuildingFactory,
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    PropertyCompanyFactory,
    SubDistrictFactory,
    unit_with_owners,
    user_with_role,
)


def id_number(serial: int) -> str:
    first17 = f"11010119900307{serial:03d}"
    return first17 + id_number_check_character(first17)


@dataclass
class Town:
    sub_district: object
    area: object
    other_area: object
    compound: object
    other_compound: object
    far_compound: object
    units: dict
    owners: dict
    official: object
    clerk: object
    company: object
    far_company: object


@pytest.fixture
def town(db):
    sd = SubDistrictFactory(name="新华路街道", district="长宁区")
    far_sd = SubDistrictFactory(name="远方街道", district="徐汇区")
    area = NeighbourhoodFactory(sub_district=sd, name="番禺居民区")
    other_area = NeighbourhoodFactory(sub_district=sd, name="法华居民区")
    far_area = NeighbourhoodFactory(sub_district=far_sd, name="远方居民区")
    company = PropertyCompanyFactory(name="番禺物业")
    far_company = PropertyCompanyFactory(name="远方物业")
    compound = CompoundFactory(neighbourhood=area, name="番禺小区", property_company=company)
    other_compound = CompoundFactory(neighbourhood=other_area, name="法华小区")
    far_compound = CompoundFactory(
        neighbourhood=far_area, name="远方小区", property_company=far_company
    )
    b1 = BuildingFactory(compound=compound, name="1号楼")
    b2 = BuildingFactory(compound=compound, name="2号楼")
    owners = {
        "zhang": OwnerFactory(
            sub_district=sd,
            identifier="Z1",
            name="张伟",
            phone="13811110001",
            id_number_hash=id_number_hash(id_number(1)),
            id_number_masked="x",
        ),
        "li": OwnerFactory(
            sub_district=sd,
            identifier="L1",
            name="李娜",
            phone="13811110002",
            id_number_hash=id_number_hash(id_number(2)),
            id_number_masked="x",
        ),
        "wang": OwnerFactory(
            sub_district=sd,
            identifier="W1",
            name="王强",
            phone="13811110003",
            id_number_hash=id_number_hash(id_number(3)),
            id_number_masked="x",
        ),
        "nocontact": OwnerFactory(sub_district=sd, identifier="N1", name="赵敏", phone=""),
    }
    units = {
        # rooms numbered per building, as real rolls do: two 101s
        "1-101": unit_with_owners(compound, "101", "60.00", [owners["zhang"]], building=b1),
        "2-101": unit_with_owners(
            compound, "101", "65.00", [owners["li"], owners["wang"]], building=b2
        ),
        "2-102": unit_with_owners(compound, "102", "70.00", [owners["nocontact"]], building=b2),
    }
    return Town(
        sub_district=sd,
        area=area,
        other_area=other_area,
        compound=compound,
        other_compound=other_compound,
        far_compound=far_compound,
        units=units,
        owners=owners,
        official=user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        clerk=user_with_role("clerk", Role.CLERK, neighbourhood=area),
        company=company,
        far_company=far_company,
    )
