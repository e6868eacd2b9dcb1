"""Counting attempts per key in a time window, in the shared cache.

The default cache is the database cache, so every web process sees the same
counters; nothing here assumes one process.
"""

from __future__ import annotations

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def attempts(scope: str, key: str) -> int:
    """How many attempts were recorded for this key in the current window."""
    return int(cache.get(_cache_key(scope, key), 0))


def record_attempt(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one attempt; the window starts at the first attempt."""
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def is_limited(scope: str, key: str, *, limit: int) -> bool:
    return attempts(scope, key) >= limit


def reset(scope: str, key: str) -> None:
    cache.delete(_cache_key(scope, key))
