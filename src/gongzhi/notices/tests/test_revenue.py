"""Public-revenue arithmetic: exact decimals, Art. 51's strict majority."""

from decimal import Decimal
from fractions import Fraction

import pytest

from gongzhi.notices.revenue import LinesError, amount, parse_lines, summarise


def test_exactly_half_into_the_fund_is_not_enough_one_fen_more_is():
    half = summarise([Decimal("10000.00")], [Decimal("2000.00")], Decimal("4000.00"))
    assert (half.net, half.fund_share, half.meets_rule) == (
        Decimal("8000.00"),
        Fraction(1, 2),
        False,
    )
    assert half.fund_percent == "50.00%"
    more = summarise([Decimal("10000.00")], [Decimal("2000.00")], Decimal("4000.01"))
    assert more.meets_rule is True and more.fund_percent == "50.00%"  # rounds, decides exactly


def test_without_net_revenue_the_rule_does_not_apply():
    loss = summarise([Decimal("500.00")], [Decimal("800.00")], Decimal("0.00"))
    assert (loss.net, loss.fund_share, loss.meets_rule, loss.fund_percent) == (
        Decimal("-300.00"),
        None,
        None,
        "—",
    )


def test_no_float_creeps_in():
    # 0.1 + 0.2 in floats is 0.30000000000000004; in yuan it is 0.30
    result = summarise([Decimal("0.10"), Decimal("0.20")], [], Decimal("0.16"))
    assert result.income == Decimal("0.30") and result.meets_rule is True


def test_lines_in_either_colon_with_thousands_separators():
    assert parse_lines("停车费：12,000.50\n广告收入: 3000\n\n", what="source") == [
        ("停车费", Decimal("12000.50")),
        ("广告收入", Decimal("3000.00")),
    ]


def test_every_bad_line_is_reported_with_its_number():
    with pytest.raises(LinesError) as caught:
        parse_lines("停车费 12000\n广告: -5\n场地: 1.234\n租金: 100", what="source")
    assert caught.value.text() == (
        "line 1: write “source: amount”; "
        "line 2: “-5” is not an amount in yuan (at most two decimals, not negative); "
        "line 3: “1.234” is not an amount in yuan (at most two decimals, not negative)"
    )


@pytest.mark.parametrize("raw", ["abc", "-0.01", "1e3x", "NaN", "Infinity", "0.001"])
def test_amounts_refused(raw):
    with pytest.raises(ValueError):
        amount(raw)
