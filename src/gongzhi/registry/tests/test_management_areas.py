import datetime as dt

import pytest
from django.db import IntegrityError

from gongzhi.core.errors import ApplicationError
from gongzhi.core.models import AuditEvent, EventType
from gongzhi.registry.models import ManagementAreaCompound
from gongzhi.registry.services import (
    MemberSpec,
    current_management_area,
    management_area_establish,
    management_areas_merge,
    owners_committee_create,
)

from .factories import CompoundFactory, NeighbourhoodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAY = dt.date(2020, 1, 1)


@pytest.fixture
def compounds():
    neighbourhood = NeighbourhoodFactory()
    return [CompoundFactory(neighbourhood=neighbourhood, name=n) for n in ["甲", "乙", "丙"]]


def test_merge_keeps_history_and_moves_every_compound(compounds):
    areas = [
        management_area_establish(name=f"{c.name}区域", compounds=[c], on=DAY, actor=None)
        for c in compounds
    ]
    merged_on = dt.date(2026, 3, 1)
    merged = management_areas_merge(areas=areas, name="合并区域", on=merged_on, actor=None)
    for compound in compounds:
        assert current_management_area(compound=compound) == merged
    for area in areas:
        area.refresh_from_db()
        assert (area.dissolved_on, area.merged_into) == (merged_on, merged)
        old = ManagementAreaCompound.objects.get(area=area)
        assert (old.since, old.until) == (DAY, merged_on)
    event = AuditEvent.objects.get(event_type=EventType.MANAGEMENT_AREAS_MERGED)
    assert event.old["areas"] == sorted(a.name for a in areas)


def test_dissolved_area_cannot_be_merged_again(compounds):
    areas = [
        management_area_establish(name=c.name, compounds=[c], on=DAY, actor=None) for c in compounds
    ]
    management_areas_merge(areas=areas[:2], name="合并", on=DAY, actor=None)
    with pytest.raises(ApplicationError, match="Already dissolved"):
        management_areas_merge(areas=areas[1:], name="再合并", on=DAY, actor=None)


def test_compound_in_an_area_cannot_be_put_in_a_second(compounds):
    management_area_establish(name="一", compounds=compounds[:1], on=DAY, actor=None)
    with pytest.raises(ApplicationError, match="Already in a management area: 甲"):
        management_area_establish(name="二", compounds=compounds[:2], on=DAY, actor=None)


def test_database_refuses_two_current_areas_for_one_compound(compounds):
    area = management_area_establish(name="一", compounds=compounds[:1], on=DAY, actor=None)
    with pytest.raises(IntegrityError):
        ManagementAreaCompound.objects.create(area=area, compound=compounds[0], since=DAY)


def test_committee_needs_a_valid_term_and_one_chair(compounds):
    area = management_area_establish(name="一", compounds=compounds[:1], on=DAY, actor=None)
    with pytest.raises(ApplicationError, match="term must end"):
        owners_committee_create(
            management_area=area,
            name="业委会",
            term_start=DAY,
            term_end=DAY,
            members=[],
            actor=None,
        )
    chairs = [MemberSpec(name="甲", role="chair"), MemberSpec(name="乙", role="chair")]
    with pytest.raises(ApplicationError, match="one chair"):
        owners_committee_create(
            management_area=area,
            name="业委会",
            term_start=DAY,
            term_end=dt.date(2025, 1, 1),
            members=chairs,
            actor=None,
        )
    committee = owners_committee_create(
        management_area=area,
        name="业委会",
        term_start=DAY,
        term_end=dt.date(2025, 1, 1),
        members=chairs[:1],
        actor=None,
    )
    assert committee.members.get().role == "chair"
    with pytest.raises(ApplicationError, match="already has a committee"):
        owners_committee_create(
            management_area=area,
            name="第二届",
            term_start=DAY,
            term_end=dt.date(2025, 1, 1),
            members=[],
            actor=None,
        )
