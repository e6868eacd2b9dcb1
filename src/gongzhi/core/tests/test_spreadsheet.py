"""core.spreadsheet: no exported cell runs as a formula; numbers stay numbers."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongzhi.core.spreadsheet import Workbook, csv_bytes, safe_text

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+86 138", "'+86 138"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),  # a plain signed number stays a number
        ("+5", "+5"),
        ("张三", "张三"),
        ("", ""),
        ("1-101", "1-101"),
    ],
)
def test_safe_text(text, safe):
    assert safe_text(text) == safe


def test_csv_neutralises_text_and_writes_numbers_exactly():
    data = csv_bytes(
        [["=1+1", Decimal("60.10"), 3, None, dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    row = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert row == ["'=1+1", "60.10", "3", "", "2026-06-01 10:00:00"]


def test_workbook_cells_are_text_or_numbers_never_formulas():
    book = Workbook()
    book.sheet("甲").append(['=HYPERLINK("x")', Decimal("60.10"), 7, "-3"])
    book.sheet("乙").append(["@x"])
    loaded = openpyxl.load_workbook(io.BytesIO(book.bytes()))
    assert loaded.sheetnames == ["甲", "乙"]
    cells = list(loaded["甲"].iter_rows())[0]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    assert cells[0].value == '\'=HYPERLINK("x")' and cells[1].value == 60.1
    assert loaded["乙"]["A1"].value == "'@x"


def test_no_module_writes_a_spreadsheet_another_way():
    """Every export goes through core.spreadsheet; a new csv.writer or openpyxl
    Workbook elsewhere would bypass the neutralising."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or path == PACKAGE / "core" / "spreadsheet.py":
            continue
        if re.search(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(", path.read_text()):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
