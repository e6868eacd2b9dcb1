"""Request rates for the JSON API, counted atomically in the database.

Anonymous callers are counted by their address (``core.net.client_address``: a
forwarded header counts only from our own proxies); callers who are signed in — by
session or by token, on public endpoints as on the others — by their account, in a
bucket of their own. django-ninja's own throttles keep a list in the cache with a
read and a write that concurrent requests can interleave, and read
``X-Forwarded-For`` from anyone; these do neither.
"""

from __future__ import annotations

import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from gongzhi.core import ratelimit
from gongzhi.core.net import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_waits = threading.local()


def parse_rate(rate: str) -> tuple[int, int]:
    """'60/m' -> (60 requests, 60 seconds)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def signed_in_caller(request):
    """The account behind the request, whichever way it signed in, or None."""
    auth = getattr(request, "auth", None)
    if getattr(auth, "is_authenticated", False):
        return auth
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


class _Throttle(BaseThrottle):
    scope = ""
    setting = ""

    def key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        key = self.key(request)
        if key is None:
            return True
        limit, window = parse_rate(settings.API_RATE_LIMITS[self.setting])
        verdict = ratelimit.hit(self.scope, key, limit=limit, window=window, backoff=False)
        _waits.value = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        return getattr(_waits, "value", None) or None


class AnonymousThrottle(_Throttle):
    """Callers who are not signed in, by address."""

    scope, setting = "api-anon", "anonymous"

    def key(self, request) -> str | None:
        return None if signed_in_caller(request) else client_address(request)


class AccountThrottle(_Throttle):
    """Signed-in callers, by account, whatever address they come from."""

    scope, setting = "api-user", "signed_in"

    def key(self, request) -> str | None:
        caller = signed_in_caller(request)
        return None if caller is None else str(caller.pk)
