"""Deadlines are arithmetic over times: exact to the minute, the pause exact too."""

import datetime as dt

import pytest

from gongzhi.servicedesk import deadlines

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("flags", "urgency"),
    [
        ({}, "normal"),
        ({"emergency": True}, "emergency"),
        ({"emergency": True, "warranty": True, "paid": True}, "emergency"),
        ({"warranty": True}, "warranty"),
        ({"warranty": True, "paid": True}, "warranty"),
        ({"paid": True}, "paid"),
    ],
)
def test_the_most_urgent_flag_decides(flags, urgency):
    full = {"emergency": False, "warranty": False, "paid": False, **flags}
    assert deadlines.urgency(**full) == urgency


def test_due_times_count_from_the_report():
    due = deadlines.due(T, *deadlines.DEFAULTS["emergency"])
    assert due.response == T + dt.timedelta(hours=2)
    assert due.resolve == T + dt.timedelta(hours=24)
    normal = deadlines.due(T, *deadlines.DEFAULTS["normal"])
    assert (normal.response, normal.resolve) == (T + dt.timedelta(days=1), T + dt.timedelta(days=3))


def test_a_deferral_adds_exactly_the_pause():
    due = deadlines.due(T, 60, 600)
    later = deadlines.paused(
        due, since=T + dt.timedelta(minutes=30), until=T + dt.timedelta(days=2, minutes=30)
    )
    assert later.response - due.response == dt.timedelta(days=2)
    assert later.resolve - due.resolve == dt.timedelta(days=2)
    # a pause that ends before it starts moves nothing
    assert deadlines.paused(due, since=T, until=T - dt.timedelta(hours=1)) == due
