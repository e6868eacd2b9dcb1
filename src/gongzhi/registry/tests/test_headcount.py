"""The counting rules of SPC interpretation Arts. 8-9, one test per rule (pure)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.registry.headcount import DeveloperPerson, Holding, count, person_key


def h(compound, unit, area, owners=(), developer_held=False):
    return Holding(compound, unit, Decimal(area), frozenset(owners), developer_held)


def test_one_unit_one_owner_is_one_person():
    result = count([h("A", 1, "60.00", ["p1"]), h("A", 2, "70.50", ["p2"])])
    assert result.compounds["A"].heads == 2
    assert result.compounds["A"].area == Decimal("130.50")
    assert result.compounds["A"].units == 2


def test_one_buyer_with_several_units_is_one_person():
    # SPC Art. 9: 一个专有部分按一人计算; 同一买受人拥有一个以上专有部分的, 按一人计算
    result = count([h("A", 1, "60.00", ["p1"]), h("A", 2, "40.00", ["p1"])])
    assert result.compounds["A"].heads == 1
    assert result.compounds["A"].area == Decimal("100.00")


def test_co_owners_of_one_unit_are_one_person():
    result = count([h("A", 1, "60.00", ["p1", "p2", "p3"])])
    assert result.compounds["A"].heads == 1


def test_identical_owner_sets_in_any_order_are_one_person():
    result = count([h("A", 1, "60.00", ["p1", "p2"]), h("A", 2, "60.00", ["p2", "p1"])])
    assert result.compounds["A"].heads == 1


def test_overlapping_but_different_owner_sets_are_different_persons():
    result = count([h("A", 1, "60.00", ["p1", "p2"]), h("A", 2, "60.00", ["p1"])])
    assert result.compounds["A"].heads == 2


def test_developer_units_without_named_owner_count_as_one_person_per_compound():
    # SPC Art. 9: 建设单位尚未出售和虽已出售但尚未交付的部分, 按一人计算
    result = count(
        [
            h("A", 1, "60.00", developer_held=True),
            h("A", 2, "61.00", developer_held=True),
            h("A", 3, "62.00", ["p1"]),
            h("B", 4, "63.00", developer_held=True),
        ]
    )
    assert result.compounds["A"].heads == 2
    assert result.compounds["A"].area == Decimal("183.00")
    assert result.compounds["B"].heads == 1
    assert result.combined.heads == 3
    assert person_key(h("A", 1, "1", developer_held=True)) == DeveloperPerson("A")


def test_developer_named_as_owner_counts_once_across_its_units():
    result = count(
        [
            h("A", 1, "60.00", ["DEV"], developer_held=True),
            h("A", 2, "12.00", ["DEV"], developer_held=True),
            h("A", 3, "13.00", ["DEV"], developer_held=True),
        ]
    )
    assert result.compounds["A"].heads == 1


def test_person_in_two_compounds_is_one_in_each_and_one_combined():
    result = count([h("A", 1, "60.00", ["p1"]), h("B", 2, "70.00", ["p1"])])
    assert result.compounds["A"].heads == 1
    assert result.compounds["B"].heads == 1
    assert result.combined.heads == 1
    assert result.combined.area == Decimal("130.00")
    assert result.combined.units == 2


def test_sold_unit_without_owner_is_an_error():
    with pytest.raises(ValueError, match="sold but has no owner"):
        count([h("A", 1, "60.00")])


def test_areas_add_exactly():
    # 0.1 + 0.2 is not 0.3 in floats; it must be here.
    result = count([h("A", 1, "0.10", ["p1"]), h("A", 2, "0.20", ["p2"])])
    assert result.compounds["A"].area == Decimal("0.30")


def test_empty_input_gives_zero_totals():
    result = count([])
    assert result.compounds == {}
    assert result.combined.heads == 0
    assert result.combined.area == Decimal("0.00")


holdings_strategy = st.lists(
    st.builds(
        Holding,
        compound=st.sampled_from(["A", "B", "C"]),
        unit=st.integers(),
        area=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
        owners=st.frozensets(
            st.sampled_from(["p1", "p2", "p3", "p4", "p5"]), min_size=1, max_size=3
        ),
        developer_held=st.booleans(),
    ),
    max_size=40,
)


@given(holdings_strategy)
def test_heads_never_exceed_units_and_combined_never_exceeds_sum(holdings):
    result = count(holdings)
    for totals in result.compounds.values():
        assert 1 <= totals.heads <= totals.units
    assert result.combined.heads <= sum(t.heads for t in result.compounds.values())
    assert result.combined.heads >= max((t.heads for t in result.compounds.values()), default=0)
    assert result.combined.area == sum((t.area for t in result.compounds.values()), Decimal(0))


@given(holdings_strategy, st.randoms())
def test_order_does_not_matter(holdings, rnd):
    shuffled = list(holdings)
    rnd.shuffle(shuffled)
    a, b = count(holdings), count(shuffled)
    assert a.combined == b.combined
    assert a.compounds == b.compounds
