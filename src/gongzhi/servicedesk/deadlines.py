"""Deadlines of service requests: pure arithmetic over times, no database.

A request is answered (accepted) within its response time and resolved within its
resolution time, both counted from the report. A deferral pauses the clock: the time
between deferring and the new date is added to both due times. Defaults, per urgency
(a sub-district may set its own, per category):

| urgency | answer within | resolve within |
|---|---|---|
| emergency (a burst pipe, a trapped person) | 2 hours | 24 hours |
| normal | 24 hours | 3 days |
| under warranty (the developer repairs) | 24 hours | 7 days |
| paid service | 24 hours | 3 days |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULTS: dict[str, tuple[int, int]] = {  # urgency -> (response, resolve) in minutes
    "emergency": (2 * 60, 24 * 60),
    "normal": (24 * 60, 3 * 24 * 60),
    "warranty": (24 * 60, 7 * 24 * 60),
    "paid": (24 * 60, 3 * 24 * 60),
}


def urgency(*, emergency: bool, warranty: bool, paid: bool) -> str:
    """The urgency whose deadlines apply: an emergency first, whatever else it is."""
    if emergency:
        return "emergency"
    if warranty:
        return "warranty"
    if paid:
        return "paid"
    return "normal"


@dataclass(frozen=True)
class Due:
    response: dt.datetime
    resolve: dt.datetime


def due(reported_at: dt.datetime, response_minutes: int, resolve_minutes: int) -> Due:
    return Due(
        response=reported_at + dt.timedelta(minutes=response_minutes),
        resolve=reported_at + dt.timedelta(minutes=resolve_minutes),
    )


def paused(current: Due, *, since: dt.datetime, until: dt.datetime) -> Due:
    """The due times after the clock stood still from ``since`` to ``until``."""
    pause = max(until - since, dt.timedelta(0))
    return Due(response=current.response + pause, resolve=current.resolve + pause)
