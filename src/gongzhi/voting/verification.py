"""Recomputing a decision from its ledger: the chain, the ballots, the results."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ledger import chain_problems
from .models import Ballot, BallotState, Decision
from .selectors import decision_tally_json


@dataclass
class Verification:
    entries: int = 0
    ballots: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def effective_from_ledger(
    decision: Decision, *, before: int | None = None
) -> dict[tuple[int, int], tuple[int, str]]:
    """(entry, item) -> (ballot id, choice) as the ledger's ballot events leave them,
    optionally only the events before sequence number ``before``."""
    events = decision.ledger.filter(event="ballot").order_by("sequence")
    if before is not None:
        events = events.filter(sequence__lt=before)
    state: dict[int, dict] = {}
    for payload in events.values_list("payload", flat=True):
        state[payload["ballot"]] = payload
    return {
        (p["entry"], p["item"]): (ballot_id, p["choice"])
        for ballot_id, p in state.items()
        if p["state"] == BallotState.EFFECTIVE
    }


def recount_from_ledger(decision: Decision, *, before: int) -> dict:
    """The tally as the ledger stood before an entry: its ballots and deliveries."""
    by_item: dict[int, dict[int, str]] = {}
    for (entry_id, item_id), (_ballot, choice) in effective_from_ledger(
        decision, before=before
    ).items():
        by_item.setdefault(item_id, {})[entry_id] = choice
    delivered = {
        payload["entry"]
        for payload in decision.ledger.filter(event="delivery", sequence__lt=before).values_list(
            "payload", flat=True
        )
    }
    return decision_tally_json(decision, choices_by_item=by_item, delivered=delivered)


def verify_decision(decision: Decision) -> Verification:
    report = Verification(entries=decision.ledger.count())
    report.problems += [f"ledger {problem}" for problem in chain_problems(decision)]
    from_ledger = effective_from_ledger(decision)
    in_database = {
        (entry, item): (pk, choice)
        for pk, entry, item, choice in Ballot.objects.filter(
            decision=decision, state=BallotState.EFFECTIVE
        ).values_list("pk", "entry_id", "item_id", "choice")
    }
    report.ballots = len(in_database)
    for key in sorted(set(from_ledger) | set(in_database)):
        ledger_side, database_side = from_ledger.get(key), in_database.get(key)
        if ledger_side != database_side:
            report.problems.append(
                f"ballot for register entry {key[0]}, item {key[1]}: "
                f"ledger says {ledger_side or 'none'}, database says {database_side or 'none'}"
            )
    from .papertrail import evidence_intact

    for evidence in decision.evidence.all():
        if not evidence_intact(evidence):
            report.problems.append(
                f"{evidence.get_kind_display()} {evidence.original_name} "
                f"(uploaded {evidence.uploaded_at:%Y-%m-%d %H:%M}): the file no longer has "
                f"the hash recorded when it was uploaded"
            )
    for result in decision.results.order_by("published_at"):
        published = decision.ledger.filter(hash=result.head_hash).first()
        if published is None:
            report.problems.append(f"the {result.stage} result's head hash is not in the ledger")
            continue
        # Recount from the ledger as it stood when the result was published.
        if recount_from_ledger(decision, before=published.sequence) != result.data:
            report.problems.append(
                f"the published {result.stage} result differs from a recount of the ledger"
            )
    return report
