"""Reads of the service desk, narrowed to the reader: queues with filters, a
request's history, the public register and statistics (no names, no unit numbers),
and the coverage of shared assets."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.sorting import natural_key
from gongzhi.registry.models import Building, Compound, Ownership

from .geo import metres_between
from .models import (
    OPEN_STATUSES,
    Asset,
    AssetKind,
    Feedback,
    Incident,
    PartyKind,
    ServiceRequest,
    Status,
    Watcher,
)

MIN_CASES_FOR_MEDIAN = 5


def visible_to(user) -> QuerySet[ServiceRequest]:
    """The requests ``user`` may open (the same rule as ``servicedesk.view_request``)."""
    base = ServiceRequest.objects.select_related(
        "compound__neighbourhood",
        "building",
        "unit",
        "category",
        "party_company",
        "party_organisation",
        "executor",
    )
    scopes = scopes_for(user)
    if scopes.superuser:
        return base
    # the requests the reader joined, as a subquery: a join would repeat rows and
    # need DISTINCT, which makes the database sort every visible request
    condition = (
        Q(reporter=user)
        | Q(pk__in=Watcher.objects.filter(user=user).values("request_id"))
        | Q(compound__neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(compound__neighbourhood_id__in=scopes.neighbourhoods)
        | Q(compound_id__in=scopes.committee_compounds)
        | Q(compound__property_company_id__in=scopes.companies)
        | Q(party_company_id__in=scopes.companies)
    )
    return base.filter(condition)


def queue_for(user) -> QuerySet[ServiceRequest]:
    """The requests ``user`` works on: with their company, their area's clerks (and
    the utilities they act for), their compound's committee, their sub-district."""
    scopes = scopes_for(user)
    base = visible_to(user)
    if scopes.superuser:
        return base
    condition = (
        Q(party=PartyKind.COMPANY, party_company_id__in=scopes.companies)
        | Q(
            party__in=[PartyKind.RESIDENTS_COMMITTEE, PartyKind.ORGANISATION],
            compound__neighbourhood_id__in=scopes.neighbourhoods,
        )
        | Q(party=PartyKind.OWNERS_COMMITTEE, compound_id__in=scopes.committee_compounds)
        | Q(
            party=PartyKind.SUB_DISTRICT,
            compound__neighbourhood__sub_district_id__in=scopes.sub_districts,
        )
        | Q(escalated_at__isnull=False, compound__neighbourhood_id__in=scopes.neighbourhoods)
        | Q(executor=user)
    )
    return base.filter(condition)


@dataclass
class Filters:
    compound: int | None = None
    building: str = ""
    category: int | None = None
    status: str = ""
    overdue: bool = False
    emergency: bool = False
    warranty: bool = False
    paid: bool = False
    search: str = ""


def filtered(requests: QuerySet[ServiceRequest], filters: Filters, *, now=None) -> QuerySet:
    now = now or timezone.now()
    if filters.compound:
        requests = requests.filter(compound_id=filters.compound)
    if filters.building:
        requests = requests.filter(building__name=filters.building)
    if filters.category:
        requests = requests.filter(category_id=filters.category)
    if filters.status == "open":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        requests = requests.filter(status=filters.status)
    if filters.overdue:
        requests = requests.filter(
            Q(status=Status.SUBMITTED, response_due__lt=now)
            | Q(
                status__in=[Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS],
                resolve_due__lt=now,
            )
        )
    for flag in ("emergency", "warranty", "paid"):
        if getattr(filters, flag):
            requests = requests.filter(**{flag: True})
    if filters.search:
        term = filters.search.strip()
        if term.isdigit():
            requests = requests.filter(pk=int(term))
        else:
            requests = requests.filter(description__icontains=term)
    return requests


def board(requests: QuerySet[ServiceRequest]) -> dict[str, list[ServiceRequest]]:
    """The kanban: open requests by status, the latest 50 of each."""
    columns: dict[str, list[ServiceRequest]] = {}
    for status in (
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.DEFERRED,
        Status.RESOLVED,
    ):
        columns[status] = list(requests.filter(status=status).order_by("resolve_due")[:50])
    return columns


def incidents_for_owner(user) -> list[Incident]:
    """Open incidents of the buildings (and compounds) where the user owns a unit."""
    scopes = scopes_for(user)
    if not scopes.owners:
        return []
    holdings = Ownership.objects.filter(owner_id__in=scopes.owners).values_list(
        "unit__compound_id", "unit__building_id"
    )
    compounds = {c for c, _b in holdings}
    buildings = {b for _c, b in holdings if b}
    return list(
        Incident.objects.filter(ended_at__isnull=True, compound_id__in=compounds)
        .filter(Q(building__isnull=True) | Q(building_id__in=buildings))
        .select_related("compound", "building")
    )


# --- public statistics ---------------------------------------------------------


@dataclass
class CategoryStats:
    name: str
    party: str
    total: int
    open: int
    median_hours: Decimal | None  # None below MIN_CASES_FOR_MEDIAN resolved cases


@dataclass
class PublicStats:
    compound: Compound
    total: int = 0
    open: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    categories: list[CategoryStats] = field(default_factory=list)
    satisfaction: Decimal | None = None
    ratings: int = 0
    months: list[tuple[str, int, int]] = field(default_factory=list)  # label, reported, resolved

    @property
    def overdue_rate(self) -> Decimal | None:
        if not self.open:
            return None
        return (Decimal(self.overdue) * 100 / Decimal(self.open)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _month_start(day: dt.date, back: int) -> dt.date:
    year, month = day.year, day.month - back
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def public_stats(compound: Compound, *, now: dt.datetime | None = None) -> PublicStats:
    """The compound's register in numbers, without names or unit numbers. A median
    is shown only with at least five resolved cases, so that one case never stands
    for a company. A fixed number of queries, whatever the number of requests."""
    now = now or timezone.now()
    requests = ServiceRequest.objects.filter(compound=compound)
    stats = PublicStats(compound=compound)
    stats.by_status = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    stats.total = sum(stats.by_status.values())
    stats.open = sum(stats.by_status.get(s, 0) for s in OPEN_STATUSES)
    stats.overdue = requests.filter(
        Q(status=Status.SUBMITTED, response_due__lt=now)
        | Q(status__in=[Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS], resolve_due__lt=now)
    ).count()
    durations: dict[tuple[int, str], list[int]] = defaultdict(list)
    for category_id, party, created, resolved in (
        requests.filter(resolved_at__isnull=False, outcome__in=["fixed", "partly_fixed"])
        .values_list("category_id", "party", "created_at", "resolved_at")
        .iterator(chunk_size=5000)
    ):
        elapsed = cast(dt.datetime, resolved) - created
        durations[(category_id, party)].append(elapsed // dt.timedelta(seconds=1))
    counts: Counter[tuple[int, str]] = Counter()
    opens: Counter[tuple[int, str]] = Counter()
    names: dict[int, str] = {}
    for category_id, name, party, status, n in (
        requests.values_list("category_id", "category__name", "party", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(category_id, party)] += n
        names[category_id] = name
        if status in OPEN_STATUSES:
            opens[(category_id, party)] += n
    labels = dict(PartyKind.choices)
    for (category_id, party), total in sorted(
        counts.items(), key=lambda kv: (names[kv[0][0]], kv[0][1])
    ):
        seconds = durations.get((category_id, party), [])
        median = None
        if len(seconds) >= MIN_CASES_FOR_MEDIAN:
            median = (Decimal(statistics.median(seconds)) / 3600).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        stats.categories.append(
            CategoryStats(
                names[category_id], str(labels[party]), total, opens[(category_id, party)], median
            )
        )
    ratings = Feedback.objects.filter(request__compound=compound).aggregate(
        n=Count("pk"), points=Sum("overall")
    )
    stats.ratings = ratings["n"] or 0
    if stats.ratings >= MIN_CASES_FOR_MEDIAN:  # exact: a sum of whole stars over a count
        stats.satisfaction = (Decimal(ratings["points"]) / Decimal(stats.ratings)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    today = timezone.localdate(now)
    first = _month_start(today, 11)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    reported: Counter[tuple[int, int]] = Counter()
    for created in (
        requests.filter(created_at__gte=since)
        .values_list("created_at", flat=True)
        .iterator(chunk_size=5000)
    ):
        local = timezone.localtime(created)
        reported[(local.year, local.month)] += 1
    done: Counter[tuple[int, int]] = Counter()
    for resolved in (
        requests.filter(resolved_at__gte=since)
        .values_list("resolved_at", flat=True)
        .iterator(chunk_size=5000)
    ):
        local = timezone.localtime(resolved)
        done[(local.year, local.month)] += 1
    for back in range(11, -1, -1):
        month = _month_start(today, back)
        key = (month.year, month.month)
        stats.months.append((f"{month:%Y-%m}", reported[key], done[key]))
    return stats


# --- coverage of shared assets ------------------------------------------------------


@dataclass
class Coverage:
    compound: Compound
    lifts: int
    monitored: int
    sockets: int
    households: int
    buildings: int
    buildings_without_charger: list[str]

    @property
    def sockets_per_100(self) -> Decimal | None:
        if not self.households:
            return None
        return (Decimal(self.sockets) * 100 / Decimal(self.households)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


CHARGER_WITHIN_METRES = 100


def coverage(compounds) -> list[Coverage]:
    """Per compound: lifts with monitoring (云梯) out of all lifts; sockets per 100
    households; the residential buildings with no charging point within 100 m (by the buildings'
    and chargers' map points; a building without a map point counts as covered only
    if a charger is recorded in it)."""
    compounds = list(compounds)
    ids = [c.pk for c in compounds]
    assets = defaultdict(list)
    for asset in Asset.objects.filter(compound_id__in=ids, in_service=True):
        assets[asset.compound_id].append(asset)
    households = dict(
        Compound.objects.filter(pk__in=ids)
        .annotate(n=Count("units", filter=Q(units__use="residential")))
        .values_list("pk", "n")
    )
    buildings = defaultdict(list)
    homes = Building.objects.filter(compound_id__in=ids, units__use="residential").distinct()
    for building in sorted(homes, key=lambda b: natural_key(b.name)):
        buildings[building.compound_id].append(building)
    rows = []
    for compound in compounds:
        lifts = [a for a in assets[compound.pk] if a.kind == AssetKind.LIFT]
        chargers = [a for a in assets[compound.pk] if a.kind == AssetKind.CHARGER]
        uncovered = []
        for building in buildings[compound.pk]:
            covered = any(c.building_id == building.pk for c in chargers)
            if not covered:
                covered = any(
                    (distance := metres_between(building, c)) is not None
                    and distance <= CHARGER_WITHIN_METRES
                    for c in chargers
                )
            if not covered:
                uncovered.append(building.name)
        rows.append(
            Coverage(
                compound=compound,
                lifts=len(lifts),
                monitored=sum(1 for a in lifts if a.monitoring_installed_on),
                sockets=sum(c.sockets for c in chargers),
                households=households.get(compound.pk, 0),
                buildings=len(buildings[compound.pk]),
                buildings_without_charger=uncovered,
            )
        )
    return rows
