"""Voting codes for owners without an account: issued once, stored as hashes, checked
against the last four digits of the phone under a counted limit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import ratelimit
from gongzhi.core.errors import ApplicationError, PermissionRefused, RateLimited
from gongzhi.core.locks import locked

from ..ledger import ledger_append
from ..models import (
    Decision,
    DecisionStatus,
    OneTimeCode,
    RegisterEntry,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


CODE_LENGTH = 10


CODE_MAX_FAILURES = 5


# --- one-time codes ---------------------------------------------------------


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def codes_issue(
    *, decision: Decision, entries: Sequence[RegisterEntry], actor: User | None
) -> dict[int, str]:
    """New one-time codes for these units (for printing); earlier codes stop working.
    Only hashes are stored: the returned codes exist nowhere else."""
    decision = locked(decision)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        raise ApplicationError(_("Ballots are printed once the decision is announced."))
    codes: dict[int, str] = {}
    for entry in entries:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        OneTimeCode.objects.update_or_create(
            entry=entry,
            defaults={
                "code_hash": code_hash(code),
                "failed_attempts": 0,
                "locked": False,
                "used_at": None,
            },
        )
        codes[entry.pk] = code
    ledger_append(decision=decision, event="codes_issued", payload={"units": sorted(codes)})
    return codes


CODE_SCOPE = "vote-code"


def code_entry(code: str) -> OneTimeCode | None:
    return (
        OneTimeCode.objects.select_related("entry__decision")
        .filter(code_hash=code_hash(code))
        .first()
    )


def _phone_matches(entry: RegisterEntry, phone_last4: str) -> bool:
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if len(digits) != 4:
        return False
    phones = entry.owners.values_list("phone", flat=True)
    return any("".join(ch for ch in phone if ch.isdigit()).endswith(digits) for phone in phones)


def code_attempt(client: str) -> None:
    """Count one attempt with a voting code from this address, before the code is
    looked at; raise RateLimited over the limit. Call outside a transaction."""
    limits = settings.VOTE_CODE_RATE_LIMIT
    verdict = ratelimit.hit(
        CODE_SCOPE,
        client,
        limit=limits["per_address"],
        window=limits["window_seconds"],
        max_block=limits.get("max_block_seconds"),
    )
    if not verdict.allowed:
        raise RateLimited(
            _("Too many attempts from this address. Try again later."),
            retry_after=verdict.retry_after,
        )


def code_attempt_succeeded(client: str) -> None:
    """The code was right: its attempt does not count against the address."""
    ratelimit.refund(CODE_SCOPE, client)


def code_lookup(*, code: str, client: str) -> OneTimeCode | None:
    """The code's record for the voting page, counting a guess of an unknown code
    against the address like any failed attempt."""
    code_attempt(client)
    record = code_entry(code)
    if record is not None:
        code_attempt_succeeded(client)
    return record


def code_verify(*, code: str, phone_last4: str, client: str) -> OneTimeCode:
    """Check a one-time code and the last four digits of an owner's phone.

    The attempt is counted per address before anything is checked (atomically, so
    simultaneous guesses cannot slip past the limit) and given back only when code
    and digits are right. Failures are also counted per code, which locks after
    repeated failures; the code's count is saved before the refusal is raised.
    """
    code_attempt(client)
    failure = ""
    with transaction.atomic():
        record = code_entry(code)
        if record is None:
            raise PermissionRefused(_("This code is not valid."))
        record = OneTimeCode.objects.select_for_update().get(pk=record.pk)
        if record.locked:
            raise PermissionRefused(
                _(
                    "This code is locked after repeated failures. Vote on paper or ask "
                    "the residents' committee."
                )
            )
        if record.used_at is not None:
            raise PermissionRefused(_("This code has already been used."))
        if not _phone_matches(record.entry, phone_last4):
            record.failed_attempts += 1
            record.locked = record.failed_attempts >= CODE_MAX_FAILURES
            record.save(update_fields=["failed_attempts", "locked"])
            failure = (
                _("The code is now locked after repeated failures.")
                if record.locked
                else _("The phone digits do not match an owner of this unit.")
            )
    if failure:  # raised after the block, so the code's failure count is saved
        raise PermissionRefused(failure)
    code_attempt_succeeded(client)
    return record
