"""core.ratelimit: attempts counted before the check, atomically, with a capped back-off."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from gongzhi.core import ratelimit
from gongzhi.core.models import RateCounter

T0 = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


def at(seconds):
    return T0 + dt.timedelta(seconds=seconds)


pytestmark = pytest.mark.django_db


def test_exactly_limit_attempts_pass_in_a_window():
    verdicts = [ratelimit.hit("s", "k", limit=3, window=60, now=at(n)) for n in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert verdicts[3].blocked_now and not verdicts[4].blocked_now
    assert verdicts[3].retry_after == 60


def test_a_new_window_starts_after_the_old_one_ends():
    for n in range(3):
        assert ratelimit.hit("s", "k", limit=3, window=60, now=at(n)).allowed
    assert ratelimit.hit("s", "k", limit=3, window=60, now=at(60)).allowed


def test_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        ratelimit.hit("s", "a", limit=3, window=60, now=at(0))
    assert not ratelimit.hit("s", "a", limit=3, window=60, now=at(1)).allowed
    assert ratelimit.hit("s", "b", limit=3, window=60, now=at(1)).allowed
    assert ratelimit.hit("t", "a", limit=3, window=60, now=at(1)).allowed


def test_the_block_doubles_when_the_key_is_blocked_again_and_is_capped():
    blocks, t = [], 0
    for _ in range(5):
        for _ in range(2):
            assert ratelimit.hit("s", "k", limit=2, window=60, max_block=300, now=at(t)).allowed
        refused = ratelimit.hit("s", "k", limit=2, window=60, max_block=300, now=at(t))
        assert not refused.allowed
        blocks.append(refused.retry_after)
        # while blocked, nothing gets through, and waiting does not extend the block
        assert not ratelimit.hit("s", "k", limit=2, window=60, now=at(t + 1)).allowed
        t += refused.retry_after
    assert blocks == [60, 120, 240, 300, 300]


def test_a_quiet_window_after_a_block_forgives_the_strikes():
    for _ in range(3):
        ratelimit.hit("s", "k", limit=2, window=60, now=at(0))
    # blocked until 60; quiet until 60 + 60: strikes forgiven, the next block is one window
    for _ in range(2):
        assert ratelimit.hit("s", "k", limit=2, window=60, now=at(120)).allowed
    assert ratelimit.hit("s", "k", limit=2, window=60, now=at(120)).retry_after == 60


def test_without_backoff_the_block_ends_with_the_window():
    ratelimit.hit("s", "k", limit=1, window=60, backoff=False, now=at(0))
    refused = ratelimit.hit("s", "k", limit=1, window=60, backoff=False, now=at(45))
    assert not refused.allowed and refused.retry_after == 15
    assert ratelimit.hit("s", "k", limit=1, window=60, backoff=False, now=at(60)).allowed


def test_refund_gives_an_attempt_back_and_reset_forgets_the_key():
    for _ in range(3):
        ratelimit.hit("s", "k", limit=3, window=60, now=at(0))
    ratelimit.refund("s", "k")
    assert ratelimit.hit("s", "k", limit=3, window=60, now=at(1)).allowed
    assert not ratelimit.hit("s", "k", limit=3, window=60, now=at(2)).allowed
    ratelimit.reset("s", "k")
    assert ratelimit.hit("s", "k", limit=3, window=60, now=at(3)).allowed


def test_keys_are_stored_hashed():
    ratelimit.hit("login-user", "wang.ming", limit=3, window=60)
    row = RateCounter.objects.get()
    assert "wang" not in row.key_hash and len(row.key_hash) == 64


def test_prune_deletes_old_counters_but_keeps_blocks_that_last():
    ratelimit.hit("s", "old", limit=3, window=60, now=at(0))
    ratelimit.hit("s", "blocked", limit=3, window=60, now=at(0))
    RateCounter.objects.filter(count=1).exclude(
        key_hash=RateCounter.objects.order_by("pk").first().key_hash
    ).update(blocked_until=at(3 * 86400))
    assert ratelimit.prune(now=at(2 * 86400)) == 1
    assert RateCounter.objects.get().blocked_until == at(3 * 86400)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_are_counted_one_by_one():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises all writes)")
    attempts = 40
    barrier = threading.Barrier(attempts)
    verdicts = []

    def attempt():
        try:
            barrier.wait()
            verdicts.append(ratelimit.hit("s", "k", limit=5, window=900))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(verdicts) == attempts
    assert sum(v.allowed for v in verdicts) == 5
