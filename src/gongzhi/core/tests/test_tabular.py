import io

import openpyxl
import pytest

from gongzhi.core.tabular import TableError, read_table

CSV_TEXT = "compound,unit,area\n水霞小区,1-101,68.52\n\n水霞小区,1-102,70.00\n"


def rows_of(table):
    return list(table.rows)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_offices_use(encoding):
    table = read_table(io.BytesIO(CSV_TEXT.encode(encoding)), name="roll.csv")
    assert table.header == ["compound", "unit", "area"]
    # Row numbers are the spreadsheet's: the header is 1, the blank line 3 is skipped.
    assert rows_of(table) == [
        (2, ["水霞小区", "1-101", "68.52"]),
        (4, ["水霞小区", "1-102", "70.00"]),
    ]


def test_header_is_trimmed_and_lower_cased():
    table = read_table(io.BytesIO(b" Compound , UNIT \nA,1\n"), name="x.csv")
    assert table.header == ["compound", "unit"]


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(TableError, match="row 2 is neither UTF-8 nor GBK"):
        read_table(io.BytesIO(b"compound\n\xff\xfe\xfd\x80\x80\n"), name="bad.csv")


SHIFT_JIS_ROLL = (
    "compound,unit,area,owners,owner_names\n"
    "A,1-101,60,O-1,Tanaka\n"
    "東京ハイツ,1-102,60,O-2,山田太郎\n"
    "さくら荘,1-103,50,O-3,鈴木花子\n"
)


def test_a_shift_jis_file_is_refused_naming_the_row():
    """The review's finding: a Shift-JIS file was silently read as GB18030."""
    with pytest.raises(TableError, match="row 3 does not read as Chinese text in GBK") as caught:
        read_table(io.BytesIO(SHIFT_JIS_ROLL.encode("shift_jis")), name="jp.csv")
    assert "Shift-JIS" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "小区,房号,业主姓名\n水霞小区,1-101,张三丰\n水霞小区,1-102,王喆\n安虹小区,2-1,李赟、欧阳娜娜\n",
        "小区,房号\n水霞小区,1-101\n",
        "compound,unit\nA,1\n",
    ],
)
def test_real_gbk_rolls_still_read(text):
    table = read_table(io.BytesIO(text.encode("gbk")), name="gbk.csv")
    assert rows_of(table)


def test_half_width_katakana_in_a_gb18030_four_byte_shape_is_refused():
    data = "compound,unit\nｱ1ｲ2,1\n".encode("shift_jis")
    with pytest.raises(TableError, match="row 2"):
        read_table(io.BytesIO(data), name="jp.csv")


def test_empty_file_is_a_clear_error():
    with pytest.raises(TableError, match="empty"):
        read_table(io.BytesIO(b""), name="empty.csv")


def test_old_xls_is_refused_with_advice():
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100), name="old.xls")


def test_damaged_xlsx_is_a_clear_error():
    with pytest.raises(TableError, match="not a readable XLSX"):
        read_table(io.BytesIO(b"PK\x03\x04broken"), name="broken.xlsx")


def test_xlsx_first_sheet_with_raw_cell_values():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["compound", "unit", "area"])
    sheet.append(["水霞小区", 101, 68.52])
    sheet.append([None, None, None])
    sheet.append(["水霞小区", "1-102", 70])
    workbook.create_sheet("ignored").append(["other"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    table = read_table(data, name="roll.xlsx")
    assert table.header == ["compound", "unit", "area"]
    assert rows_of(table) == [(2, ["水霞小区", 101, 68.52]), (4, ["水霞小区", "1-102", 70])]


def test_file_type_is_detected_by_content_not_name(tmp_path):
    path = tmp_path / "roll.xlsx"
    path.write_bytes(CSV_TEXT.encode())  # a CSV misnamed .xlsx
    assert read_table(path).header == ["compound", "unit", "area"]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TableError, match="cannot read"):
        read_table(tmp_path / "nope.csv")


# --- caps while reading (the review's zip bomb and huge cells) -----------------

import random  # noqa: E402
import string  # noqa: E402
import tracemalloc  # noqa: E402
import zipfile  # noqa: E402

from gongzhi.core import tabular  # noqa: E402

SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    "</sheetData></worksheet>"
)


def _workbook(shared: str, *, sheet: str = SHEET) -> bytes:
    """A minimal XLSX with the given shared strings part (built by hand: openpyxl would
    take minutes to write the cells these tests need)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
            '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
            '.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in parts.items():
            archive.writestr(path, text)
    return out.getvalue()


def test_the_hand_built_workbook_reads():
    table = read_table(io.BytesIO(_workbook("compound")), name="ok.xlsx")
    assert table.header == ["compound"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    """The review's finding: a 100 KB XLSX holding one 100 MB cell was accepted with a
    1.7 GB peak of memory."""
    bomb = _workbook("A" * 100_000_000)
    assert len(bomb) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(TableError, match="unpacks"):
            read_table(io.BytesIO(bomb), name="bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_long_cell_that_does_not_compress_is_refused_while_streaming():
    noise = "".join(random.Random(7).choices(string.ascii_letters, k=8_000_000))
    tracemalloc.start()
    workbook = _workbook(noise)
    tracemalloc.reset_peak()
    try:
        with pytest.raises(TableError, match="more than 4000 characters"):
            read_table(io.BytesIO(workbook), name="long.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(workbook) + 2_000_000  # the file itself, and a chunk at a time


def test_csv_caps_cells_columns_and_rows(monkeypatch):
    with pytest.raises(TableError, match="row 2, column 2 has more than 4000 characters"):
        rows_of(read_table(io.BytesIO(b"a,b\nx," + b"y" * 4001 + b"\n"), name="c.csv"))
    wide = ",".join(f"c{n}" for n in range(201)).encode()
    with pytest.raises(TableError, match="row 1 has more than 200 columns"):
        read_table(io.BytesIO(wide + b"\n1\n"), name="w.csv")
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    with pytest.raises(TableError, match="more than 3 rows"):
        rows_of(read_table(io.BytesIO(b"a\n1\n2\n3\n4\n"), name="r.csv"))
    assert len(rows_of(read_table(io.BytesIO(b"a\n1\n2\n3\n"), name="r.csv"))) == 3


def test_xlsx_has_the_same_caps():
    sheet = SHEET.replace(
        '<c r="A1" t="s"><v>0</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="HZ1" t="inlineStr"><is><t>x</t></is></c>',
    )
    with pytest.raises(TableError, match="row 1 has more than 200 columns"):
        read_table(io.BytesIO(_workbook("compound", sheet=sheet)), name="w.xlsx")
