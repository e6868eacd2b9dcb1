"""The proximity principle (就近原则): rank the temporary-provider pool by distance.

Pure: no database. A candidate's distance is the great-circle distance from the
compound to its nearest office or served compound. Suspended, removed, expired
and full entries, declared conflicts of interest and companies without any located
site are excluded, each with its reason. Distances only order the candidates; no
legal threshold depends on them, so floating point is fine here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from gongzhi.core.i18n import gettext_noop

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)

SUSPENDED = gettext_noop("suspended from the pool: %(reason)s")
REMOVED = gettext_noop("removed from the pool: %(reason)s")
EXPIRED = gettext_noop("admission expired on %(date)s")
FULL = gettext_noop("no capacity left for another management area")
CONFLICT = gettext_noop("declared a conflict of interest: %(reason)s")
NO_SITE = gettext_noop("no office or served compound with coordinates")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Site:
    label: str
    point: Point


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    name: str
    status: str  # active, suspended, removed
    valid_until: dt.date
    capacity: int
    sites: tuple[Site, ...]
    status_reason: str = ""
    conflict: str = ""  # the declared conflict of interest, if any


@dataclass(frozen=True)
class Ranked:
    rank: int
    candidate: Candidate
    distance_m: float
    nearest: Site


@dataclass(frozen=True)
class Excluded:
    candidate: Candidate
    template: str
    params: tuple[tuple[str, str], ...] = ()

    def reason(self, translate: Callable[[str], str] = str) -> str:
        text = translate(self.template)
        return text % dict(self.params) if self.params else text


def great_circle_m(a: Point, b: Point) -> float:
    """Haversine distance in metres."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlambda = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def exclusion(candidate: Candidate, *, on: dt.date) -> Excluded | None:
    """Why a candidate cannot be picked, or None."""
    if candidate.status == "suspended":
        return Excluded(candidate, SUSPENDED, (("reason", candidate.status_reason or "—"),))
    if candidate.status == "removed":
        return Excluded(candidate, REMOVED, (("reason", candidate.status_reason or "—"),))
    if candidate.valid_until < on:
        return Excluded(candidate, EXPIRED, (("date", candidate.valid_until.isoformat()),))
    if candidate.capacity <= 0:
        return Excluded(candidate, FULL)
    if candidate.conflict:
        return Excluded(candidate, CONFLICT, (("reason", candidate.conflict),))
    if not candidate.sites:
        return Excluded(candidate, NO_SITE)
    return None


def rank_candidates(
    target: Point, candidates: Iterable[Candidate], *, on: dt.date
) -> tuple[list[Ranked], list[Excluded]]:
    """Eligible candidates nearest first (ties by name), and the excluded with reasons."""
    eligible: list[tuple[float, str, Candidate, Site]] = []
    excluded: list[Excluded] = []
    for candidate in candidates:
        refused = exclusion(candidate, on=on)
        if refused is not None:
            excluded.append(refused)
            continue
        nearest = min(candidate.sites, key=lambda site: great_circle_m(target, site.point))
        eligible.append((great_circle_m(target, nearest.point), candidate.name, candidate, nearest))
    eligible.sort(key=lambda row: (round(row[0]), row[1]))
    ranked = [
        Ranked(rank=n, candidate=candidate, distance_m=distance, nearest=site)
        for n, (distance, _name, candidate, site) in enumerate(eligible, start=1)
    ]
    return ranked, excluded
