"""The legal totals through the database, rule by rule."""

from decimal import Decimal

import pytest

from gongzhi.registry.models import UnitStatus, UnitUse
from gongzhi.registry.selectors import compound_totals

from .factories import CompoundFactory, OwnerFactory, unit_with_owners

pytestmark = pytest.mark.django_db


@pytest.fixture
def compound():
    return CompoundFactory()


def totals(*compounds, **kwargs):
    return compound_totals(compounds=compounds, **kwargs)


def test_single_owners(compound):
    unit_with_owners(compound, "1", "60.10", [OwnerFactory()])
    unit_with_owners(compound, "2", "70.20", [OwnerFactory()])
    result = totals(compound).compounds[compound.pk]
    assert (result.area, result.heads, result.units) == (Decimal("130.30"), 2, 2)


def test_one_buyer_several_units(compound):
    buyer = OwnerFactory()
    unit_with_owners(compound, "1", "60", [buyer])
    unit_with_owners(compound, "2", "60", [buyer])
    unit_with_owners(compound, "3", "60", [OwnerFactory()])
    assert totals(compound).compounds[compound.pk].heads == 2


def test_identical_co_owner_sets(compound):
    p, q = OwnerFactory(), OwnerFactory()
    unit_with_owners(compound, "1", "60", [p, q])
    unit_with_owners(compound, "2", "60", [q, p])
    unit_with_owners(compound, "3", "60", [p])
    assert totals(compound).compounds[compound.pk].heads == 2


def test_developer_units_named_and_unnamed(compound):
    developer = OwnerFactory(kind="organisation")
    unit_with_owners(compound, "1", "60", [], status=UnitStatus.UNSOLD)
    unit_with_owners(compound, "2", "60", [], status=UnitStatus.UNDELIVERED)
    unit_with_owners(compound, "3", "60", [developer], status=UnitStatus.UNSOLD)
    unit_with_owners(compound, "4", "60", [developer], status=UnitStatus.UNSOLD)
    # unnamed developer units: one person; units naming the developer: one person
    assert totals(compound).compounds[compound.pk].heads == 2


def test_combined_over_compounds(compound):
    other = CompoundFactory(neighbourhood=compound.neighbourhood)
    both = OwnerFactory()
    unit_with_owners(compound, "1", "60", [both])
    unit_with_owners(other, "1", "40", [both])
    unit_with_owners(other, "2", "40", [OwnerFactory()])
    result = totals(compound, other)
    assert result.compounds[compound.pk].heads == 1
    assert result.compounds[other.pk].heads == 2
    assert result.combined.heads == 2
    assert result.combined.area == Decimal("140.00")


def test_excluded_space_types_count_neither_area_nor_heads(compound):
    parking_only = OwnerFactory()
    unit_with_owners(compound, "1", "60", [OwnerFactory()])
    unit_with_owners(compound, "P1", "12.50", [parking_only], use=UnitUse.PARKING)
    assert totals(compound).compounds[compound.pk].heads == 2
    result = totals(compound, exclude_uses=[UnitUse.PARKING]).compounds[compound.pk]
    assert (result.area, result.heads, result.units) == (Decimal("60.00"), 1, 1)


def test_area_is_exact_on_every_database(compound):
    # Many small decimals would drift if summed as floats in SQL.
    for n in range(300):
        unit_with_owners(compound, str(n), "0.10", [OwnerFactory()])
    assert totals(compound).compounds[compound.pk].area == Decimal("30.00")


def test_committee_members_chair_first(compound):
    import datetime as dt

    from gongzhi.registry.selectors import committee_members
    from gongzhi.registry.services import (
        MemberSpec,
        management_area_establish,
        owners_committee_create,
    )

    area = management_area_establish(
        name="区", compounds=[compound], on=dt.date(2020, 1, 1), actor=None
    )
    committee = owners_committee_create(
        management_area=area,
        name="业委会",
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2028, 1, 1),
        members=[
            MemberSpec(name="甲", role="member"),
            MemberSpec(name="乙", role="vice_chair"),
            MemberSpec(name="丙", role="chair"),
        ],
        actor=None,
    )
    assert [m.role for m in committee_members(committee=committee)] == [
        "chair",
        "vice_chair",
        "member",
    ]
