"""Decisions, their frozen register and effective ballots, who may see whose names,
and an owner's receipt."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.sorting import natural_key
from gongzhi.registry import headcount
from gongzhi.registry.headcount import Holding

from ..models import (
    PUBLIC_STATUSES,
    Ballot,
    BallotState,
    Decision,
    DecisionItem,
    DecisionStatus,
    RegisterEntry,
    RegisterOwner,
)


def decisions_managed_by(user) -> QuerySet[Decision]:
    """Decisions the user organises (clerk of the area, sub-district official)."""
    scopes = scopes_for(user)
    base = Decision.objects.select_related("neighbourhood__sub_district")
    if scopes.superuser:
        return base
    return base.filter(
        Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
    )


def decisions_public() -> QuerySet[Decision]:
    return Decision.objects.filter(status__in=PUBLIC_STATUSES).select_related("neighbourhood")


def register_entries(decision: Decision) -> QuerySet[RegisterEntry]:
    return decision.register.select_related("compound")


def holdings(decision: Decision) -> list[Holding]:
    """The frozen register as the counting rules see it (excluded spaces left out)."""
    return register_holdings_and_buildings(decision)[0]


def register_holdings_and_buildings(decision: Decision) -> tuple[list[Holding], dict[int, str]]:
    """One read of the register: its holdings, and each entry's building."""
    owners_of: dict[int, set[int]] = defaultdict(set)
    links = RegisterOwner.objects.filter(entry__decision=decision, entry__excluded=False)
    for entry_id, owner_id in links.values_list("entry_id", "owner_id").iterator(chunk_size=5000):
        owners_of[entry_id].add(owner_id)
    rows = decision.register.filter(excluded=False).values_list(
        "id", "compound_id", "area", "status", "building_name"
    )
    units, buildings = [], {}
    for entry_id, compound_id, area, status, building in rows.iterator(chunk_size=5000):
        units.append(
            Holding(
                compound=compound_id,
                unit=entry_id,
                area=area,
                owners=frozenset(owners_of.get(entry_id, ())),
                developer_held=status in ("unsold", "undelivered"),
            )
        )
        buildings[entry_id] = building
    return units, buildings


def effective_choices(item: DecisionItem) -> dict[int, str]:
    """Register entry id -> the effective choice on this item."""
    return dict(
        Ballot.objects.filter(item=item, state=BallotState.EFFECTIVE).values_list(
            "entry_id", "choice"
        )
    )


def delivered_entries(decision: Decision) -> set[int]:
    """Units with recorded proof of delivery (the paper-trail issue records them)."""
    deliveries = getattr(decision, "deliveries", None)
    if deliveries is None:
        return set()
    return set(deliveries.values_list("entry_id", flat=True))


def entries_of_owner(decision: Decision, user) -> list[RegisterEntry]:
    """The register entries the signed-in owner holds in this decision."""
    owners = scopes_for(user).owners
    if not owners:
        return []
    entries = (
        decision.register.select_related("compound")
        .filter(excluded=False, owner_links__owner_id__in=owners)
        .distinct()
    )
    return sorted(entries, key=lambda e: (e.compound.name, natural_key(e.unit_number)))


def compounds_named_for(decision: Decision, user) -> frozenset[int]:
    """The decision's compounds whose owners the user may see by name — in exports,
    the bundle, evidence files, the drive and the scrutiny page. The same rule as the
    registry's rolls (``registry.view_compound_roll``): organisers see all of theirs,
    a committee member only their own compound's."""
    return frozenset(
        compound.pk
        for compound in decision.compounds.select_related("neighbourhood")
        if user.has_perm("registry.view_compound_roll", compound)
    )


@dataclass(frozen=True)
class Receipt:
    """What a receipt code says about a ballot: when and how it was recorded and
    whether it counts — never the choice."""

    cast_at: object
    channel: str
    counted: bool
    reason: str

    @property
    def channel_label(self) -> str:
        from ..models import Channel

        return str(Channel(self.channel).label)


def receipt_lookup(decision: Decision, code: str) -> Receipt | None:
    """The ballot a receipt code was given for, on the results page and in the API
    alike; None when no ballot of this decision has the code."""
    code = (code or "").strip().upper()[:16]
    if not code or decision.status == DecisionStatus.DRAFT:
        return None
    ballots = list(Ballot.objects.filter(decision=decision, receipt=code).order_by("cast_at", "pk"))
    if not ballots:
        return None
    counted = [b for b in ballots if b.state == BallotState.EFFECTIVE]
    shown = counted[0] if counted else ballots[0]
    return Receipt(
        cast_at=shown.cast_at,
        channel=shown.channel,
        counted=bool(counted),
        reason="" if counted else shown.reason,
    )


def entry_named(
    decision: Decision, *, compound, text: str, building: str = ""
) -> RegisterEntry | None:
    """The register entry a clerk names: "101" where the room is unique in the
    compound, "1号楼 101", or the room with ``building`` given apart. None when no
    such unit; ``ApplicationError`` when the room alone is in several buildings (a
    ballot must never land on the wrong 101)."""
    from django.utils.translation import gettext as _

    from gongzhi.core.errors import ApplicationError

    compound_id = getattr(compound, "pk", compound)
    text = " ".join((text or "").split())
    building = (building or "").strip()
    if not text or compound_id is None:
        return None
    entries = decision.register.filter(compound_id=compound_id).select_related("compound")
    if building:
        return entries.filter(building_name=building, unit_number=text).first()
    exact = list(entries.filter(unit_number=text)[:2])
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ApplicationError(
            _("Room %(unit)s is in several buildings: write the building too, e.g. “%(example)s”.")
            % {"unit": text, "example": exact[0].label}
        )
    if " " in text:
        name, _space, room = text.rpartition(" ")
        return entries.filter(building_name=name, unit_number=room).first()
    return None


def register_totals_json(decision: Decision) -> dict[str, dict[str, object]]:
    """Each compound's totals of the frozen register, counted now, as stored."""
    counted = headcount.count(holdings(decision))
    return {
        str(compound): {"area": f"{totals.area:.2f}", "heads": totals.heads, "units": totals.units}
        for compound, totals in counted.compounds.items()
    }


def register_totals(decision: Decision) -> dict[int, headcount.Totals]:
    """Each compound's totals of the frozen register: as stored when it was frozen or
    corrected, or counted now for a decision frozen before they were stored."""
    stored = decision.register_totals or register_totals_json(decision)
    return {
        int(compound): headcount.Totals(
            area=Decimal(str(figures["area"])),
            heads=int(str(figures["heads"])),
            units=int(str(figures["units"])),
        )
        for compound, figures in stored.items()
    }
