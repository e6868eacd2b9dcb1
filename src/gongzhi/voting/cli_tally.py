"""``gongzhi tally``: tally paper ballots from spreadsheets, without a database.

Runs without Django (``gongzhi.cli`` dispatches here before Django starts), so a
committee's laptop answers in a second. Large CSV files take a fast path that
streams the roll straight into ``tally.Accumulator``; anything the fast path does
not recognise at a glance (an XLSX file, a Chinese status word, a suspicious
cell…) sends the whole input through the full validation of ``registry.roll``
and ``voting.files``, which either accepts it or names every bad row. Both paths
count through the same accumulator; a test checks they agree.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import re
import sys
from collections.abc import Callable, Hashable, Sequence
from itertools import compress, groupby, repeat
from operator import contains, itemgetter, methodcaller, not_
from pathlib import Path

from gongzhi.core.i18n import translator
from gongzhi.core.tabular import OLE2_MAGIC, XLSX_MAGIC, TableError, decode_text
from gongzhi.registry.roll import HEADER_ALIASES

from .files import BALLOT_ALIASES, TallyInputError, read_ballots, read_roll
from .tally import (
    CHOICE_WORDS,
    PRESETS,
    SCOPES,
    Accumulator,
    Choice,
    GroupResult,
    TallyResult,
    tally,
)

DEVELOPER = "developer"


def compute(
    roll: Path, ballots: Path, rule: str, scope: str, exclude_uses: frozenset[str]
) -> TallyResult:
    """The tally of a roll and a ballots file; TallyInputError on bad input."""
    accumulator = _fast(roll, ballots, exclude_uses)
    if accumulator is not None:
        return accumulator.result(PRESETS[rule], scope=scope)  # type: ignore[arg-type]
    full_roll = read_roll(roll, exclude_uses=exclude_uses)
    votes = read_ballots(ballots, full_roll)
    return tally(full_roll.holdings, votes, PRESETS[rule], scope=scope)  # type: ignore[arg-type]


def _csv_table(path: Path) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a plain CSV file, or None where the fast path steps aside."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.startswith(XLSX_MAGIC) or data.startswith(OLE2_MAGIC):
        return None
    try:
        text = decode_text(data, name=path.name)
    except TableError:
        return None
    # Blanks around a cell: the full path strips them, this one does not.
    if text[:1] in (" ", "\t") or any(pad in text for pad in PADDING):
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    if not rows:
        return None
    header = [cell.strip().lower() for cell in rows[0]]
    body = list(filter(None, rows[1:]))  # csv gives [] for a blank line
    if body and set(map(len, body)) != {len(header)}:
        return None
    return header, body


PADDING = (", ", " ,", "\n ", " \n", " \r", "\t")
AREAS = re.compile(r"(?:\d{1,10}(?:\.\d{1,2})?\n)*\d{1,10}(?:\.\d{1,2})?")
# The usual case: every area written with exactly two decimals.
AREAS_TWO_DECIMALS = re.compile(r"(?:\d{1,10}\.\d\d\n)*\d{1,10}\.\d\d")
DEVELOPER_STATUSES = frozenset({"unsold", "undelivered"})


def _unit_key(building: str, unit: str) -> str:
    """A unit's key within its compound on the fast path: building and room."""
    return f"{building}\x1f{unit}"


def _cents(area: str) -> int:
    """Hundredths of m² of an area already matched by AREAS: exact, no float."""
    whole, _, fraction = area.partition(".")
    return int(whole) * 100 + int(fraction.ljust(2, "0") or "0")


def _owner_set(owners: str) -> frozenset[str] | None:
    parts = owners.split(";")
    owner_set = frozenset(parts)
    if "" in owner_set or len(owner_set) != len(parts):
        return None
    return owner_set


def _fast(roll: Path, ballots: Path, exclude_uses: frozenset[str]) -> Accumulator | None:
    """Read well-formed CSV files column by column; None sends everything to the
    full validation, which accepts the input or names every bad row."""
    table = _csv_table(ballots)
    if table is None:
        return None
    header, rows = table
    header = [BALLOT_ALIASES.get(c, c) for c in header]
    if not {"compound", "unit", "choice"} <= set(header):
        return None

    def column(name: str) -> list[str]:
        return list(map(itemgetter(header.index(name)), rows))

    ballot_compounds, ballot_units = column("compound"), column("unit")
    ballots_have_buildings = "building" in header
    if ballots_have_buildings:
        ballot_units = list(map(_unit_key, column("building"), ballot_units))
    choices = list(map(CHOICE_WORDS.get, column("choice")))
    if None in choices or "" in ballot_compounds or "" in ballot_units:
        return None
    votes: dict[str, dict[str, Choice]] = {}
    start = 0
    for compound, run in groupby(ballot_compounds):
        end = start + len(list(run))
        here = votes.setdefault(compound, {})
        before = len(here)
        here.update(zip(ballot_units[start:end], choices[start:end], strict=True))  # type: ignore[arg-type]
        if len(here) != before + end - start:
            return None  # two ballots for one unit
        start = end

    table = _csv_table(roll)
    if table is None:
        return None
    header, rows = table
    header = [HEADER_ALIASES.get(c, c) for c in header]
    if not rows or not {"compound", "unit", "area", "owners"} <= set(header):
        return None
    if len(set(header) - {""}) != len([c for c in header if c]):
        return None  # a repeated column: the full validation says which
    compounds, units = column("compound"), column("unit")
    if "" in compounds or "" in units:
        return None
    if ballots_have_buildings:
        if "building" not in header:
            return None
        units = list(map(_unit_key, column("building"), units))
    # Ballots naming rooms alone key units by room: a room repeated in a compound
    # (1号楼 101, 2号楼 101) fails the uniqueness check below, and the full path then
    # says which ballot is ambiguous.
    # Units unique within their compound, every ballot's unit on the roll; this
    # path wants each compound's rows together (exports are), else it steps aside.
    start, seen = 0, set[str]()
    for compound, run in groupby(compounds):
        end = start + len(list(run))
        if compound in seen:
            return None
        seen.add(compound)
        unit_set = set(units[start:end])
        if len(unit_set) != end - start or not unit_set.issuperset(votes.get(compound, {})):
            return None
        start = end
    if not seen.issuperset(votes):
        return None
    areas = column("area")
    joined = "\n".join(areas)
    if AREAS_TWO_DECIMALS.fullmatch(joined):
        cents = list(map(int, map(methodcaller("replace", ".", ""), areas)))
    elif AREAS.fullmatch(joined):
        cents = list(map(_cents, areas))
    else:
        return None
    if min(cents) <= 0:
        return None
    statuses = column("status") if "status" in header else ["sold"] * len(rows)
    statuses = ["sold" if s == "" else s for s in statuses] if "" in statuses else statuses
    if not set(statuses) <= {"sold", *DEVELOPER_STATUSES}:
        return None
    owners = column("owners")
    if "；" in "".join(owners):
        return None  # full-width separators: the full path normalises them
    # One owner: the identifier itself is the person's key.
    persons: list[Hashable] = list(owners)
    positions = range(len(owners))
    for index in compress(positions, map(not_, owners)) if "" in owners else ():
        if statuses[index] not in DEVELOPER_STATUSES:
            return None
        # SPC Art. 9: the developer's units naming no owner are one person.
        persons[index] = (DEVELOPER, compounds[index])
    for index in compress(positions, map(contains, owners, repeat(";"))):
        owner_set = _owner_set(owners[index])
        if owner_set is None:
            return None
        persons[index] = owner_set  # the same owner set, any order, is one person
    if "use" in header:
        uses = column("use")
        if not set(uses) <= {"", "residential", "commercial", "parking"}:
            return None
        if exclude_uses & set(uses):
            kept = [use not in exclude_uses for use in uses]
            compounds = list(compress(compounds, kept))
            units = list(compress(units, kept))
            cents = list(compress(cents, kept))
            persons = list(compress(persons, kept))
    accumulator = Accumulator(votes)  # type: ignore[arg-type]
    accumulator.add_columns(compounds, units, cents, persons)
    return accumulator


# --- output ---------------------------------------------------------------


def group_json(group: GroupResult, *, with_compound: bool) -> dict[str, object]:
    data: dict[str, object] = {"compound": group.compound} if with_compound else {}
    for name in ("total", "participating", "agree", "disagree", "abstain"):
        data[name] = getattr(group, name).as_json()
    data["participation_met"] = group.participation_met
    data["approval_met"] = group.approval_met
    data["passed"] = group.passed
    return data


def result_json(result: TallyResult) -> dict[str, object]:
    outcome = result.outcome
    return {
        "rule": result.rule.key,
        "scope": result.scope,
        "passed": outcome.passed,
        "compounds": [group_json(g, with_compound=True) for g in outcome.compounds],
        "combined": group_json(outcome.combined, with_compound=False),
    }


HEADINGS = [
    "小区 Compound",
    "总面积 Total m²",
    "总人数 Heads",
    "参与面积 Part. m²",
    "参与人数 Part.",
    "同意面积 Agree m²",
    "同意人数 Agree",
    "不同意 Disagree m²/heads",
    "弃权 Abstain m²/heads",
    "参与达标 Part. met",
    "同意达标 Approval met",
    "通过 Passed",
]


def _yes_no(value: bool) -> str:
    return "是 yes" if value else "否 no"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def result_table(result: TallyResult) -> str:
    rows = []
    for group in [*result.outcome.compounds, result.outcome.combined]:
        rows.append(
            [
                str(group.compound) if group.compound is not None else "合计 Combined",
                f"{group.total.area:,.2f}",
                str(group.total.heads),
                f"{group.participating.area:,.2f}",
                str(group.participating.heads),
                f"{group.agree.area:,.2f}",
                str(group.agree.heads),
                f"{group.disagree.area:,.2f} / {group.disagree.heads}",
                f"{group.abstain.area:,.2f} / {group.abstain.heads}",
                _yes_no(group.participation_met),
                _yes_no(group.approval_met),
                _yes_no(group.passed),
            ]
        )
    widths = [max(_width(cell) for cell in column) for column in zip(HEADINGS, *rows, strict=True)]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in [HEADINGS, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    verdict = "通过 PASSED" if result.outcome.passed else "未通过 NOT PASSED"
    lines += ["", f"{result.rule.key} ({result.rule.article}), scope {result.scope}: {verdict}"]
    return "\n".join(line.rstrip() for line in lines)


# --- command line ---------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongzhi tally",
        description=(
            "Tally an owners' decision from a roll and a ballots file (CSV in UTF-8 or GBK, "
            "or XLSX) by the legal double majority of area and headcount. Needs no database. "
            "Exit 0 when the tally was computed, passed or not; exit 2 on bad input."
        ),
    )
    parser.add_argument(
        "--roll",
        required=True,
        type=Path,
        help="compound, building (optional), unit, area, owners, status",
    )
    parser.add_argument(
        "--ballots", required=True, type=Path, help="compound, building (optional), unit, choice"
    )
    parser.add_argument("--rule", required=True, choices=sorted(PRESETS))
    parser.add_argument("--scope", default="each", choices=SCOPES)
    parser.add_argument("--format", default="table", choices=["json", "table"])
    parser.add_argument(
        "--exclude-use",
        action="append",
        default=[],
        choices=["residential", "commercial", "parking"],
        help="space types the rules of procedure exclude from area and headcount",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: Callable[[str], object] | None = None,
    err: Callable[[str], object] | None = None,
) -> int:
    out = out or (lambda text: print(text))
    err = err or (lambda text: print(text, file=sys.stderr))
    args = build_parser().parse_args(argv)
    # Millions of small lists and tuples, none of them cyclic: the cyclic garbage
    # collector would only rescan them again and again (it doubles the time).
    gc.disable()
    try:
        result = compute(
            args.roll, args.ballots, args.rule, args.scope, frozenset(args.exclude_use)
        )
    except TallyInputError as exc:
        for line in exc.lines(translator()):
            err(line)
        return 2
    finally:
        gc.enable()
    if args.format == "json":
        out(json.dumps(result_json(result), ensure_ascii=False))
    else:
        out(result_table(result))
    return 0
