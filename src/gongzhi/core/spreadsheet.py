"""Writing the spreadsheets and CSV files people open in Excel or WPS.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) is read by spreadsheet programs as a formula: an owner's name
``=HYPERLINK("http://…","点此")`` imported from a roll would become a live link in
an export, and worse formulas exist. Every export therefore writes through this
module, which puts an apostrophe before such text — the convention spreadsheet
programs themselves use for "this is text". Numbers stay numbers: ``Decimal`` and
``int`` values are written as numbers, and text that is just a signed number
(``-12.50``) is left as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_text(value: str) -> str:
    """``value``, with an apostrophe in front if a spreadsheet would run it."""
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_cell(value: object) -> object:
    """A value ready for a cell: text made safe, aware times in Shanghai time without
    their zone (spreadsheets know none), everything else as it is."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_bytes(rows: Iterable[Sequence[object]], *, bom: bool = True) -> bytes:
    """Rows as CSV in UTF-8; with ``bom`` (default) Excel opens the Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if cell is None else _csv_text(cell) for cell in row])
    text = out.getvalue()
    return text.encode("utf-8-sig" if bom else "utf-8")


def _csv_text(cell: object) -> str:
    cell = safe_cell(cell)
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    return str(cell)


class Workbook:
    """An XLSX workbook whose every cell goes through ``safe_cell``."""

    def __init__(self) -> None:
        import openpyxl  # imported here: pages that write no workbook start faster

        self._book = openpyxl.Workbook()
        self._fresh = True

    def sheet(self, title: str) -> Sheet:
        """A new sheet (the first call names the workbook's initial sheet)."""
        if self._fresh:
            worksheet = self._book.active
            worksheet.title = title
            self._fresh = False
        else:
            worksheet = self._book.create_sheet(title)
        return Sheet(worksheet)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


class Sheet:
    def __init__(self, worksheet) -> None:
        self._sheet = worksheet

    def append(self, row: Sequence[object] = ()) -> None:
        self._sheet.append([safe_cell(cell) for cell in row])

    def extend(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.append(row)

    def text_columns(self, columns: Sequence[int], *, rows: int = 2000) -> None:
        """Format these columns (1-based) as text for the first ``rows`` rows, so that
        phone and ID numbers typed into a template keep every digit."""
        for column in columns:
            for row in range(2, rows + 2):
                self._sheet.cell(row=row, column=column).number_format = "@"

    def widths(self, widths: Sequence[int]) -> None:
        """Column widths in characters, from the first column."""
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
