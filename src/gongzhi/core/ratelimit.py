"""Counting attempts per key in a time window, atomically, with a back-off.

An attempt is counted *before* the expensive or secret-revealing check it guards (a
password hash, a voting code, an SMS), under a row lock on the key's counter, so
forty simultaneous attempts are counted one after the other and only ``limit`` of
them get through. ``refund`` gives an attempt back when the check succeeded, so that
people who type their password right do not use up a shared address's allowance.

When a key goes over its limit it is blocked. With ``backoff`` the block doubles
each time the key is blocked again soon after (one window, two, four …), never
beyond ``max_block`` seconds: nobody can lock a person or a shared address out for
good, and a guesser slows down exponentially. Without ``backoff`` (API request
rates) the block lasts until the window ends.

Call ``hit`` outside any transaction that may roll back, or the count rolls back
with it; inside a service's own transaction it counts only what that service
writes, which is what the opinion limit wants.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.db import transaction

from . import clock
from .models import RateCounter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int = 0
    retry_after: int = 0  # seconds until a refused key may try again
    blocked_now: bool = False  # this attempt started a block

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _key_hash(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()


def _seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def hit(
    scope: str,
    key: str,
    *,
    limit: int,
    window: int,
    backoff: bool = True,
    max_block: int | None = None,
    now: dt.datetime | None = None,
) -> Verdict:
    """Count one attempt for ``key``; allowed while at most ``limit`` attempts fell in
    the current window of ``window`` seconds and the key is not blocked."""
    now = clock.now(now)
    span = dt.timedelta(seconds=window)
    longest = dt.timedelta(seconds=max_block if max_block is not None else window * 4)
    key_hash = _key_hash(scope, key)
    with transaction.atomic():
        RateCounter.objects.bulk_create(
            [RateCounter(scope=scope, key_hash=key_hash, window_start=now)],
            ignore_conflicts=True,
        )
        row = RateCounter.objects.select_for_update().get(scope=scope, key_hash=key_hash)
        if row.blocked_until is not None and now < row.blocked_until:
            return Verdict(False, row.count, _seconds(row.blocked_until - now))
        if row.blocked_until is not None and now >= row.blocked_until + span:
            row.strikes = 0  # a whole quiet window after the block: forgiven
        if now >= row.window_start + span:
            row.window_start, row.count = now, 0
        row.count += 1
        if row.count <= limit:
            row.save(update_fields=["window_start", "count", "strikes"])
            return Verdict(True, row.count)
        if backoff:
            row.strikes += 1
            block = min(span * 2 ** (row.strikes - 1), longest)
        else:
            block = row.window_start + span - now
        row.blocked_until = now + block
        row.window_start, row.count = row.blocked_until, 0
        row.save()
        return Verdict(False, limit + 1, _seconds(block), blocked_now=True)


def refund(scope: str, key: str) -> None:
    """Give back one counted attempt (the check it guarded succeeded)."""
    with transaction.atomic():
        row = (
            RateCounter.objects.select_for_update()
            .filter(scope=scope, key_hash=_key_hash(scope, key))
            .first()
        )
        if row is not None and row.count > 0:
            row.count -= 1
            row.save(update_fields=["count"])


def reset(scope: str, key: str) -> None:
    """Forget the key's attempts and strikes (e.g. after a successful sign-in)."""
    RateCounter.objects.filter(scope=scope, key_hash=_key_hash(scope, key)).delete()


def prune(*, now: dt.datetime | None = None, older_than: int = 86400) -> int:
    """Delete counters untouched for ``older_than`` seconds and no longer blocking."""
    now = clock.now(now)
    cutoff = now - dt.timedelta(seconds=older_than)
    stale = RateCounter.objects.filter(window_start__lt=cutoff).exclude(blocked_until__gt=now)
    return stale.delete()[0]


def require(
    scope: str,
    key: str,
    *,
    limit: int,
    window: int,
    backoff: bool = True,
    max_block: int | None = None,
    now: dt.datetime | None = None,
) -> Verdict:
    """Count one attempt like ``hit``; over the limit raise ``RateLimited`` saying when
    to try again."""
    from django.utils.translation import gettext as _

    from .errors import RateLimited

    verdict = hit(
        scope, key, limit=limit, window=window, backoff=backoff, max_block=max_block, now=now
    )
    if not verdict.allowed:
        raise RateLimited(
            _("Too many attempts. Try again in %(minutes)d minutes.")
            % {"minutes": verdict.retry_minutes},
            retry_after=verdict.retry_after,
        )
    return verdict
