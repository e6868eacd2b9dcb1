"""Reading the spreadsheets that offices really keep: CSV (UTF-8, UTF-8 with BOM,
GBK/GB18030) or XLSX (first sheet), with a header row.

This module knows nothing of rolls or ballots; it turns a file into a header and
numbered rows of raw cell values. Row numbers are the spreadsheet's own (the header
is row 1), so that a message can point a clerk at the right line.
"""

from __future__ import annotations

import csv
import io
import re
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from gongzhi.core.i18n import gettext_noop

Cell = str | int | float | bool | None

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"

# The same limits for CSV and XLSX, enforced while reading: a file that passes them
# fits in memory however it was made. The longest real cell is a list of co-owners'
# names; the widest real roll has a dozen columns.
MAX_CELL_CHARS = 4000
MAX_COLUMNS = 200
MAX_ROWS = 2_000_000
# A workbook is a ZIP archive: what it unpacks to is bounded before anything is read,
# in total and against how much it shrank (real workbooks shrink 5-20 times).
MAX_UNPACKED_BYTES = 1 << 30
MAX_PACKING_RATIO = 200

CELL_TOO_LONG = gettext_noop(
    "%(name)s: row %(row)d, column %(column)d has more than %(max)d characters"
)
TOO_MANY_COLUMNS = gettext_noop("%(name)s: row %(row)d has more than %(max)d columns")
TOO_MANY_ROWS = gettext_noop("%(name)s: the file has more than %(max)d rows")
UNPACKS_TOO_BIG = gettext_noop(
    "%(name)s: the workbook unpacks to more than %(mb)d MB; save it as CSV or split it"
)
PACKED_TOO_TIGHT = gettext_noop(
    "%(name)s: the workbook unpacks %(ratio)d times its size (%(part)s), which no real "
    "roll does; it is refused"
)


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, format, no header).

    Carries an English template marked for translation and its parameters, so that
    callers with Django can show it in the user's language (``text(gettext)``).
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)

    def text(self, translate: Callable[[str], str] = str) -> str:
        return translate(self.template) % self.params


@dataclass
class Table:
    """A header and an iterator of (row number, cells) over the data rows."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total_rows: int | None


NOT_TEXT = gettext_noop(
    "%(name)s: row %(row)d is neither UTF-8 nor GBK text (byte %(byte)d); "
    "save it as CSV UTF-8 or as XLSX"
)
NOT_CHINESE = gettext_noop(
    "%(name)s: row %(row)d does not read as Chinese text in GBK — was the file saved in "
    "another encoding (such as Shift-JIS)? Save it as CSV UTF-8 or as XLSX"
)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _row_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _not_chinese_at(text: str) -> int | None:
    """Where text decoded as GB18030 stops looking like Chinese, or None.

    GB18030 decodes almost any bytes, so a Shift-JIS or Big5 file does not fail: it
    turns into rare characters. Real GBK exports hold no four-byte sequences and no
    private-use characters, and most of their Chinese is in the common GB2312 set.
    """
    try:
        text.encode("gbk")
    except UnicodeEncodeError as exc:  # only a four-byte GB18030 sequence gives these
        return exc.start
    private = _PRIVATE_USE.search(text)
    if private:
        return private.start()
    double_byte = len(text.encode("gbk")) - len(text)
    outside = text.encode("gb2312", errors="replace").count(b"?") - text.count("?")
    if double_byte >= 10 and outside * 2 > double_byte:
        for index, char in enumerate(text):
            if ord(char) > 127:
                try:
                    char.encode("gb2312")
                except UnicodeEncodeError:
                    return index
    return None


def decode_text(data: bytes, *, name: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of
    GBK). Text that is neither, or only seemingly GBK, is refused with its row."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise TableError(
            NOT_TEXT, name=name, row=data.count(b"\n", 0, exc.start) + 1, byte=exc.start
        ) from exc
    trouble = _not_chinese_at(text)
    if trouble is not None:
        raise TableError(NOT_CHINESE, name=name, row=_row_of(text, trouble))
    return text


def read_table(source: str | Path | BinaryIO, *, name: str | None = None) -> Table:
    """Open a CSV or XLSX file by its content (not its extension)."""
    if isinstance(source, str | Path):
        path = Path(source)
        display_name = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(
                gettext_noop("%(name)s: cannot read the file (%(reason)s)"),
                name=display_name,
                reason=exc.strerror,
            ) from exc
    else:
        display_name = name or str(getattr(source, "name", None) or "upload")
        data = source.read()
    if data.startswith(OLE2_MAGIC):
        raise TableError(
            gettext_noop("%(name)s: old .xls workbooks are not read; save it as .xlsx or CSV"),
            name=display_name,
        )
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, name=display_name)
    return _read_csv(data, name=display_name)


def _clean_header(cells: list[Cell], *, name: str) -> list[str]:
    header = ["" if cell is None else str(cell).strip().lower() for cell in cells]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise TableError(
            gettext_noop("%(name)s: row 1 must be a header row naming the columns"), name=name
        )
    return header


def _read_csv(data: bytes, *, name: str) -> Table:
    text = decode_text(data, name=name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader)
    except StopIteration:
        raise TableError(gettext_noop("%(name)s: the file is empty"), name=name) from None
    except csv.Error as exc:
        raise _csv_error(exc, name=name, row=1) from exc
    header = _clean_header(_checked(list(first), 1, name), name=name)
    # Data rows, for a progress bar: physical lines less the header (an estimate
    # when quoted cells hold line breaks).
    total = max(len(text.splitlines()) - 1, 0)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        row_number = 1
        try:
            for count, cells in enumerate(reader, start=2):
                row_number = reader.line_num
                if count > MAX_ROWS + 1:
                    raise TableError(TOO_MANY_ROWS, name=name, max=MAX_ROWS)
                if any(cell.strip() for cell in cells):
                    yield row_number, _checked(list(cells), row_number, name)
        except csv.Error as exc:
            raise _csv_error(exc, name=name, row=row_number + 1) from exc

    return Table(name=name, header=header, rows=rows(), total_rows=total)


def _csv_error(exc: csv.Error, *, name: str, row: int) -> TableError:
    if "field larger than field limit" in str(exc):  # far beyond MAX_CELL_CHARS
        return TableError(
            gettext_noop("%(name)s: row %(row)d has a cell of more than %(max)d characters"),
            name=name,
            row=row,
            max=MAX_CELL_CHARS,
        )
    return TableError(
        gettext_noop("%(name)s: row %(row)d is not valid CSV (%(reason)s)"),
        name=name,
        row=row,
        reason=exc,
    )


def _checked(cells: list[Cell], row: int, name: str) -> list[Cell]:
    """The row's cells, or TableError when it is wider or a cell longer than allowed."""
    if len(cells) > MAX_COLUMNS:
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()  # trailing empty cells of a sheet are no columns
        if len(cells) > MAX_COLUMNS:
            raise TableError(TOO_MANY_COLUMNS, name=name, row=row, max=MAX_COLUMNS)
    for column, cell in enumerate(cells, start=1):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise TableError(CELL_TOO_LONG, name=name, row=row, column=column, max=MAX_CELL_CHARS)
    return cells


class _StringTooLong(Exception):
    pass


def _check_archive(data: bytes, *, name: str) -> None:
    """Bound what the workbook unpacks to, and the length of each shared string,
    without unpacking more than a 64 KiB chunk at a time."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise TableError(
            gettext_noop("%(name)s: not a readable XLSX workbook (%(reason)s)"),
            name=name,
            reason=exc,
        ) from exc
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size  # zipfile never yields more than a member declares
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > (1 << 20) and ratio > MAX_PACKING_RATIO:
                raise TableError(PACKED_TOO_TIGHT, name=name, ratio=ratio, part=info.filename)
        if total > MAX_UNPACKED_BYTES:
            raise TableError(UNPACKS_TOO_BIG, name=name, mb=MAX_UNPACKED_BYTES >> 20)
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as strings:
                _scan_shared_strings(strings, name=name)


def _scan_shared_strings(stream: IO[bytes], *, name: str) -> None:
    """Every shared string at most MAX_CELL_CHARS long, checked as the XML streams by
    (a reader that loads the table first would hold a 100 MB cell in memory)."""
    parser = xml.parsers.expat.ParserCreate()
    length = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal length
        if tag == "si" or tag.endswith(":si"):
            length = 0

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > MAX_CELL_CHARS:
            raise _StringTooLong

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _StringTooLong:
        raise TableError(
            gettext_noop("%(name)s: a cell has more than %(max)d characters"),
            name=name,
            max=MAX_CELL_CHARS,
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        raise TableError(
            gettext_noop("%(name)s: not a readable XLSX workbook (%(reason)s)"),
            name=name,
            reason=exc,
        ) from exc


def _cell(value: object) -> Cell:
    """A cell as openpyxl gave it, so that validation and messages stay the same: no
    value is None (calamine gives ""), a whole number is an int (calamine gives
    101.0 for 101), dates and times as Python values."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # type: ignore[return-value]


def _read_xlsx(data: bytes, *, name: str) -> Table:
    """The first sheet, read by calamine (Rust): 3-4 times faster than openpyxl's
    read-only mode (bench/import_roll.py). openpyxl still writes our workbooks."""
    import python_calamine  # imported here: CSV-only callers start faster without it

    _check_archive(data, name=name)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises several types for a damaged file
        raise TableError(
            gettext_noop("%(name)s: not a readable XLSX workbook (%(reason)s)"),
            name=name,
            reason=exc,
        ) from exc
    if sheet.height - 1 > MAX_ROWS:
        raise TableError(TOO_MANY_ROWS, name=name, max=MAX_ROWS)
    iterator = iter(sheet.iter_rows())
    try:
        first = next(iterator)
    except StopIteration:
        raise TableError(gettext_noop("%(name)s: the first sheet is empty"), name=name) from None
    header = _clean_header(_checked([_cell(c) for c in first], 1, name), name=name)
    total = sheet.height - 1 if sheet.height else None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for row_number, raw in enumerate(iterator, start=2):
            cells = [_cell(c) for c in raw]
            if any(cell is not None and str(cell).strip() for cell in cells):
                yield row_number, _checked(cells, row_number, name)

    return Table(name=name, header=header, rows=rows(), total_rows=total)
