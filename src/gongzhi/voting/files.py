"""Reading a roll and a ballots file for the database-free ``gongzhi tally`` command.

Pure: no database. The roll goes through ``registry.roll`` (the same validation as
the import, personal data ignored); ballots have the columns compound, unit and
choice (agree, disagree, abstain, or 同意, 不同意, 反对, 弃权), and building where
rooms are numbered per building. A ballot without a building names its room alone,
which must then be unique in its compound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from gongzhi.core.i18n import gettext_noop
from gongzhi.core.tabular import TableError, read_table
from gongzhi.registry.headcount import Holding
from gongzhi.registry.roll import AMBIGUOUS_UNIT, RollError, cell_text, parse_roll, unit_label

from .tally import Choice, parse_choice

BALLOT_COLUMNS = ("compound", "unit", "choice")
BALLOT_ALIASES = {
    "小区": "compound",
    "房号": "unit",
    "表决意见": "choice",
    "意见": "choice",
    "楼栋": "building",
    "楼号": "building",
    "幢": "building",
}

UNKNOWN_UNIT = gettext_noop("unit %(unit)s of %(compound)s is not on the roll")
SECOND_BALLOT = gettext_noop("a second ballot for this unit (first on row %(row)d)")
UNKNOWN_CHOICE = gettext_noop(
    "unknown choice; allowed: agree, disagree, abstain, 同意, 不同意, 反对, 弃权"
)
MISSING = gettext_noop("required column is missing")
EMPTY = gettext_noop("the %(column)s is missing")


class TallyInputError(ValueError):
    """Bad input: the file and every bad row, with row, column, unit and value."""

    def __init__(self, file: str, errors: list[RollError]) -> None:
        super().__init__(file)
        self.file = file
        self.errors = errors

    def lines(self, translate: Callable[[str], str] = str) -> list[str]:
        return [f"{self.file}: {error.text(translate)}" for error in self.errors]


UnitKey = tuple[str, str, str]  # compound, building, room


@dataclass
class Roll:
    holdings: list[Holding]
    units: set[UnitKey]
    by_room: dict[tuple[str, str], list[UnitKey]]


def read_roll(path: str | Path, *, exclude_uses: frozenset[str] = frozenset()) -> Roll:
    name = Path(path).name
    try:
        result = parse_roll(read_table(path), with_personal_data=False)
    except TableError as exc:
        raise TallyInputError(
            name, [RollError(0, "-", "", exc.template, tuple(exc.params.items()))]
        ) from exc
    if result.errors:
        raise TallyInputError(name, result.errors)
    holdings = []
    units = set()
    by_room: dict[tuple[str, str], list[UnitKey]] = {}
    for row in result.rows:
        key = row.key
        units.add(key)
        by_room.setdefault((row.compound, row.unit), []).append(key)
        if row.use in exclude_uses:
            continue
        holdings.append(
            Holding(
                compound=row.compound,
                unit=key,
                area=row.area,
                owners=frozenset(owner.identifier for owner in row.owners),
                developer_held=row.developer_held,
            )
        )
    return Roll(holdings=holdings, units=units, by_room=by_room)


def read_ballots(path: str | Path, roll: Roll) -> dict[Hashable, Choice]:
    """Ballots keyed like the roll's holdings; every bad row is reported."""
    name = Path(path).name
    try:
        table = read_table(path)
    except TableError as exc:
        raise TallyInputError(
            name, [RollError(0, "-", "", exc.template, tuple(exc.params.items()))]
        ) from exc
    header = [BALLOT_ALIASES.get(column, column) for column in table.header]
    missing = [c for c in BALLOT_COLUMNS if c not in header]
    if missing:
        raise TallyInputError(name, [RollError(1, c, "", MISSING) for c in missing])
    where = {column: header.index(column) for column in BALLOT_COLUMNS}
    if "building" in header:
        where["building"] = header.index("building")
    names = dict(zip(header, table.header, strict=True))  # the file's own column names
    ballots: dict[Hashable, Choice] = {}
    first_row: dict[UnitKey, int] = {}
    errors: list[RollError] = []
    for row_number, cells in table.rows:
        values = {
            column: cell_text(cells[index]) if index < len(cells) else ""
            for column, index in where.items()
        }
        compound, unit, word = values["compound"], values["unit"], values["choice"]
        building = values.get("building", "")
        label = unit_label(building, unit) if unit else ""
        empty = [c for c in BALLOT_COLUMNS if not values[c]]
        if empty:
            errors.extend(
                RollError(row_number, names[c], "", EMPTY, (("column", names[c]),), unit=label)
                for c in empty
            )
            continue
        if "building" in where:
            key: UnitKey | None = (compound, building, unit)
            candidates = [key] if key in roll.units else []
        else:
            candidates = roll.by_room.get((compound, unit), [])
            key = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1:
            errors.append(
                RollError(
                    row_number,
                    names["unit"],
                    unit,
                    AMBIGUOUS_UNIT,
                    (("unit", unit), ("compound", compound)),
                    unit=label,
                )
            )
            continue
        if key is None or key not in roll.units:
            errors.append(
                RollError(
                    row_number,
                    names["unit"],
                    unit,
                    UNKNOWN_UNIT,
                    (("unit", label), ("compound", compound)),
                )
            )
            continue
        if key in first_row:
            errors.append(
                RollError(
                    row_number,
                    names["unit"],
                    unit,
                    SECOND_BALLOT,
                    (("row", first_row[key]),),
                    unit=label,
                )
            )
            continue
        try:
            choice = parse_choice(word)
        except ValueError:
            errors.append(RollError(row_number, names["choice"], word, UNKNOWN_CHOICE, unit=label))
            continue
        first_row[key] = row_number
        ballots[key] = choice
    if errors:
        raise TallyInputError(name, errors)
    return ballots
