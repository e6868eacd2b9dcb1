"""Public-revenue statements (公共收益). Pure: no database; exact decimals.

Net revenue = income − expenses. Shanghai 住宅物业管理规定 Art. 51: more than half of
the net public revenue goes into the maintenance fund, so the rule is met when
``to_fund × 2 > net`` (strictly more than half). With no net revenue there is
nothing to share and the rule does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gongzhi.core.i18n import gettext_noop
from gongzhi.core.money import parse_yuan

BAD_LINE = gettext_noop("line %(line)d: write “%(what)s: amount”")
BAD_AMOUNT = gettext_noop(
    "line %(line)d: “%(value)s” is not an amount in yuan (at most two decimals, not negative)"
)
BAD_FUND = gettext_noop(
    "The amount put into the maintenance fund must be a positive amount in yuan with at "
    "most two decimals."
)


class RevenueError(ValueError):
    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    def text(self, translate: Callable[[str], str] = str) -> str:
        message = translate(self.template)
        return message % self.params if self.params else message


class LinesError(ValueError):
    """Every bad line of a statement's income or expenses."""

    def __init__(self, errors: list[RevenueError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    def text(self, translate: Callable[[str], str] = str) -> str:
        return "; ".join(e.text(translate) for e in self.errors)


amount = parse_yuan  # a non-negative amount in yuan with at most two decimals


def parse_lines(text: str, *, what: str) -> list[tuple[str, Decimal]]:
    """“停车费: 12,000.00” per line → [(label, amount)]; every bad line is reported."""
    rows: list[tuple[str, Decimal]] = []
    errors: list[RevenueError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, value = line.replace("：", ":").rpartition(":")
        if not sep or not label.strip():
            errors.append(RevenueError(BAD_LINE, line=number, what=what))
            continue
        try:
            rows.append((label.strip(), amount(value)))
        except ValueError:
            errors.append(RevenueError(BAD_AMOUNT, line=number, value=value.strip()))
    if errors:
        raise LinesError(errors)
    return rows


@dataclass(frozen=True)
class Summary:
    income: Decimal
    expenses: Decimal
    net: Decimal
    to_fund: Decimal
    fund_share: Fraction | None  # of the net revenue; None without net revenue
    meets_rule: bool | None  # Art. 51; None without net revenue

    @property
    def fund_percent(self) -> str:
        if self.fund_share is None:
            return "—"
        hundredths = self.fund_share * 10000
        rounded = int(hundredths + Fraction(1, 2))  # half up, to 0.01 %
        return f"{rounded // 100}.{rounded % 100:02d}%"


def summarise(income: Iterable[Decimal], expenses: Iterable[Decimal], to_fund: Decimal) -> Summary:
    total_in = sum(income, Decimal(0))
    total_out = sum(expenses, Decimal(0))
    net = total_in - total_out
    if net <= 0:
        return Summary(total_in, total_out, net, to_fund, None, None)
    return Summary(
        total_in, total_out, net, to_fund, Fraction(to_fund) / Fraction(net), to_fund * 2 > net
    )
