"""The proximity principle, pure."""

import datetime as dt

import pytest

from gongzhi.selection.proximity import Candidate, Point, Site, great_circle_m, rank_candidates

TODAY = dt.date(2026, 6, 1)
XIANXIA = Point(31.2063, 121.3938)


def candidate(
    key, *points, status="active", valid=dt.date(2027, 1, 1), capacity=2, conflict="", reason=""
):
    sites = tuple(Site(f"{key}-{n}", Point(*p)) for n, p in enumerate(points))
    return Candidate(
        key, key, status, valid, capacity, sites, status_reason=reason, conflict=conflict
    )


def test_great_circle_distance_matches_known_values():
    # One degree of latitude is about 111.2 km everywhere.
    assert great_circle_m(Point(31, 121), Point(32, 121)) == pytest.approx(111_195, rel=1e-3)
    # Shanghai (People's Square) to Beijing (Tiananmen): about 1,068 km.
    assert great_circle_m(Point(31.2304, 121.4737), Point(39.9087, 116.3975)) == pytest.approx(
        1_067_000, rel=0.01
    )
    assert great_circle_m(XIANXIA, XIANXIA) == 0


def test_nearest_site_of_each_company_decides():
    far_office_near_compound = candidate("纺原", (31.30, 121.50), (31.2076, 121.3951))
    one_near_office = candidate("虹桥", (31.1969, 121.4003))
    ranked, excluded = rank_candidates(
        XIANXIA, [one_near_office, far_office_near_compound], on=TODAY
    )
    assert [r.candidate.key for r in ranked] == ["纺原", "虹桥"]
    assert ranked[0].nearest.label == "纺原-1"
    assert ranked[0].distance_m < 200 < ranked[1].distance_m
    assert excluded == []


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"status": "suspended", "reason": "考核不合格"}, "suspended from the pool: 考核不合格"),
        ({"status": "removed", "reason": "退出"}, "removed from the pool: 退出"),
        ({"valid": dt.date(2026, 5, 31)}, "admission expired on 2026-05-31"),
        ({"capacity": 0}, "no capacity left for another management area"),
        (
            {"conflict": "项目经理系业委会主任亲属"},
            "declared a conflict of interest: 项目经理系业委会主任亲属",
        ),
    ],
)
def test_each_exclusion_with_its_reason(kwargs, reason):
    ranked, excluded = rank_candidates(
        XIANXIA, [candidate("甲", (31.21, 121.39), **kwargs)], on=TODAY
    )
    assert ranked == []
    assert excluded[0].reason() == reason


def test_admission_valid_through_the_day_itself():
    ranked, _ = rank_candidates(XIANXIA, [candidate("甲", (31.21, 121.39), valid=TODAY)], on=TODAY)
    assert len(ranked) == 1


def test_company_without_located_sites_is_excluded():
    _, excluded = rank_candidates(XIANXIA, [candidate("无址")], on=TODAY)
    assert excluded[0].reason() == "no office or served compound with coordinates"


def test_equal_distances_are_ordered_by_name():
    ranked, _ = rank_candidates(
        XIANXIA, [candidate("乙", (31.21, 121.39)), candidate("甲", (31.21, 121.39))], on=TODAY
    )
    assert [(r.candidate.key, r.rank) for r in ranked] == [("乙", 1), ("甲", 2)]
