"""Results: each item's tally, and the published form of it (with its format)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from gongzhi.core.sorting import natural_key
from gongzhi.registry.headcount import Holding

from ..models import (
    Decision,
    DecisionItem,
    ResultStage,
)
from ..tally import PRESETS, Choice, Outcome, TallyResult, tally
from .decisions import delivered_entries, effective_choices, holdings


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


def passed_by_compound(decision: Decision) -> dict[int, bool] | None:
    """Whether every item passed in each compound, by compound id, from the final
    result (the non-voter clause's outcome where the rules adopt it); None while there
    is no final result. In a combined decision every compound shares the one outcome."""
    result = decision.results.at_stage(ResultStage.FINAL)
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
