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
