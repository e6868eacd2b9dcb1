"""Checks the worker runs every few minutes: reminders and overdue flags.

Time windows are data (``closes_at``, ``due_on``); nothing changes state on a timer.
What runs here only *tells* people — a vote closing within 48 hours, an action item
past its day — and each message carries an event key, so running a check twice, or
on two workers, sends nothing twice.

    @every(minutes=10)
    def remind_closing_votes(now): ...

Apps put their checks in a module named ``periodic``; ``gongzhi worker`` finds them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from . import clock

logger = logging.getLogger(__name__)


@dataclass
class Check:
    name: str
    minutes: int
    function: Callable[[dt.datetime], object]
    last_run: dt.datetime | None = None


_checks: dict[str, Check] = {}


def every(*, minutes: int) -> Callable[[Callable[[dt.datetime], object]], Callable]:
    """Register ``function(now)`` to run at most every ``minutes`` minutes."""

    def register(function: Callable[[dt.datetime], object]) -> Callable[[dt.datetime], object]:
        name = f"{function.__module__}.{function.__qualname__}"
        _checks[name] = Check(name=name, minutes=minutes, function=function)
        return function

    return register


def discover() -> list[Check]:
    autodiscover_modules("periodic")
    return list(_checks.values())


def run_due(now: dt.datetime | None = None, *, force: bool = False) -> list[str]:
    """Run every check whose interval has passed (all of them with ``force``); a
    failing check is logged and does not stop the others."""
    now = clock.now(now)
    ran = []
    for check in discover():
        if (
            not force
            and check.last_run
            and now - check.last_run < dt.timedelta(minutes=check.minutes)
        ):
            continue
        check.last_run = now
        try:
            check.function(now)
        except Exception:
            logger.exception("periodic check %s failed", check.name)
            continue
        ran.append(check.name)
    return ran
