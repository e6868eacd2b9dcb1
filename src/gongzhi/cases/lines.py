"""Reading what clerks type, one entry per line: attendees, action items, committee
members. Pure: no database. Every bad line is reported with its number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gongzhi.core.i18n import gettext_noop

# What clerks write for each party (Chinese, English, or the code).
PARTY_WORDS = {
    "party_branch": ("党组织", "党总支", "党支部", "party branch"),
    "residents_committee": ("居委会", "居民委员会", "residents' committee"),
    "owners_committee": ("业委会", "业主委员会", "owners' committee"),
    "property_company": ("物业", "物业公司", "物业服务企业", "property company"),
    "sub_district": ("街道", "街道办事处", "sub-district"),
    "city_operations": ("城运中心", "city operations centre"),
    "association": ("行业协会", "协会", "industry association"),
    "owners": ("业主", "居民", "居民代表", "owners"),
    "other": ("其他", "other"),
}
ROLE_WORDS = {
    "chair": ("主任", "chair"),
    "vice_chair": ("副主任", "vice-chair", "vice chair"),
    "member": ("委员", "member"),
}

BAD_PARTY = gettext_noop("line %(line)d: unknown party “%(value)s”")
TOO_FEW = gettext_noop("line %(line)d: write %(format)s")
BAD_DATE = gettext_noop("line %(line)d: “%(value)s” is not a date (YYYY-MM-DD)")
BAD_ROLE = gettext_noop("line %(line)d: unknown role “%(value)s” (主任, 副主任 or 委员)")


@dataclass(frozen=True)
class LineError:
    template: str
    params: tuple[tuple[str, object], ...]

    def text(self, translate: Callable[[str], str] = str) -> str:
        return translate(self.template) % dict(self.params)


class LinesError(ValueError):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("; ".join(e.text() for e in errors))
        self.errors = errors

    def text(self, translate: Callable[[str], str] = str) -> str:
        return "; ".join(e.text(translate) for e in self.errors)


@dataclass(frozen=True)
class AttendeeEntry:
    party: str
    organisation: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class ActionEntry:
    title: str
    owner: str
    due_on: dt.date


def _lookup(words: dict[str, tuple[str, ...]], value: str) -> str | None:
    value = value.strip().lower()
    for key, aliases in words.items():
        if value == key or value in (a.lower() for a in aliases):
            return key
    return None


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, [cell.strip() for cell in line.replace("｜", "|").split("|")]


def parse_attendees(text: str) -> list[AttendeeEntry]:
    entries, errors = [], []
    for number, cells in _rows(text):
        if len(cells) < 3 or not cells[2]:
            errors.append(
                LineError(
                    TOO_FEW, (("line", number), ("format", "party | organisation | name | role"))
                )
            )
            continue
        party = _lookup(PARTY_WORDS, cells[0])
        if party is None:
            errors.append(LineError(BAD_PARTY, (("line", number), ("value", cells[0]))))
            continue
        entries.append(AttendeeEntry(party, cells[1], cells[2], cells[3] if len(cells) > 3 else ""))
    if errors:
        raise LinesError(errors)
    return entries


def parse_actions(text: str) -> list[ActionEntry]:
    entries, errors = [], []
    for number, cells in _rows(text):
        if len(cells) < 3 or not cells[0] or not cells[1]:
            errors.append(
                LineError(TOO_FEW, (("line", number), ("format", "what | who | YYYY-MM-DD")))
            )
            continue
        try:
            due = dt.date.fromisoformat(cells[2])
        except ValueError:
            errors.append(LineError(BAD_DATE, (("line", number), ("value", cells[2]))))
            continue
        entries.append(ActionEntry(cells[0], cells[1], due))
    if errors:
        raise LinesError(errors)
    return entries


def parse_members(text: str) -> list[tuple[str, str]]:
    """Committee members as (name, role code)."""
    entries, errors = [], []
    for number, cells in _rows(text):
        if len(cells) < 2 or not cells[0]:
            errors.append(LineError(TOO_FEW, (("line", number), ("format", "name | role"))))
            continue
        role = _lookup(ROLE_WORDS, cells[1])
        if role is None:
            errors.append(LineError(BAD_ROLE, (("line", number), ("value", cells[1]))))
            continue
        entries.append((cells[0], role))
    if errors:
        raise LinesError(errors)
    return entries
