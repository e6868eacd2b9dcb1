"""Scoring, aggregation, quality sets price, ranking and panel composition (pure)."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.selection.scoring import (
    DEFAULT_CRITERIA,
    Criterion,
    ScoreError,
    aggregate,
    evaluate,
    panel_problems,
    parse_score,
)

PLAN = Criterion("plan", "plan", D(60))
PRICE = Criterion("price", "price", D(40), price=True)


class TestParse:
    def test_in_range_with_one_decimal(self):
        assert parse_score("19.5", DEFAULT_CRITERIA[1]) == D("19.5")
        assert parse_score("0", DEFAULT_CRITERIA[1]) == 0
        assert parse_score("20", DEFAULT_CRITERIA[1]) == 20

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("20.1", "outside 0 to 20"),
            ("-1", "outside"),
            ("abc", "not a number"),
            ("1.25", "one decimal"),
            ("NaN", "not a number"),
        ],
    )
    def test_out_of_range_or_malformed(self, raw, message):
        with pytest.raises(ScoreError, match=message):
            parse_score(raw, DEFAULT_CRITERIA[1])


class TestAggregate:
    def test_mean(self):
        assert aggregate([D(10), D(12), D(20)], "mean") == Fraction(14)

    def test_trimmed_drops_one_highest_and_one_lowest(self):
        assert aggregate([D(10), D(12), D(20), D(14), D(2)], "trimmed") == Fraction(12)

    def test_trimmed_with_three_members_keeps_the_middle(self):
        assert aggregate([D(1), D(18), D(19)], "trimmed") == Fraction(18)

    @pytest.mark.parametrize("values", [[D(5)], [D(5), D(9)]])
    def test_trimmed_with_fewer_than_three_falls_back_to_the_mean(self, values):
        assert aggregate(values, "trimmed") == aggregate(values, "mean")

    def test_exact_thirds(self):
        assert aggregate([D(1), D(1), D(2)], "mean") == Fraction(4, 3)


def scores_for(per_bid):
    """{bid: [member scores for plan]} -> scores[member][bid]["plan"]"""
    members = max(len(v) for v in per_bid.values())
    return {
        m: {bid: {"plan": D(values[m])} for bid, values in per_bid.items()} for m in range(members)
    }


class TestQualitySetsPrice:
    def test_cheapest_does_not_win_with_poor_service(self):
        bids = [("cheap", "便宜物业", D("1.00")), ("good", "好物业", D("1.80"))]
        evaluation = evaluate(
            [PLAN, PRICE], bids, scores_for({"cheap": [20, 20, 20], "good": [54, 54, 54]})
        )
        by_key = {r.key: r for r in evaluation.results}
        # fee per quality: cheap 1.00 / (20/60) = 3.00; good 1.80 / (54/60) = 2.00 (the best)
        assert by_key["good"].price_points == Fraction(40)
        assert by_key["cheap"].price_points == Fraction(40) * Fraction(2, 3)
        assert [r.key for r in evaluation.results] == ["good", "cheap"]

    def test_equal_value_for_money_gets_equal_price_points(self):
        bids = [("a", "甲", D("1.00")), ("b", "乙", D("2.00"))]
        evaluation = evaluate([PLAN, PRICE], bids, scores_for({"a": [30], "b": [60]}))
        assert {r.key: r.price_points for r in evaluation.results} == {"a": 40, "b": 40}

    def test_no_quality_no_price_points(self):
        evaluation = evaluate(
            [PLAN, PRICE], [("a", "甲", D(1)), ("b", "乙", D(2))], scores_for({"a": [0], "b": [30]})
        )
        assert {r.key: r.price_points for r in evaluation.results}["a"] == 0


class TestRanking:
    def test_ties_share_a_rank_and_the_next_rank_skips(self):
        bids = [("a", "甲", D(2)), ("b", "乙", D(2)), ("c", "丙", D(2))]
        evaluation = evaluate([PLAN], bids, scores_for({"a": [50], "b": [50], "c": [40]}))
        # bids equal on everything share the rank; among them the order is by name (乙 < 甲)
        assert [(r.key, r.rank) for r in evaluation.results] == [("b", 1), ("a", 1), ("c", 3)]

    def test_equal_total_is_decided_by_quality_then_fee(self):
        bids = [("a", "甲", D("2.00")), ("b", "乙", D("1.50"))]
        evaluation = evaluate([PLAN], bids, scores_for({"a": [50], "b": [50]}))
        assert [(r.key, r.rank) for r in evaluation.results] == [("b", 1), ("a", 2)]

    def test_at_most_three_candidates_and_a_tie_across_the_cut_is_reported(self):
        bids = [(k, k, D(2)) for k in "abcde"]
        clear = evaluate(
            [PLAN], bids, scores_for({"a": [59], "b": [58], "c": [57], "d": [56], "e": [55]})
        )
        assert [r.key for r in clear.results if r.candidate] == ["a", "b", "c"]
        assert not clear.tie_at_cut
        tied = evaluate(
            [PLAN], bids, scores_for({"a": [59], "b": [58], "c": [57], "d": [57], "e": [55]})
        )
        assert [r.key for r in tied.results if r.candidate] == ["c", "d", "a", "b"] or len(
            [r for r in tied.results if r.candidate]
        ) == 4
        assert tied.tie_at_cut


class TestPanel:
    def member(self, n, expert=True, declared=True):
        return (f"委员{n}", expert, declared)

    def test_five_with_four_experts_is_compliant(self):
        assert panel_problems([self.member(n, expert=n < 4) for n in range(5)]) == []

    def test_exactly_two_thirds_experts_is_enough(self):
        # 9 members, 6 experts: exactly 2/3
        assert panel_problems([self.member(n, expert=n < 6) for n in range(9)]) == []
        problems = panel_problems([self.member(n, expert=n < 5) for n in range(9)])
        assert [p[1] for p in problems] == [{"experts": 5, "count": 9}]

    def test_even_and_too_few(self):
        kinds = [p[0] for p in panel_problems([self.member(n) for n in range(4)])]
        assert len(kinds) == 2  # fewer than 5, and even

    def test_undeclared_conflict(self):
        problems = panel_problems([self.member(n, declared=n != 2) for n in range(5)])
        assert problems[0][1] == {"names": "委员2"}


@given(
    st.lists(st.decimals(min_value=0, max_value=25, places=1), min_size=1, max_size=9),
    st.sampled_from(["mean", "trimmed"]),
)
def test_aggregate_stays_within_the_scores(values, method):
    result = aggregate(values, method)
    assert min(values) <= result <= max(values)
