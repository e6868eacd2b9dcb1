"""Minimum display windows, at their exact boundaries."""

import datetime as dt

import pytest

from gongzhi.notices.windows import window_problems

T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(("kind", "days"), [("ranking", 3), ("result", 7), ("audit", 30)])
def test_exactly_the_minimum_is_enough_a_second_less_is_not(kind, days):
    assert window_problems(kind, T0, T0 + dt.timedelta(days=days)) == []
    problems = window_problems(kind, T0, T0 + dt.timedelta(days=days) - SECOND)
    assert len(problems) == 1
    assert f"at least {days} days" in problems[0].text()


def test_an_assembly_notice_goes_up_fifteen_days_before_and_stays_until_it():
    assembly = T0 + dt.timedelta(days=15)
    assert window_problems("assembly", T0, assembly, assembly) == []
    late = window_problems("assembly", T0 + SECOND, assembly, assembly)
    assert [p.text() for p in late] == [
        "The notice must be up at least 15 days before the assembly or vote "
        "(物业管理条例 Art. 14); it goes up 14 d 23 h before."
    ]
    early = window_problems("assembly", T0, assembly - SECOND, assembly)
    assert [p.template for p in early] == ["The notice must stay up until the assembly or vote."]
    assert window_problems("assembly", T0, assembly, None)[0].text().startswith("Give the date")


def test_other_kinds_need_only_an_ordered_window():
    assert window_problems("general", T0, T0 + SECOND) == []
    assert window_problems("general", T0, T0)[0].text().startswith("The notice must be taken down")
