"""Reading a roll and a ballots file for the database-free ``gongzhi tally`` command.

Pure: no database. The roll goes through ``registry.roll`` (the same validation as
the import, personal data ignored); ballots have the columns compound, unit and
choice (agree, disagree, abstain, or 同意, 不同意, 反对, 弃权).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from gongzhi.core.i18n import gettext_noop
from gongzhi.core.tabular import TableError, read_table
from gongzhi.registry.headcount import Holding
from gongzhi.registry.roll import RollError, cell_text, parse_roll

from .tally import Choice, parse_choice

BALLOT_COLUMNS = ("compound", "unit", "choice")
BALLOT_ALIASES = {"小区": "compound", "房号": "unit", "表决意见": "choice", "意见": "choice"}

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


@dataclass
class Roll:
    holdings: list[Holding]
    units: set[tuple[str, str]]


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
    for row in result.rows:
        key = (row.compound, row.unit)
        units.add(key)
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
    return Roll(holdings=holdings, units=units)


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
    ballots: dict[Hashable, Choice] = {}
    first_row: dict[tuple[str, str], int] = {}
    errors: list[RollError] = []
    for row_number, cells in table.rows:
        values = {
            column: cell_text(cells[index]) if index < len(cells) else ""
            for column, index in where.items()
        }
        compound, unit, word = values["compound"], values["unit"], values["choice"]
        empty = [c for c in BALLOT_COLUMNS if not values[c]]
        if empty:
            errors.extend(RollError(row_number, c, "", EMPTY, (("column", c),)) for c in empty)
            continue
        key = (compound, unit)
        if key not in roll.units:
            errors.append(
                RollError(
                    row_number, "unit", unit, UNKNOWN_UNIT, (("unit", unit), ("compound", compound))
                )
            )
            continue
        if key in first_row:
            errors.append(
                RollError(row_number, "unit", unit, SECOND_BALLOT, (("row", first_row[key]),))
            )
            continue
        try:
            choice = parse_choice(word)
        except ValueError:
            errors.append(RollError(row_number, "choice", word, UNKNOWN_CHOICE))
            continue
        first_row[key] = row_number
        ballots[key] = choice
    if errors:
        raise TallyInputError(name, errors)
    return ballots
