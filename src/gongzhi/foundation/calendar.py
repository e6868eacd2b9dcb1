"""What the foundation must disclose, and by when. Pure: no database.

慈善组织信息公开办法 (Ministry of Civil Affairs, in force 2026-01-01):
- the annual work report of year Y by 31 May of Y + 1;
- a project (here: a restricted fund) that runs longer than six months at least once
  every three months while it runs — one report per three-month period from its
  start, due on the period's last day;
- every project within three months of its end.

A fund without an end date runs until further notice and is reported quarterly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from gongzhi.core.clock import add_months

__all__ = ["Obligation", "add_months", "annual", "for_fund", "runs_longer_than_six_months"]

Kind = Literal["annual", "quarterly", "final"]


@dataclass(frozen=True)
class Obligation:
    key: str
    kind: Kind
    fund_id: int | None
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


def runs_longer_than_six_months(starts_on: dt.date, ends_on: dt.date | None) -> bool:
    return ends_on is None or ends_on > add_months(starts_on, 6)


def annual(first_year: int, today: dt.date) -> list[Obligation]:
    """Annual reports of every finished year since ``first_year``."""
    return [
        Obligation(
            key=f"annual-{year}",
            kind="annual",
            fund_id=None,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            due_on=dt.date(year + 1, 5, 31),
        )
        for year in range(first_year, today.year)
    ]


def for_fund(
    fund_id: int, starts_on: dt.date, ends_on: dt.date | None, today: dt.date
) -> list[Obligation]:
    """A fund's quarterly reports for the periods begun by ``today`` (only when it
    runs longer than six months) and its closing report once it has ended."""
    found: list[Obligation] = []
    if runs_longer_than_six_months(starts_on, ends_on):
        index = 0
        while True:
            start = add_months(starts_on, 3 * index)
            if start > today or (ends_on is not None and start > ends_on):
                break
            end = add_months(starts_on, 3 * (index + 1)) - dt.timedelta(days=1)
            if ends_on is not None and end > ends_on:
                end = ends_on
            found.append(
                Obligation(
                    key=f"fund-{fund_id}-q{index + 1}",
                    kind="quarterly",
                    fund_id=fund_id,
                    period_start=start,
                    period_end=end,
                    due_on=end,
                )
            )
            index += 1
    if ends_on is not None and ends_on <= today:
        found.append(
            Obligation(
                key=f"fund-{fund_id}-final",
                kind="final",
                fund_id=fund_id,
                period_start=starts_on,
                period_end=ends_on,
                due_on=add_months(ends_on, 3),
            )
        )
    return found
