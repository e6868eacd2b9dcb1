"""The tamper-evident ledger: a per-decision hash chain of ballot events.

Each entry's hash is HMAC-SHA256, keyed with ``GONGZHI_LEDGER_KEY``, over the
previous entry's hash and the canonical JSON (sorted keys, no spaces, UTF-8) of its
sequence number, event name, payload and time. Changing, removing or inserting any
entry changes every hash after it, and the head hash printed on each tally sheet and
published result pins the whole chain.

The key is kept outside the database (in the server's environment), so someone who
can write to the database — a leaked backup restored, an operator's mistake, an
injection — cannot rewrite a chain and compute hashes that verify: with plain
SHA-256 they could, for any decision whose head hash had not yet been printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import Decision, LedgerEntry

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode()


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(
    previous_hash: str, sequence: int, event: str, payload: dict[str, Any], at: dt.datetime
) -> str:
    body = canonical({"seq": sequence, "event": event, "payload": payload, "at": _time(at)})
    key = settings.LEDGER_KEY.encode()
    return hmac.new(key, previous_hash.encode() + body, hashlib.sha256).hexdigest()


def ledger_append(*, decision: Decision, event: str, payload: dict[str, Any]) -> LedgerEntry:
    """Append an event. Call inside the transaction that made the change, with the
    decision row locked (``select_for_update``), so the chain never forks."""
    last = decision.ledger.order_by("-sequence").only("sequence", "hash").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.hash if last else GENESIS
    at = timezone.now()
    # Round-trip through JSON so the stored payload hashes exactly as written.
    stored = json.loads(canonical(payload))
    return LedgerEntry.objects.create(
        decision=decision,
        sequence=sequence,
        event=event,
        payload=stored,
        previous_hash=previous,
        hash=entry_hash(previous, sequence, event, stored, at),
        created_at=at,
    )


def ledger_append_many(
    *, decision: Decision, events: list[tuple[str, dict[str, Any]]]
) -> list[LedgerEntry]:
    """Append several events in order, in one statement (same locking rule)."""
    last = decision.ledger.order_by("-sequence").only("sequence", "hash").first()
    sequence = last.sequence if last else 0
    previous = last.hash if last else GENESIS
    at = timezone.now()
    rows = []
    for event, payload in events:
        sequence += 1
        stored = json.loads(canonical(payload))
        digest = entry_hash(previous, sequence, event, stored, at)
        rows.append(
            LedgerEntry(
                decision=decision,
                sequence=sequence,
                event=event,
                payload=stored,
                previous_hash=previous,
                hash=digest,
                created_at=at,
            )
        )
        previous = digest
    return LedgerEntry.objects.bulk_create(rows, batch_size=1000)


def head_hash(decision: Decision) -> str:
    last = decision.ledger.order_by("-sequence").only("hash").first()
    return last.hash if last else GENESIS


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    message: str

    def __str__(self) -> str:
        return f"#{self.sequence}: {self.message}"


def chain_problems(decision: Decision) -> list[ChainProblem]:
    """Recompute the chain; every entry whose links or hash do not hold."""
    problems: list[ChainProblem] = []
    previous = GENESIS
    expected_sequence = 1
    for entry in decision.ledger.order_by("sequence"):
        if entry.sequence != expected_sequence:
            problems.append(
                ChainProblem(entry.sequence, f"sequence jumps from {expected_sequence - 1}")
            )
        if entry.previous_hash != previous:
            problems.append(ChainProblem(entry.sequence, "does not link to the entry before it"))
        recomputed = entry_hash(
            entry.previous_hash, entry.sequence, entry.event, entry.payload, entry.created_at
        )
        if recomputed != entry.hash:
            problems.append(ChainProblem(entry.sequence, f"{entry.event}: content was changed"))
        previous = entry.hash
        expected_sequence = entry.sequence + 1
    return problems
