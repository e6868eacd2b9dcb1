"""A residents' area with two compounds served by two companies, their owners, the
people of every role, a water company, and a clock the tests move by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.accounts.models import Role
from gongzhi.demo.images import tiny_png
from gongzhi.registry.models import Organisation, OrganisationKind
from gongzhi.registry.services import MemberSpec, management_area_establish, owners_committee_create
from gongzhi.registry.tests.factories import (
    BuildingFactory,
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    PropertyCompanyFactory,
    unit_with_owners,
    user_with_role,
)
from gongzhi.servicedesk.models import Category
from gongzhi.servicedesk.services.requests import request_report

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday morning


@dataclass
class Desk:
    neighbourhood: object
    shuixia: object
    maotai: object
    building: object
    units: dict
    companies: dict
    water: object
    users: dict
    categories: dict

    def report(self, who="owner", *, category="leak", compound=None, now=T0, **fields):
        """A request as the owner (by default) reports it on the page."""
        compound = compound or self.shuixia
        fields.setdefault("place", "unit" if "unit" in fields else "building")
        fields.setdefault("description", "卫生间顶部渗水")
        if fields["place"] == "building" and compound == self.shuixia:
            fields.setdefault("building", self.building)
        elif fields["place"] == "building":
            fields["place"] = "courtyard"
        return request_report(
            actor=self.users[who],
            compound=compound,
            category=self.categories[category],
            now=now,
            **fields,
        )


def photo(name="照片", size=16) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.png", tiny_png(name, size=size), content_type="image/png")


@pytest.fixture
def desk(db) -> Desk:
    neighbourhood = NeighbourhoodFactory(name="水霞居民区")
    sd = neighbourhood.sub_district
    companies = {n: PropertyCompanyFactory(name=n) for n in ("纺原物业", "大楼物业")}
    shuixia = CompoundFactory(
        neighbourhood=neighbourhood,
        name="水霞小区",
        property_company=companies["纺原物业"],
        latitude=Decimal("31.206300"),
        longitude=Decimal("121.393800"),
    )
    maotai = CompoundFactory(
        neighbourhood=neighbourhood, name="茅台雅苑", property_company=companies["大楼物业"]
    )
    building = BuildingFactory(compound=shuixia, name="3号楼")
    owners = [OwnerFactory(sub_district=sd) for _ in range(4)]
    units = {
        "mine": unit_with_owners(shuixia, "3-101", "60.00", [owners[0]], building=building),
        "neighbour": unit_with_owners(shuixia, "3-102", "60.00", [owners[1]], building=building),
        "maotai": unit_with_owners(maotai, "1-101", "80.00", [owners[2]]),
    }
    area = management_area_establish(
        name="水霞小区区域", compounds=[shuixia], on=dt.date(2010, 1, 1), actor=None
    )
    owners_committee_create(
        management_area=area,
        name="水霞小区业委会",
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2028, 1, 1),
        members=[MemberSpec(name="主任", role="chair", owner=owners[3])],
        actor=None,
    )
    other_area = NeighbourhoodFactory(name="虹仙居民区", sub_district=sd)
    water = Organisation.objects.create(
        kind=OrganisationKind.WATER_COMPANY, name="自来水公司", sub_district=sd
    )
    users = {
        "owner": user_with_role("owner", Role.OWNER, owner=owners[0]),
        "neighbour": user_with_role("neighbour", Role.OWNER, owner=owners[1]),
        "maotai_owner": user_with_role("maotai_owner", Role.OWNER, owner=owners[2]),
        "provider": user_with_role("provider", Role.COMPANY_STAFF, company=companies["纺原物业"]),
        "worker": user_with_role("worker", Role.COMPANY_STAFF, company=companies["纺原物业"]),
        "other_company": user_with_role(
            "other_company", Role.COMPANY_STAFF, company=companies["大楼物业"]
        ),
        "clerk": user_with_role("clerk", Role.CLERK, neighbourhood=neighbourhood),
        "other_clerk": user_with_role("other_clerk", Role.CLERK, neighbourhood=other_area),
        "committee": user_with_role("committee", Role.COMMITTEE_MEMBER, compound=shuixia),
        "official": user_with_role("official", Role.SUB_DISTRICT_OFFICIAL, sub_district=sd),
        "outsider": user_with_role("outsider"),
    }
    users["owner"].phone = "13811112222"
    users["owner"].save(update_fields=["phone"])
    categories = {c.code: c for c in Category.objects.filter(sub_district=sd)}
    categories["water-supply"].organisation = water
    categories["water-supply"].save()
    return Desk(
        neighbourhood, shuixia, maotai, building, units, companies, water, users, categories
    )
