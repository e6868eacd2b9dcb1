"""Recomputing a decision from its ledger: the chain, the ballots, the results."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .ledger import chain_problems
from .models import Ballot, BallotState, Decision
from .selectors import (
    decision_tally_json,
    published_format,
    register_totals_json,
    tally_json_in_format,
)


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


def register_problems(decision: Decision) -> list[str]:
    """Whether the register in the database is the one the ledger froze.

    The register's digest at the announcement is in the ledger, and so is every
    correction made before voting opened (entry, field, old and new value). Undoing
    those corrections on today's register must give back the frozen digest; and once
    voting opened — after which nothing may change — today's register must have the
    digest recorded then.
    """
    from .services import digest_of_rows, register_rows

    frozen = decision.ledger.filter(event="register_frozen").order_by("sequence").first()
    if frozen is None:
        return []
    version = frozen.payload.get("digest_version", 1)
    rows = register_rows(decision)
    problems = []
    opened = decision.ledger.filter(event="opened").order_by("sequence").first()
    if opened is not None and "register" in opened.payload:
        if (
            digest_of_rows(rows, opened.payload.get("digest_version", 1))
            != opened.payload["register"]
        ):
            problems.append("the register was changed after voting opened")
    corrections = list(
        decision.ledger.filter(event="register_corrected")
        .order_by("-sequence")
        .values_list("payload", flat=True)
    )
    as_frozen = {entry: dict(row) for entry, row in rows.items()}
    for correction in corrections:
        row = as_frozen.get(correction["entry"])
        if row is None:
            continue
        old = correction["old"]
        row[correction["field"]] = Decimal(old) if correction["field"] == "area" else old
    if digest_of_rows(as_frozen, version) != frozen.payload["digest"]:
        problems.append(
            "the register differs from the one frozen at the announcement "
            f"(after undoing its {len(corrections)} recorded correction(s))"
        )
    if decision.register_totals and decision.register_totals != register_totals_json(decision):
        problems.append("the register's stored totals differ from a count of the register")
    return problems


def verify_decision(decision: Decision) -> Verification:
    report = Verification(entries=decision.ledger.count())
    report.problems += [f"ledger {problem}" for problem in chain_problems(decision)]
    report.problems += register_problems(decision)
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
    from .services import evidence_intact

    for evidence in decision.evidence.all():
        if not evidence_intact(evidence):
            report.problems.append(
                f"{evidence.get_kind_display()} {evidence.original_name} "
                f"(uploaded {evidence.uploaded_at:%Y-%m-%d %H:%M}): the file no longer has "
                f"the hash recorded when it was uploaded"
            )
    for result in decision.results.in_order():
        published = decision.ledger.filter(hash=result.head_hash).first()
        if published is None:
            report.problems.append(f"the {result.stage} result's head hash is not in the ledger")
            continue
        # Recount from the ledger as it stood when the result was published.
        recount = recount_from_ledger(decision, before=published.sequence)
        if tally_json_in_format(recount, published_format(result.data)) != result.data:
            report.problems.append(
                f"the published {result.stage} result differs from a recount of the ledger"
            )
    return report
