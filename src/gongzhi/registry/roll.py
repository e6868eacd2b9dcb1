"""Reading an owners' roll (房屋及业主清册): one row per unit.

Pure: turns a table (``core.tabular``) into validated rows, or a list of every bad
row with its row number, column and value. Nothing is written anywhere; the import
service writes only when the whole file is valid (all or nothing), and the
database-free ``tally`` command reads rolls through the same function.

A unit is identified by its compound, its building and its room number: rolls
number rooms per building (1号楼 101 and 2号楼 101), so the building is part of the
unit's name wherever it is given. Every error names the row, the column as the file
wrote it (a Chinese header stays Chinese), the unit and the value.

Required columns: compound, unit, area, owners (owner identifiers separated by
``;``, empty only for a developer-held unit). Optional: status (sold, unsold,
undelivered; default sold), building, area_source (register, survey, contract;
default register), use (residential, commercial, parking; default residential),
owner_names, phones, id_numbers, owner_kinds (each ``;``-separated, in the order of
``owners``). Chinese headers and values are accepted as well.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Final

from gongzhi.core.i18n import gettext_noop
from gongzhi.core.identifiers import InvalidIdentifier, validate_id_number
from gongzhi.core.tabular import Cell, Table

REQUIRED_COLUMNS: Final = ("compound", "unit", "area", "owners")
OPTIONAL_COLUMNS: Final = (
    "building",
    "status",
    "area_source",
    "use",
    "owner_names",
    "phones",
    "id_numbers",
    "owner_kinds",
)

# The Chinese name of each column, for the roll template and for messages about a
# column missing from a file with Chinese headers.
CHINESE_NAMES: Final[dict[str, str]] = {
    "compound": "小区",
    "building": "楼栋",
    "unit": "房号",
    "area": "面积",
    "owners": "业主",
    "status": "状态",
    "area_source": "面积来源",
    "use": "用途",
    "owner_names": "业主姓名",
    "phones": "联系电话",
    "id_numbers": "身份证号",
    "owner_kinds": "业主类型",
}

HEADER_ALIASES: Final[dict[str, str]] = {
    "小区": "compound",
    "小区名称": "compound",
    "房号": "unit",
    "房屋": "unit",
    "室号": "unit",
    "门牌号": "unit",
    "面积": "area",
    "专有部分面积": "area",
    "建筑面积": "area",
    "业主": "owners",
    "业主编号": "owners",
    "楼号": "building",
    "楼栋": "building",
    "幢": "building",
    "幢号": "building",
    "状态": "status",
    "面积来源": "area_source",
    "用途": "use",
    "业主姓名": "owner_names",
    "姓名": "owner_names",
    "电话": "phones",
    "联系电话": "phones",
    "手机": "phones",
    "身份证号": "id_numbers",
    "证件号码": "id_numbers",
    "业主类型": "owner_kinds",
}

STATUS_VALUES: Final[dict[str, str]] = {
    "sold": "sold",
    "已售": "sold",
    "unsold": "unsold",
    "未售": "unsold",
    "undelivered": "undelivered",
    "未交付": "undelivered",
}
DEVELOPER_HELD_STATUSES: Final = frozenset({"unsold", "undelivered"})
AREA_SOURCE_VALUES: Final[dict[str, str]] = {
    "register": "register",
    "登记": "register",
    "survey": "survey",
    "实测": "survey",
    "contract": "contract",
    "合同": "contract",
}
USE_VALUES: Final[dict[str, str]] = {
    "residential": "residential",
    "住宅": "residential",
    "commercial": "commercial",
    "商业": "commercial",
    "非住宅": "commercial",
    "parking": "parking",
    "车位": "parking",
}
OWNER_KIND_VALUES: Final[dict[str, str]] = {
    "person": "person",
    "个人": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "单位": "organisation",
}

MAX_AREA: Final = Decimal("9999999999.99")
# The registry's field lengths: a longer cell is refused, never cut.
MAX_CELL: Final[dict[str, int]] = {"compound": 100, "unit": 50, "building": 50}
MAX_LISTED: Final[dict[str, int]] = {"owners": 64, "owner_names": 200, "phones": 40}
CENT: Final = Decimal("0.01")
SEPARATOR: Final = ";"


@dataclass(frozen=True, slots=True)
class OwnerEntry:
    identifier: str
    name: str = ""
    phone: str = ""
    id_number: str = ""
    kind: str = "person"


@dataclass(frozen=True, slots=True)
class RollRow:
    row: int
    compound: str
    unit: str
    area: Decimal
    owners: tuple[OwnerEntry, ...]
    status: str = "sold"
    building: str = ""
    area_source: str = "register"
    use: str = "residential"

    @property
    def developer_held(self) -> bool:
        return self.status in DEVELOPER_HELD_STATUSES

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the unit: compound, building (may be empty), room."""
        return (self.compound, self.building, self.unit)

    @property
    def label(self) -> str:
        return unit_label(self.building, self.unit)


def unit_label(building: str, unit: str) -> str:
    """A unit as people name it: "1号楼 101", or "101" where there are no buildings."""
    return f"{building} {unit}" if building else unit


# Messages are English templates marked for translation (gettext_noop keeps this
# module free of Django at run time); ``RollError.text`` translates them.
AREA_MISSING = gettext_noop("the area is missing")
AREA_NOT_A_NUMBER = gettext_noop("the area is not a number")
AREA_NOT_POSITIVE = gettext_noop("the area must be greater than zero")
AREA_TOO_PRECISE = gettext_noop("the area has more than two decimal places")
AREA_TOO_LARGE = gettext_noop("the area is implausibly large")
COLUMN_TWICE = gettext_noop("the column appears twice")
COLUMN_MISSING = gettext_noop("required column is missing")
COMPOUND_MISSING = gettext_noop("the compound is missing")
UNIT_MISSING = gettext_noop("the unit number is missing")
DUPLICATE_UNIT = gettext_noop("duplicate unit: already on row %(row)d")
AMBIGUOUS_UNIT = gettext_noop(
    "room %(unit)s is in several buildings of %(compound)s: give the building"
)
OWNER_EMPTY = gettext_noop("an owner identifier between ';' is empty")
OWNER_TWICE = gettext_noop("the same owner is listed twice on this unit")
SOLD_WITHOUT_OWNER = gettext_noop("a sold unit must name at least one owner")
OWNER_CONFLICT = gettext_noop("owner %(owner)s has a different value on row %(row)d")
NO_DATA = gettext_noop("the roll has no data rows")
UNKNOWN_VALUE = gettext_noop("unknown value; allowed: %(allowed)s")
LIST_LENGTH = gettext_noop("%(values)d values for %(owners)d owners")
ID_AS_NUMBER = gettext_noop(
    "the ID number was stored as a number and has lost digits; format the column as text"
)
TOO_LONG = gettext_noop("longer than %(max)d characters")
CONTROL_CHARACTER = gettext_noop("contains an invisible or control character (%(code)s)")
LINE_ROW = gettext_noop("row %(row)d, column %(column)s%(value)s: %(message)s")
LINE_ROW_UNIT = gettext_noop("row %(row)d, column %(column)s%(value)s: %(message)s (unit %(unit)s)")
LINE_HEADER = gettext_noop("header, column %(column)s%(value)s: %(message)s")


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class RollError:
    """One bad cell: the spreadsheet row, the column and the offending value."""

    row: int
    column: str
    value: str
    template: str
    params: tuple[tuple[str, object], ...] = ()
    unit: str = ""  # the unit of the row, "1号楼 101", where the row names one

    @property
    def message(self) -> str:
        return self.template % dict(self.params) if self.params else self.template

    def text(self, translate: Callable[[str], str] = _identity) -> str:
        """The whole message, e.g. 'row 3, column area “-5”: the area must be …'."""
        message = translate(self.template)
        if self.params:
            message = message % dict(self.params)
        if self.row <= 1:
            line = LINE_HEADER
        else:
            line = LINE_ROW_UNIT if self.unit else LINE_ROW
        return translate(line) % {
            "row": self.row,
            "column": self.column,
            "value": f" “{self.value}”" if self.value else "",
            "message": message,
            "unit": self.unit,
        }

    def __str__(self) -> str:
        return self.text()


@dataclass
class RollResult:
    rows: list[RollRow]
    errors: list[RollError]
    labels: dict[str, str] = field(default_factory=dict)  # column -> the file's own name

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_text(value: Cell) -> str:
    """A cell as text: numbers from XLSX lose a trailing .0, blanks become ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def parse_area(value: Cell) -> Decimal:
    """An area in m² with at most two decimals, strictly positive; ValueError otherwise."""
    text = cell_text(value)
    if not text:
        raise ValueError(AREA_MISSING)
    try:
        area = Decimal(text)
    except InvalidOperation:
        raise ValueError(AREA_NOT_A_NUMBER) from None
    if not area.is_finite():
        raise ValueError(AREA_NOT_A_NUMBER)
    if area <= 0:
        raise ValueError(AREA_NOT_POSITIVE)
    if area != area.quantize(CENT):
        raise ValueError(AREA_TOO_PRECISE)
    if area > MAX_AREA:
        raise ValueError(AREA_TOO_LARGE)
    return area.quantize(CENT)


def split_list(text: str) -> list[str]:
    """Split a ';'-separated cell (full-width ；too), keeping empty places."""
    if not text:
        return []
    return [part.strip() for part in text.replace("；", SEPARATOR).split(SEPARATOR)]


def map_header(header: list[str]) -> tuple[dict[str, int], list[RollError]]:
    """Map canonical column names to positions; report missing or repeated columns."""
    positions, _labels, errors = read_header(header)
    return positions, errors


def read_header(header: list[str]) -> tuple[dict[str, int], dict[str, str], list[RollError]]:
    """Positions of the canonical columns, the name the file gave each (for messages),
    and the header's errors. A column missing from a file with Chinese headers is
    named in Chinese."""
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    errors: list[RollError] = []
    chinese = any(raw in HEADER_ALIASES for raw in header)
    for index, raw in enumerate(header):
        name = HEADER_ALIASES.get(raw, raw)
        if name not in REQUIRED_COLUMNS and name not in OPTIONAL_COLUMNS:
            continue  # extra columns (remarks, …) are ignored
        if name in positions:
            errors.append(RollError(1, raw, raw, COLUMN_TWICE))
            continue
        positions[name] = index
        labels[name] = raw
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            errors.append(
                RollError(1, CHINESE_NAMES[name] if chinese else name, "", COLUMN_MISSING)
            )
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        labels.setdefault(name, CHINESE_NAMES[name] if chinese else name)
    return positions, labels, errors


def parse_roll(table: Table, *, with_personal_data: bool = True) -> RollResult:
    """Validate every row of a roll; collect every error rather than stopping at the first."""
    positions, labels, errors = read_header(table.header)
    if errors:
        return RollResult(rows=[], errors=errors)

    def column(cells: list[Cell], name: str) -> Cell:
        index = positions.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    rows: list[RollRow] = []
    seen_units: dict[tuple[str, str, str], int] = {}
    seen_owners: dict[str, tuple[int, OwnerEntry]] = {}

    for row_number, cells in table.rows:
        row_errors: list[RollError] = []
        _check_cells(row_number, cells, positions, labels, row_errors)
        if row_errors:
            errors.extend(row_errors)
            continue
        building = cell_text(column(cells, "building"))
        unit = cell_text(column(cells, "unit"))
        label = unit_label(building, unit) if unit else ""

        def bad(
            name: str,
            value: Cell,
            template: str,
            row_number: int = row_number,
            row_errors: list[RollError] = row_errors,
            label: str = label,
            **params: object,
        ) -> None:
            row_errors.append(
                RollError(
                    row_number,
                    labels[name],
                    cell_text(value),
                    template,
                    tuple(params.items()),
                    unit=label,
                )
            )

        compound = cell_text(column(cells, "compound"))
        if not compound:
            bad("compound", None, COMPOUND_MISSING)
        if not unit:
            bad("unit", None, UNIT_MISSING)
        elif compound:
            first = seen_units.get((compound, building, unit))
            if first is not None:
                bad("unit", unit, DUPLICATE_UNIT, row=first)
            else:
                seen_units[(compound, building, unit)] = row_number

        area_cell = column(cells, "area")
        area = CENT
        try:
            area = parse_area(area_cell)
        except ValueError as exc:
            bad("area", area_cell, str(exc))

        status = _choice(cells, "status", STATUS_VALUES, "sold", column, bad)
        area_source = _choice(cells, "area_source", AREA_SOURCE_VALUES, "register", column, bad)
        use = _choice(cells, "use", USE_VALUES, "residential", column, bad)

        owner_ids = split_list(cell_text(column(cells, "owners")))
        owners: list[OwnerEntry] = []
        if any(not owner_id for owner_id in owner_ids):
            bad("owners", column(cells, "owners"), OWNER_EMPTY)
        elif len(set(owner_ids)) != len(owner_ids):
            bad("owners", column(cells, "owners"), OWNER_TWICE)
        elif not owner_ids and status not in DEVELOPER_HELD_STATUSES:
            bad("owners", None, SOLD_WITHOUT_OWNER)
        else:
            owners = _owner_entries(cells, owner_ids, column, bad, with_personal_data)

        for entry in owners:
            previous = seen_owners.get(entry.identifier)
            if previous is None:
                seen_owners[entry.identifier] = (row_number, entry)
                continue
            first_row, first_entry = previous
            for attribute in ("name", "phone", "id_number", "kind"):
                old, new = getattr(first_entry, attribute), getattr(entry, attribute)
                if old and new and old != new:
                    column_name = {
                        "name": "owner_names",
                        "phone": "phones",
                        "id_number": "id_numbers",
                        "kind": "owner_kinds",
                    }[attribute]
                    shown = new if attribute != "id_number" else new[:4] + "…"
                    bad(column_name, shown, OWNER_CONFLICT, owner=entry.identifier, row=first_row)

        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            RollRow(
                row=row_number,
                compound=compound,
                unit=unit,
                area=area,
                owners=tuple(owners),
                status=status,
                building=building,
                area_source=area_source,
                use=use,
            )
        )
    if not rows and not errors:
        errors.append(RollError(2, labels["unit"], "", NO_DATA))
    return RollResult(rows=rows, errors=errors, labels=labels)


def _shown(text: str) -> str:
    """A cell for a message: control characters as escapes, at most 20 characters."""
    visible = "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cf") else f"\\u{ord(ch):04x}" for ch in text
    )
    return visible if len(visible) <= 20 else visible[:20] + "…"


def _check_cells(
    row_number: int,
    cells: list[Cell],
    positions: dict[str, int],
    labels: dict[str, str],
    errors: list[RollError],
) -> None:
    """Refuse cells the registry could not store as given: too long for their field, or
    carrying control or invisible characters (a NUL byte, a zero-width space that
    would make "O-1" and "O-1" followed by U+200B two owners)."""
    for name, index in positions.items():
        if index >= len(cells):
            continue
        text = cell_text(cells[index])
        strange = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf")), None)
        if strange is not None:
            errors.append(
                RollError(
                    row_number,
                    labels[name],
                    _shown(text),
                    CONTROL_CHARACTER,
                    (("code", f"U+{ord(strange):04X}"),),
                )
            )
            continue
        limit = MAX_CELL.get(name)
        if limit is not None and len(text) > limit:
            errors.append(
                RollError(row_number, labels[name], _shown(text), TOO_LONG, (("max", limit),))
            )
            continue
        limit = MAX_LISTED.get(name)
        if limit is not None:
            long = next((part for part in split_list(text) if len(part) > limit), None)
            if long is not None:
                errors.append(
                    RollError(row_number, labels[name], _shown(long), TOO_LONG, (("max", limit),))
                )


def _choice(cells, name, allowed, default, column, bad) -> str:  # type: ignore[no-untyped-def]
    raw = column(cells, name)
    text = cell_text(raw)
    if not text:
        return str(default)
    value = allowed.get(text.lower())
    if value is None:
        english = sorted({v for v in allowed.values()})
        bad(name, raw, UNKNOWN_VALUE, allowed=", ".join(english))
        return str(default)
    return str(value)


def _owner_entries(  # type: ignore[no-untyped-def]
    cells, owner_ids: list[str], column, bad, with_personal_data: bool
) -> list[OwnerEntry]:
    """Pair each owner identifier with its name, phone, ID number and kind."""
    lists: dict[str, list[str]] = {}
    for name in ("owner_names", "phones", "id_numbers", "owner_kinds"):
        raw = column(cells, name)
        if name == "id_numbers" and isinstance(raw, int | float) and not isinstance(raw, bool):
            bad(name, raw, ID_AS_NUMBER)
            lists[name] = []
            continue
        values = split_list(cell_text(raw))
        if values and len(values) != len(owner_ids):
            bad(name, raw, LIST_LENGTH, values=len(values), owners=len(owner_ids))
            values = []
        lists[name] = values
    entries = []
    for index, identifier in enumerate(owner_ids):

        def pick(name: str, index: int = index) -> str:
            values = lists[name]
            return values[index] if values else ""

        id_number = pick("id_numbers")
        if id_number:
            try:
                id_number = validate_id_number(id_number)
            except InvalidIdentifier as exc:
                bad("id_numbers", f"{identifier}: {id_number[:4]}…", str(exc))
                id_number = ""
        kind_text = pick("owner_kinds")
        kind = "person"
        if kind_text:
            found = OWNER_KIND_VALUES.get(kind_text.lower())
            if found is None:
                bad("owner_kinds", kind_text, UNKNOWN_VALUE, allowed="organisation, person")
            else:
                kind = found
        if with_personal_data:
            entries.append(
                OwnerEntry(
                    identifier=identifier,
                    name=pick("owner_names"),
                    phone=pick("phones"),
                    id_number=id_number,
                    kind=kind,
                )
            )
        else:
            entries.append(OwnerEntry(identifier=identifier))
    return entries
