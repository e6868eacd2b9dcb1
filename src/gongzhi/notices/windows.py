"""Minimum display windows of public notices. Pure: no database.

    kind        minimum                                        source
    assembly    up at least 15 days before the assembly/vote   物业管理条例 Art. 14
                and until it
    ranking     at least 3 days                                招标投标法实施条例 Art. 54
    result      at least 7 days                                common rules of procedure
    audit       at least 30 days                               the sub-district's audit rules

"At least N days" is inclusive: a window of exactly N days is enough. A shorter
window needs a recorded reason (an override), never a silent exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from gongzhi.core.i18n import gettext_noop


@dataclass(frozen=True)
class Minimum:
    days: int
    before_event: bool = False
    source: str = ""


MINIMUMS: dict[str, Minimum] = {
    "assembly": Minimum(15, before_event=True, source="物业管理条例 Art. 14"),
    "ranking": Minimum(3, source="招标投标法实施条例 Art. 54"),
    "result": Minimum(7, source="rules of procedure"),
    "audit": Minimum(30, source="audit rules"),
}

ORDER = gettext_noop("The notice must be taken down after it goes up.")
TOO_SHORT = gettext_noop(
    "A notice of this kind stays up at least %(days)d days (%(source)s); this one "
    "is up for %(actual)s."
)
NO_EVENT = gettext_noop("Give the date of the assembly or vote this notice announces.")
TOO_LATE = gettext_noop(
    "The notice must be up at least %(days)d days before the assembly or vote "
    "(%(source)s); it goes up %(actual)s before."
)
DOWN_EARLY = gettext_noop("The notice must stay up until the assembly or vote.")


@dataclass(frozen=True)
class Problem:
    template: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, translate: Callable[[str], str] = str) -> str:
        message = translate(self.template)
        return message % dict(self.params) if self.params else message


def _days(delta: dt.timedelta) -> str:
    """A duration in days, to the hour: 2 d 23 h."""
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours % 24 else f"{hours // 24} d"


def window_problems(
    kind: str,
    display_from: dt.datetime,
    display_until: dt.datetime,
    event_at: dt.datetime | None = None,
) -> list[Problem]:
    """What is wrong with a notice's window for its kind; empty when it is lawful."""
    if display_until <= display_from:
        return [Problem(ORDER)]
    minimum = MINIMUMS.get(kind)
    if minimum is None:
        return []
    need = dt.timedelta(days=minimum.days)
    params = (("days", minimum.days), ("source", minimum.source))
    if minimum.before_event:
        if event_at is None:
            return [Problem(NO_EVENT)]
        problems = []
        if event_at - display_from < need:
            actual = _days(event_at - display_from)
            problems.append(Problem(TOO_LATE, (*params, ("actual", actual))))
        if display_until < event_at:
            problems.append(Problem(DOWN_EARLY))
        return problems
    if display_until - display_from < need:
        return [Problem(TOO_SHORT, (*params, ("actual", _days(display_until - display_from))))]
    return []
