"""The participation drive: progress by compound and building, the units still
missing, the canvass, and the visit list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from gongzhi.core.sorting import natural_key
from gongzhi.registry.headcount import Holding

from ..models import (
    Ballot,
    BallotState,
    Canvass,
    Decision,
    DecisionItem,
    RegisterEntry,
    RegisterOwner,
)
from ..tally import PRESETS, shortfall, shortfall_growing
from .decisions import (
    compounds_named_for,
    delivered_entries,
    effective_choices,
    register_holdings_and_buildings,
)
from .results import item_tallies

# --- the participation drive ------------------------------------------------


@dataclass
class Missing:
    """What is still needed to reach a threshold (0 when reached)."""

    heads: int
    area: Decimal

    @property
    def reached(self) -> bool:
        return self.heads == 0 and self.area == 0


@dataclass
class CompoundProgress:
    compound_id: int | None  # None for the combined figure of a combined decision
    name: str
    total_area: Decimal
    total_heads: int
    cast_area: Decimal
    cast_heads: int
    agree_area: Decimal
    agree_heads: int
    participation_missing: Missing | None
    approval_missing: Missing
    passed: bool
    buildings: list[BuildingProgress] = field(default_factory=list)
    units: int = 0
    delivered_units: int = 0
    combined: bool = False

    @property
    def delivered_percent(self) -> int:
        return self.percent(self.delivered_units, self.units)

    def percent(self, part: Decimal | int, whole: Decimal | int) -> int:
        return int(part * 100 / whole) if whole else 0

    @property
    def area_percent(self) -> int:
        return self.percent(self.cast_area, self.total_area)

    @property
    def heads_percent(self) -> int:
        return self.percent(self.cast_heads, self.total_heads)


@dataclass
class BuildingProgress:
    name: str
    units: int
    cast_units: int
    area: Decimal
    cast_area: Decimal

    @property
    def percent(self) -> int:
        return int(self.cast_units * 100 / self.units) if self.units else 0


def _cents(value: Decimal) -> int:
    return int(value * 100)


def progress(decision: Decision, item: DecisionItem | None = None) -> list[CompoundProgress]:
    """Per compound: what has been cast against each threshold, and exactly how much
    is still missing (e.g. “还需 37 人、2,150.00 m²”), from the same tally as the result.

    Missing approval assumes every further ballot agrees: the least that must still
    come in. For a question with alternatives, the first alternative is shown.
    """
    item = item or decision.items.first()
    if item is None:
        return []
    units, building_of = register_holdings_and_buildings(decision)
    choices = effective_choices(item)
    option = item_tallies(item, units=units, choices=choices)[0]
    rule = PRESETS[item.rule]
    names = dict(decision.compounds.values_list("id", "name"))
    buildings = _building_progress(units, building_of, choices)
    delivered = delivered_entries(decision)
    unit_counts: dict[Hashable, int] = defaultdict(int)
    delivered_counts: dict[Hashable, int] = defaultdict(int)
    for holding in units:
        unit_counts[holding.compound] += 1
        if holding.unit in delivered:
            delivered_counts[holding.compound] += 1
    rows = [
        _group_progress(
            group,
            rule,
            name=names.get(group.compound, ""),  # type: ignore[call-overload]
            buildings=buildings.get(group.compound, []),  # type: ignore[call-overload]
            units=unit_counts[group.compound],
            delivered=delivered_counts[group.compound],
        )
        for group in option.result.outcome.compounds
    ]
    rows.sort(key=lambda row: natural_key(row.name))
    if decision.scope == "combined" and len(rows) > 1:
        # the decision is counted over all compounds together: that figure decides
        rows.insert(
            0,
            _group_progress(
                option.result.outcome.combined,
                rule,
                name=str(_("all compounds together")),
                units=sum(unit_counts.values()),
                delivered=sum(delivered_counts.values()),
                combined=True,
            ),
        )
    return rows


def _group_progress(group, rule, *, name, buildings=(), units=0, delivered=0, combined=False):
    """One group's progress against the rule's thresholds, and what is still missing."""
    total, cast, agree = group.total, group.participating, group.agree
    participation = None
    if rule.participation is not None:
        participation = Missing(
            heads=shortfall(cast.heads, total.heads, rule.participation, strict=False),
            area=Decimal(
                shortfall(_cents(cast.area), _cents(total.area), rule.participation, strict=False)
            )
            / 100,
        )
    grow = rule.approval_base != "total"
    base_heads, base_area = (cast.heads, cast.area) if grow else (total.heads, total.area)
    missing = shortfall_growing if grow else shortfall
    approval = Missing(
        heads=missing(agree.heads, base_heads, rule.approval, strict=rule.approval_strict),
        area=Decimal(
            missing(
                _cents(agree.area), _cents(base_area), rule.approval, strict=rule.approval_strict
            )
        )
        / 100,
    )
    return CompoundProgress(
        compound_id=None if combined else group.compound,
        name=name,
        total_area=total.area,
        total_heads=total.heads,
        cast_area=cast.area,
        cast_heads=cast.heads,
        agree_area=agree.area,
        agree_heads=agree.heads,
        participation_missing=participation,
        approval_missing=approval,
        passed=group.passed,
        buildings=list(buildings),
        units=units,
        delivered_units=delivered,
        combined=combined,
    )


def _building_progress(
    units: list[Holding], building_of: dict[int, str], choices: dict[int, str]
) -> dict[int, list[BuildingProgress]]:
    per: dict[tuple[Hashable, str], BuildingProgress] = {}
    for holding in units:
        key = (holding.compound, building_of.get(holding.unit, "") or "—")  # type: ignore[call-overload]
        row = per.get(key)
        if row is None:
            row = per[key] = BuildingProgress(key[1], 0, 0, Decimal("0.00"), Decimal("0.00"))
        row.units += 1
        row.area += holding.area
        if holding.unit in choices:
            row.cast_units += 1
            row.cast_area += holding.area
    result: dict[int, list[BuildingProgress]] = defaultdict(list)
    for (compound_id, _name), row in sorted(per.items(), key=lambda kv: natural_key(kv[0][1])):
        result[compound_id].append(row)  # type: ignore[index]
    return result


def entries_without_ballot(
    decision: Decision, *, compound_id: int | None = None, building: str | None = None
) -> QuerySet[RegisterEntry]:
    """Units with no effective ballot yet, for door-to-door canvassing."""
    item = decision.items.first()
    voted = Ballot.objects.filter(item=item, entry=OuterRef("pk"), state=BallotState.EFFECTIVE)
    entries = (
        decision.register.filter(excluded=False)
        .annotate(voted=Exists(voted))
        .filter(voted=False)
        .select_related("compound", "canvass")
    )
    if compound_id:
        entries = entries.filter(compound_id=compound_id)
    if building:
        entries = entries.filter(building_name=building)
    return entries


def canvass_of(entry: RegisterEntry) -> Canvass | None:
    return getattr(entry, "canvass", None)


def entries_not_received_online(decision: Decision, entries) -> list[RegisterEntry]:
    """Of these register entries, those whose ballot has no online delivery yet."""
    from ..models import Delivery, DeliveryMethod

    done = set(
        Delivery.objects.filter(
            decision=decision, entry__in=entries, method=DeliveryMethod.ONLINE
        ).values_list("entry_id", flat=True)
    )
    return [entry for entry in entries if entry.pk not in done]


CANVASS_NONE = "none"  # the filter value for units nobody has canvassed yet


def missing_units(
    decision: Decision,
    user,
    *,
    compound_id: int | None = None,
    building: str = "",
    canvass: str = "",
) -> QuerySet[RegisterEntry]:
    """The units without a ballot the user may see by name, filtered by compound,
    building and canvass status, in building and room order, with their owners."""
    from django.db.models import Prefetch

    entries = entries_without_ballot(
        decision, compound_id=compound_id, building=building or None
    ).filter(compound_id__in=compounds_named_for(decision, user))
    if canvass == CANVASS_NONE:
        entries = entries.filter(canvass__isnull=True)
    elif canvass:
        entries = entries.filter(canvass__status=canvass)
    return entries.order_by("compound__name", "building_name", "unit_number").prefetch_related(
        Prefetch(
            "owner_links",
            queryset=RegisterOwner.objects.select_related("owner").order_by("pk"),
        )
    )


@dataclass
class VisitRow:
    entry: RegisterEntry
    names: list[str]
    phones: list[str]


def visit_rows(entries, *, with_phones: bool) -> list[VisitRow]:
    """Who to visit: the frozen names of each unit's owners, and their phones for those
    who may see them (the registry's ``view_owner_contact``)."""
    rows = []
    for entry in entries:
        links = list(entry.owner_links.all())
        rows.append(
            VisitRow(
                entry=entry,
                names=[link.name or link.identifier for link in links],
                phones=[link.owner.phone for link in links if link.owner.phone]
                if with_phones
                else [],
            )
        )
    return rows
