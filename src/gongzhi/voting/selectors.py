"""Reads for owners' decisions. Every number comes from ``tally.tally()`` over the
frozen register, so the drive page, the results and the export never disagree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.sorting import natural_key
from gongzhi.registry.headcount import Holding

from .models import (
    PUBLIC_STATUSES,
    Ballot,
    BallotState,
    Canvass,
    Decision,
    DecisionItem,
    DecisionStatus,
    RegisterEntry,
    RegisterOwner,
    ResultStage,
)
from .tally import PRESETS, Choice, Outcome, TallyResult, shortfall, shortfall_growing, tally


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
    return _read_register(decision)[0]


def _read_register(decision: Decision) -> tuple[list[Holding], dict[int, str]]:
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


@dataclass
class OptionTally:
    """The tally of one yes/no question, or of one alternative against the rest."""

    label: str
    key: str
    result: TallyResult


def as_yes_no(choices: dict[int, str], option: str | None) -> dict[Hashable, Choice]:
    """Ballot values as agree/disagree/abstain; for an alternative, agreeing means
    choosing it, and choosing another one or rejecting all means disagreeing."""
    if option is None:
        return {entry: Choice(value) for entry, value in choices.items()}
    mapped: dict[Hashable, Choice] = {}
    for entry, value in choices.items():
        if value == "abstain":
            mapped[entry] = Choice.ABSTAIN
        elif value == option:
            mapped[entry] = Choice.AGREE
        else:
            mapped[entry] = Choice.DISAGREE
    return mapped


def item_tallies(
    item: DecisionItem,
    *,
    units: list[Holding] | None = None,
    delivered: set[int] | None = None,
    choices: dict[int, str] | None = None,
) -> list[OptionTally]:
    """One tally for a yes/no question; one per alternative otherwise."""
    decision = item.decision
    units = holdings(decision) if units is None else units
    delivered = delivered_entries(decision) if delivered is None else delivered
    choices = effective_choices(item) if choices is None else choices
    rule = PRESETS[item.rule]
    options = (
        [(None, "")]
        if not item.options
        else [(f"option:{n}", label) for n, label in enumerate(item.options)]
    )
    return [
        OptionTally(
            label=label,
            key=key or "agree",
            result=tally(
                units,
                as_yes_no(choices, key),
                rule,
                scope=decision.scope,  # type: ignore[arg-type]
                delivered=delivered,
                non_voter_clause=decision.non_voter_clause,
            ),
        )
        for key, label in options
    ]


def outcome_json(outcome: Outcome, names: dict[int, str]) -> dict:
    def group(g):
        data = {
            name: getattr(g, name).as_json()
            for name in (
                "total",
                "participating",
                "agree",
                "disagree",
                "abstain",
                "delivered_not_returned",
            )
        }
        data["mixed"] = {"heads": g.mixed.heads}
        data.update(
            participation_met=g.participation_met, approval_met=g.approval_met, passed=g.passed
        )
        if g.compound is not None:
            data["compound"] = names.get(g.compound, str(g.compound))
        return data

    return {
        "passed": outcome.passed,
        "compounds": sorted(
            (group(g) for g in outcome.compounds), key=lambda d: natural_key(d["compound"])
        ),
        "combined": group(outcome.combined),
    }


# The shape of a published result's data. 1 (no "format" key): a person who chose
# differently on several units counted under abstain. 2: they have their own "mixed"
# headcount. A result is never rewritten; verification compares a recount in the
# format the result was published in.
TALLY_FORMAT = 2


def tally_json_in_format(data: dict, version: int) -> dict:
    """``data`` (the current format) as format ``version`` would have written it."""
    if version >= TALLY_FORMAT:
        return data
    old = {key: value for key, value in data.items() if key != "format"}

    def fold(g: dict) -> dict:
        folded = {key: value for key, value in g.items() if key != "mixed"}
        heads = g.get("mixed", {}).get("heads", 0)
        folded["abstain"] = {**g["abstain"], "heads": g["abstain"]["heads"] + heads}
        return folded

    def outcome(o: dict | None) -> dict | None:
        if o is None:
            return None
        return {
            **o,
            "compounds": [fold(g) for g in o["compounds"]],
            "combined": fold(o["combined"]),
        }

    old["items"] = [
        {
            **item,
            "options": [
                {
                    **option,
                    "without_clause": outcome(option["without_clause"]),
                    "with_clause": outcome(option["with_clause"]),
                }
                for option in item["options"]
            ],
        }
        for item in data["items"]
    ]
    return old


def published_format(data: dict) -> int:
    """The format a stored result was published in."""
    return int(data.get("format", 1))


def decision_tally_json(
    decision: Decision,
    *,
    choices_by_item: dict[int, dict[int, str]] | None = None,
    delivered: set[int] | None = None,
) -> dict:
    """Every item's tally, as stored in a published result.

    ``choices_by_item`` and ``delivered`` replace the database's ballots and
    deliveries, for recounting from the ledger.
    """
    names = dict(decision.compounds.values_list("id", "name"))
    units = holdings(decision)
    delivered = delivered_entries(decision) if delivered is None else delivered
    items = []
    for item in decision.items.all():
        rule = PRESETS[item.rule]
        options = []
        choices = None if choices_by_item is None else choices_by_item.get(item.pk, {})
        for option in item_tallies(item, units=units, delivered=delivered, choices=choices):
            result = option.result
            options.append(
                {
                    "label": option.label,
                    "key": option.key,
                    "passed": result.passed,
                    "without_clause": outcome_json(result.outcome, names),
                    "with_clause": (
                        outcome_json(result.with_non_voter_clause, names)
                        if result.with_non_voter_clause is not None
                        else None
                    ),
                    "clause_changes_outcome": result.clause_changes_outcome,
                }
            )
        items.append(
            {
                "item": item.pk,
                "position": item.position,
                "text": item.text,
                "matter": item.matter,
                "rule": rule.key,
                "article": rule.article,
                "options": options,
                "passed": any(o["passed"] for o in options),
            }
        )
    return {
        "format": TALLY_FORMAT,
        "scope": decision.scope,
        "non_voter_clause": decision.non_voter_clause,
        "excluded_uses": sorted(decision.excluded),
        "items": items,
        "passed": bool(items) and all(i["passed"] for i in items),
    }


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
    units, building_of = _read_register(decision)
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


def canvass_of(entry: RegisterEntry) -> Canvass | None:
    return getattr(entry, "canvass", None)


def passed_by_compound(decision: Decision) -> dict[int, bool] | None:
    """Whether every item passed in each compound, by compound id, from the final
    result (the non-voter clause's outcome where the rules adopt it); None while there
    is no final result. In a combined decision every compound shares the one outcome."""
    result = decision.results.filter(stage=ResultStage.FINAL).first()
    if result is None:
        return None
    ids = dict(decision.compounds.values_list("name", "id"))
    passed = dict.fromkeys(ids.values(), True)
    for item in result.data["items"]:
        here = dict.fromkeys(ids.values(), False)
        for option in item["options"]:
            outcome = option["with_clause"] or option["without_clause"]
            if result.data["scope"] == "combined":
                for key in here:
                    here[key] = here[key] or outcome["combined"]["passed"]
            else:
                for group in outcome["compounds"]:
                    found = ids.get(group["compound"])
                    if found is not None:
                        here[found] = here[found] or group["passed"]
        for key in passed:
            passed[key] = passed[key] and here[key]
    return passed


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


def entries_not_received_online(decision: Decision, entries) -> list[RegisterEntry]:
    """Of these register entries, those whose ballot has no online delivery yet."""
    from .models import Delivery, DeliveryMethod

    done = set(
        Delivery.objects.filter(
            decision=decision, entry__in=entries, method=DeliveryMethod.ONLINE
        ).values_list("entry_id", flat=True)
    )
    return [entry for entry in entries if entry.pk not in done]


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
        from .models import Channel

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
