"""Parsing and validating owners' rolls (pure: no database)."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongzhi.core.identifiers import id_number_check_character
from gongzhi.core.tabular import read_table
from gongzhi.registry.roll import parse_roll

DATA = Path(__file__).parent / "data"
VALID_ID = "11010519491231002X"
HEADER = "compound,unit,area,owners,status,owner_names,id_numbers\n"


def parse(text: str, encoding: str = "utf-8"):
    return parse_roll(read_table(io.BytesIO(text.encode(encoding)), name="roll.csv"))


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_example_roll_of_the_shared_data():
    result = parse_roll(read_table(DATA / "example-roll.csv"))
    assert result.ok
    assert [r.unit for r in result.rows] == ["1-101", "1-102", "1-201", "1-202", "2-101"]
    first, couple, second_of_first, unsold, _ = result.rows
    assert first.area == Decimal("68.52")
    assert [o.identifier for o in couple.owners] == ["O-0002", "O-0003"]
    assert [o.name for o in couple.owners] == ["李四", "王五"]
    assert second_of_first.area_source == "survey"
    assert unsold.status == "unsold" and unsold.owners == () and unsold.developer_held
    assert first.building == "1号楼"


def test_chinese_headers_and_values():
    text = (
        "小区,房号,面积,业主,状态,用途\n"
        "水霞小区,1-101,60.5,O-1,已售,住宅\n"
        "水霞小区,1-102,12,,未售,车位\n"
    )
    result = parse(text)
    assert result.ok, result.errors
    assert result.rows[0].area == Decimal("60.50")
    assert result.rows[1].status == "unsold" and result.rows[1].use == "parking"


def test_missing_required_column_is_named():
    result = parse("compound,unit,owners\nA,1,O-1\n")
    error = only_error(result)
    assert (error.row, error.column) == (1, "area")
    assert "required column is missing" in error.message


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("-3", "greater than zero"),
        ("0", "greater than zero"),
        ("abc", "not a number"),
        ("", "missing"),
        ("NaN", "not a number"),
        ("60.123", "more than two decimal places"),
        ("1,234.50", "not a number"),
    ],
)
def test_bad_area_names_row_column_and_value(area, message):
    result = parse(f'compound,unit,area,owners\nA,1-101,60,O-1\nA,1-102,"{area}",O-2\n')
    error = only_error(result)
    assert (error.row, error.column, error.value) == (3, "area", area)
    assert message in error.message
    assert "row 3, column area" in str(error)


def test_trailing_zero_beyond_two_decimals_is_fine():
    assert parse("compound,unit,area,owners\nA,1,60.500,O-1\n").rows[0].area == Decimal("60.50")


def test_duplicate_unit_points_to_the_first_row():
    result = parse("compound,unit,area,owners\nA,1-101,60,O-1\nB,1-101,60,O-2\nA,1-101,61,O-3\n")
    error = only_error(result)
    assert (error.row, error.column, error.value) == (4, "unit", "1-101")
    assert "already on row 2" in error.message


def test_unknown_status_lists_the_allowed_values():
    error = only_error(parse("compound,unit,area,owners,status\nA,1,60,O-1,rented\n"))
    assert (error.column, error.value) == ("status", "rented")
    assert "sold, undelivered, unsold" in error.message


def test_sold_unit_needs_an_owner_but_developer_unit_does_not():
    result = parse("compound,unit,area,owners,status\nA,1,60,,sold\nA,2,60,,undelivered\n")
    error = only_error(result)
    assert (error.row, error.column) == (2, "owners")


def test_bad_id_check_digit_is_reported_without_echoing_the_number():
    bad = VALID_ID[:17] + "1"
    result = parse(HEADER + f"A,1,60,O-1,sold,张三,{bad}\n")
    error = only_error(result)
    assert (error.row, error.column) == (2, "id_numbers")
    assert "check digit" in error.message
    assert bad not in str(error)


def test_list_columns_must_match_the_number_of_owners():
    error = only_error(parse(HEADER + "A,1,60,O-1;O-2,sold,张三,\n"))
    assert error.column == "owner_names"
    assert "1 values for 2 owners" in error.message


def test_same_owner_with_different_names_is_refused():
    result = parse(HEADER + "A,1,60,O-1,sold,张三,\nA,2,60,O-1,sold,李四,\n")
    error = only_error(result)
    assert (error.row, error.column) == (3, "owner_names")
    assert "different value on row 2" in error.message


def test_same_owner_listed_twice_on_one_unit():
    error = only_error(parse("compound,unit,area,owners\nA,1,60,O-1;O-1\n"))
    assert "listed twice" in error.message


def test_every_bad_row_is_reported_not_only_the_first():
    text = "compound,unit,area,owners,status\nA,1,-1,O-1,sold\nA,2,60,O-2,sold\nA,3,x,O-3,gone\n"
    result = parse(text)
    assert [(e.row, e.column) for e in result.errors] == [(2, "area"), (4, "area"), (4, "status")]
    assert [r.unit for r in result.rows] == ["2"]


def test_valid_id_numbers_are_normalised():
    lower = VALID_ID[:-1] + "x"
    result = parse(HEADER + f"A,1,60,O-1,sold,张三,{lower}\n")
    assert result.rows[0].owners[0].id_number == VALID_ID


def test_full_width_separator_is_accepted():
    result = parse("compound,unit,area,owners\nA,1,60,O-1；O-2\n")
    assert [o.identifier for o in result.rows[0].owners] == ["O-1", "O-2"]


def test_gbk_roll():
    result = parse(HEADER + "水霞小区,1,60,O-1,sold,张三,\n", encoding="gbk")
    assert result.rows[0].compound == "水霞小区"
    assert result.rows[0].owners[0].name == "张三"


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return read_table(data, name="roll.xlsx")


def test_xlsx_numeric_cells():
    result = parse_roll(
        xlsx(
            [
                ["compound", "unit", "area", "owners"],
                ["A", 101, 68.52, "O-1"],
                ["A", 102, 70, "O-2"],
            ]
        )
    )
    assert result.ok, result.errors
    assert [(r.unit, r.area) for r in result.rows] == [
        ("101", Decimal("68.52")),
        ("102", Decimal("70.00")),
    ]


def test_xlsx_id_number_stored_as_number_is_refused():
    first17 = "31010519800101001"
    number = int(first17 + id_number_check_character(first17))
    result = parse_roll(
        xlsx([["compound", "unit", "area", "owners", "id_numbers"], ["A", 1, 60, "O-1", number]])
    )
    error = only_error(result)
    assert error.column == "id_numbers"
    assert "format the column as text" in error.message


def test_file_without_data_rows():
    error = only_error(parse("compound,unit,area,owners\n"))
    assert "no data rows" in error.message


def test_without_personal_data_drops_names():
    result = parse_roll(read_table(DATA / "example-roll.csv"), with_personal_data=False)
    assert result.rows[0].owners[0].name == ""
    assert result.rows[0].owners[0].identifier == "O-0001"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("A,1-101,60,O-1,sold,张\x00三,", "owner_names", "U+0000"),
        ("A,1-101,60,O-1\u200b,sold,张三,", "owners", "U+200B"),
        ("A,1-101,60,O-1,sold," + "名" * 201 + ",", "owner_names", "200"),
        ("A," + "9" * 51 + ",60,O-1,sold,张三,", "unit", "50"),
        ("A,1-101,60," + "O" * 65 + ",sold,张三,", "owners", "64"),
    ],
)
def test_cells_the_registry_cannot_store_are_refused(row, column, words):
    """The review's finding: NUL bytes and 100,000-character names were accepted."""
    error = only_error(parse(HEADER + row + "\n"))
    assert error.column == column and words in error.text()
    assert len(error.text()) < 200  # the message quotes the value, shortened


def test_a_hundred_thousand_character_name_is_refused_by_the_reader():
    from gongzhi.core.tabular import TableError

    with pytest.raises(TableError, match="more than 4000 characters"):
        parse(HEADER + "A,1-101,60,O-1,sold," + "名" * 100_000 + ",\n")
