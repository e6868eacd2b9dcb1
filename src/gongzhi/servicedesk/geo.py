"""Distances for sanity checks and coverage (never for a vote): the selection app's
great-circle distance over our decimal coordinates."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from gongzhi.selection.proximity import Point, great_circle_m


class Located(Protocol):
    latitude: Decimal | None
    longitude: Decimal | None


def metres(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    return great_circle_m(Point(float(lat1), float(lon1)), Point(float(lat2), float(lon2)))


def metres_between(a: Located, b: Located) -> float | None:
    """Metres between two things with coordinates; None when either has none."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return metres(a.latitude, a.longitude, b.latitude, b.longitude)
