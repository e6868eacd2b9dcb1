"""The legal tally, rule by rule, at the exact thresholds (Civil Code Art. 278)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.registry.headcount import Holding
from gongzhi.voting.tally import (
    PRESETS,
    Choice,
    meets,
    parse_choice,
    shortfall,
    shortfall_growing,
    tally,
)

A, D, X = Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN
CIVIL = PRESETS["civil-code-2021:ordinary"]
CIVIL_MAJOR = PRESETS["civil-code-2021:major"]
OLD = PRESETS["property-law-2007:ordinary"]
OLD_MAJOR = PRESETS["property-law-2007:major"]


def units(*areas, compound="C", owners=None):
    """One unit per area, each with its own owner unless ``owners`` says otherwise."""
    return [
        Holding(
            compound,
            f"{compound}{i}",
            Decimal(area),
            frozenset([owners[i] if owners else f"{compound}p{i}"]),
        )
        for i, area in enumerate(areas)
    ]


def votes(holdings, *choices):
    return {h.unit: c for h, c in zip(holdings, choices, strict=False) if c is not None}


def group(result):
    (only,) = result.outcome.compounds
    return only


class TestCivilCodeOrdinary:
    def test_participation_at_exactly_two_thirds_is_met(self):
        h = units("1.00", "1.00", "1.00")
        g = group(tally(h, votes(h, A, A), CIVIL))
        assert g.participating.heads == 2 and g.participating.area == Decimal("2.00")
        assert g.participation_met and g.approval_met

    def test_participation_one_hundredth_below_two_thirds_fails(self):
        # total 300.00; two thirds is exactly 200.00
        h = units("100.00", "99.99", "100.01")
        g = group(tally(h, votes(h, A, A), CIVIL))
        assert g.participating.area == Decimal("199.99")
        assert not g.participation_met
        h2 = units("100.00", "100.00", "100.00")
        assert group(tally(h2, votes(h2, A, A), CIVIL)).participation_met

    def test_participation_needs_heads_too(self):
        # area participation 90% but only 1 of 3 persons
        h = units("90.00", "5.00", "5.00")
        g = group(tally(h, votes(h, A), CIVIL))
        assert not g.participation_met
        assert not g.passed

    def test_exactly_half_of_participating_is_not_a_majority(self):
        h = units("50.00", "50.00", "50.00", "50.00")
        g = group(tally(h, votes(h, A, A, D, D), CIVIL))
        assert g.participation_met
        assert g.agree.area * 2 == g.participating.area
        assert not g.approval_met

    def test_one_hundredth_over_half_with_head_majority_passes(self):
        h = units("50.01", "50.00", "49.99", "10.00")
        # agree 50.01 + 10.00 = 60.01 of 160.00 participating, 2 of 3 heads... make heads 3 of 4
        g = group(tally(h, votes(h, A, D, D, A), CIVIL))
        assert g.agree.area == Decimal("60.01") and g.participating.area == Decimal("160.00")
        assert g.agree.heads == 2 and g.participating.heads == 4
        assert not g.approval_met  # heads exactly half
        g = group(tally(h, votes(h, A, A, D, A), CIVIL))
        assert g.approval_met

    def test_abstain_participates_but_does_not_agree(self):
        h = units("1.00", "1.00", "1.00")
        g = group(tally(h, votes(h, A, X, X), CIVIL))
        assert g.participation_met
        assert g.abstain.heads == 2
        assert not g.approval_met

    def test_area_majority_without_head_majority_fails(self):
        h = units("200.00", "10.00", "10.00")
        g = group(tally(h, votes(h, A, D, D), CIVIL))
        assert g.agree.area > g.participating.area / 2
        assert not g.approval_met


class TestCivilCodeMajor:
    def test_exactly_three_quarters_of_participating_passes(self):
        h = units("1.00", "1.00", "1.00", "1.00")
        g = group(tally(h, votes(h, A, A, A, D), CIVIL_MAJOR))
        assert g.passed

    def test_area_one_hundredth_below_three_quarters_fails(self):
        h = units("25.00", "25.00", "24.99", "25.01")
        g = group(tally(h, votes(h, A, A, A, D), CIVIL_MAJOR))
        assert g.agree.heads * 4 == g.participating.heads * 3  # heads exactly 3/4
        assert g.agree.area == Decimal("74.99") and g.participating.area == Decimal("100.00")
        assert not g.approval_met
        g = group(tally(h, votes(h, A, A, D, A), CIVIL_MAJOR))
        assert g.agree.area == Decimal("75.01")
        assert g.approval_met

    def test_heads_below_three_quarters_fail_whatever_the_area(self):
        h = units("90.00", "1.00", "1.00", "4.00", "4.00")
        g = group(tally(h, votes(h, A, A, A, D, D), CIVIL_MAJOR))
        assert g.agree.area == Decimal("92.00")
        assert not g.approval_met


class TestPropertyLaw2007:
    def test_ordinary_has_no_participation_threshold(self):
        h = units("30.00", "30.00", "30.00", "10.00")
        g = group(tally(h, votes(h, A, A, A), OLD))
        assert g.participation_met
        assert g.passed  # 90.00 of 100.00 area, 3 of 4 heads, both over half of total

    def test_ordinary_exactly_half_of_total_area_fails(self):
        h = units("50.00", "25.00", "25.00")
        g = group(tally(h, votes(h, A, None, A), OLD))
        # heads 2 of 3 > half; area 75.00 of 100 > half: passes
        assert g.passed
        g = group(tally(h, votes(h, A), OLD))
        assert g.agree.area == Decimal("50.00") and g.total.area == Decimal("100.00")
        assert not g.approval_met

    def test_ordinary_counts_against_the_total_not_the_participants(self):
        h = units("1.00", "1.00", "1.00", "1.00")
        g = group(tally(h, votes(h, A, A), OLD))
        assert not g.approval_met  # 2 of 4 is not more than half of all owners

    def test_major_exactly_two_thirds_of_total_passes_and_just_below_fails(self):
        h = units("100.00", "100.00", "100.00")
        assert group(tally(h, votes(h, A, A), OLD_MAJOR)).passed
        h = units("100.00", "99.99", "100.01")
        g = group(tally(h, votes(h, A, A), OLD_MAJOR))
        assert g.agree.area == Decimal("199.99")
        assert not g.passed


class TestHeadcount:
    def test_multi_unit_owner_with_mixed_choices_participates_as_mixed_not_abstaining(self):
        h = [
            Holding("C", 1, Decimal("60.00"), frozenset(["p"])),
            Holding("C", 2, Decimal("40.00"), frozenset(["p"])),
            Holding("C", 3, Decimal("50.00"), frozenset(["q"])),
        ]
        g = group(tally(h, {1: A, 2: D, 3: A}, CIVIL))
        assert g.total.heads == 2
        assert g.participating.heads == 2
        # p voted (so not abstaining) but is neither for nor against: mixed
        assert (g.agree.heads, g.disagree.heads, g.abstain.heads, g.mixed.heads) == (1, 0, 0, 1)
        assert g.agree.heads + g.disagree.heads + g.abstain.heads + g.mixed.heads == 2
        assert g.agree.area == Decimal("110.00") and g.disagree.area == Decimal("40.00")
        assert g.mixed.area == Decimal("0.00") and g.abstain.area == Decimal("0.00")

    def test_multi_unit_owner_agreeing_on_every_unit_counts_once(self):
        h = [
            Holding("C", 1, Decimal("60.00"), frozenset(["p"])),
            Holding("C", 2, Decimal("40.00"), frozenset(["p"])),
        ]
        g = group(tally(h, {1: A, 2: A}, CIVIL))
        assert (g.agree.heads, g.participating.heads, g.total.heads) == (1, 1, 1)

    def test_developer_units_vote_as_one_person(self):
        h = [
            Holding("C", 1, Decimal("60.00"), frozenset(), developer_held=True),
            Holding("C", 2, Decimal("60.00"), frozenset(), developer_held=True),
            Holding("C", 3, Decimal("60.00"), frozenset(["q"])),
        ]
        g = group(tally(h, {1: A, 2: A}, CIVIL))
        assert g.total.heads == 2 and g.agree.heads == 1


class TestScope:
    def make(self):
        a = units("1.00", "1.00", "1.00", compound="A")
        b = units("1.00", "1.00", "1.00", "1.00", "1.00", compound="B")
        return a + b, {**votes(a, A, A, A), **votes(b, A, D, D, D, X)}

    def test_each_compound_must_pass(self):
        holdings, ballots = self.make()
        result = tally(holdings, ballots, CIVIL, scope="each")
        by_compound = {g.compound: g.passed for g in result.outcome.compounds}
        assert by_compound == {"A": True, "B": False}
        assert not result.passed

    def test_combined_counts_all_compounds_together(self):
        holdings, ballots = self.make()
        result = tally(holdings, ballots, CIVIL, scope="combined")
        # combined: 8 persons, 8 participating, 4 agree: exactly half, not a majority
        assert result.outcome.combined.agree.heads == 4
        assert not result.passed
        ballots[holdings[-1].unit] = A
        assert tally(holdings, ballots, CIVIL, scope="combined").passed

    def test_person_in_two_compounds_is_one_in_each_and_one_combined(self):
        h = [
            Holding("A", 1, Decimal("1.00"), frozenset(["p"])),
            Holding("B", 2, Decimal("1.00"), frozenset(["p"])),
        ]
        result = tally(h, {1: A, 2: D}, CIVIL, scope="combined")
        assert [g.agree.heads for g in result.outcome.compounds] == [1, 0]
        assert result.outcome.combined.total.heads == 1
        combined = result.outcome.combined
        assert (combined.abstain.heads, combined.mixed.heads) == (0, 1)  # mixed across compounds
        assert [g.mixed.heads for g in result.outcome.compounds] == [0, 0]

    def test_unknown_scope(self):
        with pytest.raises(ValueError, match="scope"):
            tally([], {}, CIVIL, scope="all")  # type: ignore[arg-type]


class TestNonVoterClause:
    def test_delivered_silent_units_follow_the_majority_only_with_the_clause(self):
        h = units("1.00", "1.00", "1.00", "1.00", "1.00", "1.00")
        ballots = votes(h, A, A, D)  # three silent owners
        delivered = {h[3].unit, h[4].unit}  # the sixth was never delivered
        result = tally(h, ballots, CIVIL, delivered=delivered, non_voter_clause=True)
        plain = group(result)
        assert not plain.participation_met  # 3 of 6
        assert plain.delivered_not_returned.heads == 2
        (clause,) = result.with_non_voter_clause.compounds
        assert clause.participating.heads == 5 and clause.agree.heads == 4
        assert clause.passed and not plain.passed
        assert result.passed and result.clause_changes_outcome
        assert clause.delivered_not_returned.heads == 2  # still reported separately

    def test_clause_is_off_unless_adopted(self):
        h = units("1.00", "1.00", "1.00")
        result = tally(h, votes(h, A, A), CIVIL, delivered={h[2].unit})
        assert result.with_non_voter_clause is None
        assert not result.clause_changes_outcome

    def test_tie_among_cast_ballots_makes_silent_units_abstain(self):
        h = units("1.00", "1.00", "1.00")
        result = tally(h, votes(h, A, D), CIVIL, delivered={h[2].unit}, non_voter_clause=True)
        (clause,) = result.with_non_voter_clause.compounds
        assert clause.abstain.heads == 1
        assert not clause.passed


class TestArithmetic:
    @pytest.mark.parametrize(
        ("part", "whole", "share", "strict", "expected"),
        [
            (2, 3, Fraction(2, 3), False, True),
            (1, 2, Fraction(1, 2), True, False),
            (3, 4, Fraction(3, 4), False, True),
            (2, 4, Fraction(1, 2), False, True),
            (0, 0, Fraction(3, 4), False, True),
        ],
    )
    def test_meets(self, part, whole, share, strict, expected):
        assert meets(part, whole, share, strict=strict) is expected

    def test_shortfall_is_the_least_missing_amount(self):
        assert shortfall(5, 12, Fraction(2, 3), strict=False) == 3  # need 8
        assert shortfall(8, 12, Fraction(2, 3), strict=False) == 0
        assert shortfall(6, 12, Fraction(1, 2), strict=True) == 1  # need 7
        assert shortfall(0, 0, Fraction(1, 2), strict=True) == 1

    @given(
        st.integers(0, 500),
        st.integers(0, 500),
        st.sampled_from([Fraction(1, 2), Fraction(3, 4), Fraction(2, 3)]),
        st.booleans(),
    )
    def test_shortfall_growing_is_minimal(self, part, extra, share, strict):
        base = part + extra
        x = shortfall_growing(part, base, share, strict=strict)
        assert meets(part + x, base + x, share, strict=strict)
        if x > 0:
            assert not meets(part + x - 1, base + x - 1, share, strict=strict)

    def test_more_than_two_decimals_is_refused(self):
        with pytest.raises(ValueError, match="two decimal places"):
            tally([Holding("C", 1, Decimal("1.005"), frozenset(["p"]))], {}, CIVIL)

    @pytest.mark.parametrize(
        ("word", "choice"),
        [("同意", A), ("agree", A), ("AGREE ", A), ("不同意", D), ("反对", D), ("弃权", X)],
    )
    def test_parse_choice(self, word, choice):
        assert parse_choice(word) is choice

    def test_unknown_word(self):
        with pytest.raises(ValueError):
            parse_choice("maybe")


holdings_st = st.lists(
    st.builds(
        Holding,
        compound=st.sampled_from(["A", "B"]),
        unit=st.integers(0, 30),
        area=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200"), places=2),
        owners=st.frozensets(st.sampled_from(["p", "q", "r", "s", "t"]), min_size=1, max_size=2),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda h: h.unit,
)
choices_st = st.sampled_from([A, D, X])


@given(
    holdings_st,
    st.data(),
    st.sampled_from(list(PRESETS.values())),
    st.sampled_from(["each", "combined"]),
)
def test_turning_disagree_into_agree_never_turns_a_pass_into_a_fail(holdings, data, rule, scope):
    ballots = {h.unit: data.draw(choices_st) for h in holdings if data.draw(st.booleans())}
    disagreeing = [u for u, c in ballots.items() if c == D]
    if not disagreeing:
        return
    before = tally(holdings, ballots, rule, scope=scope)
    flipped = dict(ballots)
    flipped[data.draw(st.sampled_from(disagreeing))] = A
    after = tally(holdings, flipped, rule, scope=scope)
    assert not (before.passed and not after.passed)


@given(holdings_st, st.data(), st.sampled_from(list(PRESETS.values())))
def test_adding_a_ballot_never_lowers_participation(holdings, data, rule):
    ballots = {h.unit: data.draw(choices_st) for h in holdings if data.draw(st.booleans())}
    silent = [h.unit for h in holdings if h.unit not in ballots]
    if not silent:
        return
    before = tally(holdings, ballots, rule, scope="combined").outcome
    more = dict(ballots)
    more[data.draw(st.sampled_from(silent))] = data.draw(choices_st)
    after = tally(holdings, more, rule, scope="combined").outcome
    for old, new in zip(
        [*before.compounds, before.combined], [*after.compounds, after.combined], strict=True
    ):
        assert new.participating.area >= old.participating.area
        assert new.participating.heads >= old.participating.heads
        assert not (old.participation_met and not new.participation_met)


@given(holdings_st, st.data())
def test_counts_add_up(holdings, data):
    ballots = {h.unit: data.draw(choices_st) for h in holdings if data.draw(st.booleans())}
    result = tally(holdings, ballots, CIVIL, scope="combined").outcome
    for g in [*result.compounds, result.combined]:
        assert g.agree.area + g.disagree.area + g.abstain.area == g.participating.area
        assert (
            g.agree.heads + g.disagree.heads + g.abstain.heads + g.mixed.heads
            == g.participating.heads
        )
        assert g.mixed.area == 0
        assert g.participating.heads <= g.total.heads
        assert g.participating.area <= g.total.area
