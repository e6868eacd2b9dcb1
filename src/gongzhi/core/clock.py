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


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day where it has none
    (30 November + 3 months = 28 February)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
