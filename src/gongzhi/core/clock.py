"""The one clock of the services.

Every service that depends on the time takes an optional ``now`` so that tests and
the demo can place it anywhere on the calendar; ``clock.now(now)`` is that value, or
the present moment when none was given.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now(at: dt.datetime | None = None) -> dt.datetime:
    """``at`` when given, else the current time (aware, UTC)."""
    return at or timezone.now()


def today(at: dt.datetime | None = None) -> dt.date:
    """The local date (the platform's time zone) of ``at``, or of now."""
    return timezone.localdate(now(at))
