"""Importing rolls into the database: all or nothing, idempotent, with clear errors."""

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gongzhi.core.models import AuditEvent, EventType
from gongzhi.registry.models import Building, Compound, Owner, Ownership, Unit
from gongzhi.registry.selectors import compound_totals
from gongzhi.registry.services import RollImportError, id_number_hash, roll_import, roll_read

from .factories import CompoundFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-roll.csv"
VALID_ID = "11010519491231002X"


def import_text(text, neighbourhood, encoding="utf-8", **kwargs):
    roll = roll_read(io.BytesIO(text.encode(encoding)), name="roll.csv")
    return roll_import(
        rows=roll.rows, neighbourhood=neighbourhood, actor=None, file_name=roll.name, **kwargs
    )


def database_counts():
    return (
        Compound.objects.count(),
        Building.objects.count(),
        Unit.objects.count(),
        Owner.objects.count(),
        Ownership.objects.count(),
    )


@pytest.fixture
def neighbourhood():
    return NeighbourhoodFactory(name="水霞居民区")


def test_example_roll_creates_the_registry(neighbourhood):
    roll = roll_read(str(EXAMPLE))
    report = roll_import(
        rows=roll.rows,
        neighbourhood=neighbourhood,
        actor=None,
        file_name=roll.name,
        file_sha256=roll.sha256,
    )
    assert report.compounds_created == ["示例小区"]
    assert (report.units_created, report.owners_created, report.buildings_created) == (5, 4, 2)
    compound = Compound.objects.get(name="示例小区")
    assert compound.neighbourhood == neighbourhood
    unit = Unit.objects.get(compound=compound, number="1-102")
    assert sorted(unit.owners.values_list("identifier", flat=True)) == ["O-0002", "O-0003"]
    assert unit.building.name == "1号楼"
    # Worked out by the counting rules (docs/legal.md): O-0001 (two units) is one
    # person, O-0002+O-0003 one, the unsold 1-202 (no owner named) one, O-0004 one:
    # 4 persons; area 68.52+68.52+75.10+75.10+90.
    totals = compound_totals(compounds=[compound]).compounds[compound.pk]
    assert totals.heads == 4
    assert totals.area == Decimal("377.24")
    event = AuditEvent.objects.get(event_type=EventType.ROLL_IMPORTED)
    assert event.new["units_created"] == 5
    assert event.new["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


def test_reimporting_the_same_file_changes_nothing_and_says_so(neighbourhood):
    roll = roll_read(str(EXAMPLE))
    roll_import(rows=roll.rows, neighbourhood=neighbourhood, actor=None)
    before = database_counts()
    events = AuditEvent.objects.count()
    report = roll_import(rows=roll_read(str(EXAMPLE)).rows, neighbourhood=neighbourhood, actor=None)
    assert not report.changed
    assert report.units_unchanged == 5
    assert report.summary() == "没有变化：全部 5 套房屋已是最新。"
    assert database_counts() == before
    assert AuditEvent.objects.count() == events


def test_changed_file_reports_created_updated_unchanged(neighbourhood):
    import_text(
        "compound,unit,area,owners,owner_names\nA,1,60.00,O-1,张三\nA,2,70.00,O-2,李四\nA,3,80.00,O-3,王五\n",
        neighbourhood,
    )
    report = import_text(
        "compound,unit,area,owners,owner_names\n"
        "A,1,60.00,O-1,张三\n"  # unchanged
        "A,2,71.50,O-2,李四\n"  # area corrected
        "A,4,90.00,O-4;O-1,赵六;张三\n",  # new unit, new owner
        neighbourhood,
    )
    assert (report.units_created, report.units_updated, report.units_unchanged) == (1, 1, 1)
    assert (report.owners_created, report.owners_updated) == (1, 0)
    assert report.units_not_in_file == 1  # unit 3 stays, reported
    assert Unit.objects.get(number="2").area == Decimal("71.50")
    assert Unit.objects.filter(number="3").exists()
    change = AuditEvent.objects.get(event_type=EventType.UNIT_CHANGED)
    assert change.old["area"] == "70.00" and change.new["area"] == "71.50"


def test_owner_change_of_a_unit_is_an_update(neighbourhood):
    import_text("compound,unit,area,owners\nA,1,60,O-1\n", neighbourhood)
    report = import_text("compound,unit,area,owners\nA,1,60,O-2;O-3\n", neighbourhood)
    assert report.units_updated == 1
    unit = Unit.objects.get(number="1")
    assert sorted(unit.owners.values_list("identifier", flat=True)) == ["O-2", "O-3"]


def test_one_bad_row_means_nothing_is_written(neighbourhood):
    text = "compound,unit,area,owners\nA,1,60,O-1\nA,2,-5,O-2\nA,3,70,O-3\n"
    with pytest.raises(RollImportError) as caught:
        import_text(text, neighbourhood)
    assert database_counts() == (0, 0, 0, 0, 0)
    # Chinese first: the clerk reads the message in the platform's language.
    assert caught.value.lines() == ["第 3 行，area 列 “-5”：面积必须大于零（房屋 2）"]
    assert caught.value.message == "roll.csv：1 处问题，未导入任何内容"


def test_import_errors_in_english(neighbourhood, english):
    with pytest.raises(RollImportError) as caught:
        import_text("compound,unit,area,owners\nA,1,60,O-1\nA,2,-5,O-2\n", neighbourhood)
    assert caught.value.lines() == [
        "row 3, column area “-5”: the area must be greater than zero (unit 2)"
    ]
    assert caught.value.message == "roll.csv: 1 problem; nothing was imported"


def test_failure_while_writing_rolls_everything_back(neighbourhood):
    other = NeighbourhoodFactory(sub_district=neighbourhood.sub_district, name="别的居民区")
    CompoundFactory(neighbourhood=other, name="B")
    text = "compound,unit,area,owners\nA,1,60,O-1\nB,1,70,O-2\n"
    with pytest.raises(RollImportError) as caught:
        import_text(text, neighbourhood)
    assert caught.value.lines() == [
        "第 3 行，compound 列 “B”：该小区属于别的居民区，不属于水霞居民区"
    ]
    assert not Compound.objects.filter(name="A").exists()
    assert Owner.objects.count() == 0


def test_id_numbers_are_stored_only_hashed_and_masked(neighbourhood):
    import_text(
        "compound,unit,area,owners,owner_names,phones,id_numbers\n"
        f"A,1,60,O-1,张三,13812345678,{VALID_ID}\n",
        neighbourhood,
    )
    owner = Owner.objects.get(identifier="O-1")
    assert owner.id_number_hash == id_number_hash(VALID_ID)
    assert owner.id_number_masked == "1101**********002X"
    stored = [str(getattr(owner, f.attname)) for f in Owner._meta.concrete_fields]
    assert all(VALID_ID not in value and "19491231" not in value for value in stored)


def test_empty_cells_never_erase_known_owner_data(neighbourhood):
    import_text(
        "compound,unit,area,owners,owner_names,phones\nA,1,60,O-1,张三,13812345678\n", neighbourhood
    )
    report = import_text("compound,unit,area,owners\nA,1,60,O-1\n", neighbourhood)
    assert not report.changed
    owner = Owner.objects.get(identifier="O-1")
    assert (owner.name, owner.phone) == ("张三", "13812345678")


def test_dry_run_counts_but_saves_nothing(neighbourhood):
    report = import_text("compound,unit,area,owners\nA,1,60,O-1\n", neighbourhood, dry_run=True)
    assert report.units_created == 1
    assert database_counts() == (0, 0, 0, 0, 0)


def test_gbk_and_xlsx_files_import_the_same(neighbourhood, tmp_path):
    text = "compound,unit,area,owners,owner_names\n水霞小区,1-101,68.52,O-1,张三\n"
    import_text(text, neighbourhood, encoding="gbk")
    workbook = openpyxl.Workbook()
    for row in [
        ["compound", "unit", "area", "owners", "owner_names"],
        ["水霞小区", "1-101", 68.52, "O-1", "张三"],
    ]:
        workbook.active.append(row)
    path = tmp_path / "roll.xlsx"
    workbook.save(path)
    roll = roll_read(str(path))
    report = roll_import(rows=roll.rows, neighbourhood=neighbourhood, actor=None)
    assert not report.changed


class TestCommand:
    def test_imports_and_prints_the_summary(self, neighbourhood, capsys):
        call_command("import_roll", str(EXAMPLE))
        out = capsys.readouterr().out
        assert "示例小区" in out
        assert Unit.objects.count() == 5

    def test_second_run_says_nothing_changed(self, neighbourhood, capsys):
        call_command("import_roll", str(EXAMPLE))
        capsys.readouterr()
        call_command("import_roll", str(EXAMPLE), "--neighbourhood", "水霞居民区")
        out = capsys.readouterr().out
        assert "没有变化：全部 5 套房屋已是最新。" in out

    def test_bad_file_lists_rows_and_raises_without_writing(self, neighbourhood, tmp_path, capsys):
        path = tmp_path / "bad.csv"
        path.write_text("compound,unit,area,owners\nA,1,abc,O-1\nA,1,60,O-2\n", encoding="utf-8")
        with pytest.raises(CommandError, match="bad.csv：2 处问题，未导入任何内容"):
            call_command("import_roll", str(path))
        err = capsys.readouterr().err
        assert "第 2 行，area 列 “abc”：面积不是数字" in err
        assert "第 3 行，unit 列 “1”：房屋重复：已在第 2 行出现" in err
        assert Unit.objects.count() == 0

    def test_unknown_neighbourhood(self, neighbourhood):
        with pytest.raises(CommandError, match="no residents' area is named"):
            call_command("import_roll", str(EXAMPLE), "--neighbourhood", "不存在")

    def test_missing_file(self, neighbourhood):
        with pytest.raises(CommandError, match="无法读取文件"):
            call_command("import_roll", "/nonexistent/roll.csv")


def test_progress_bar_on_request(neighbourhood):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roll", str(EXAMPLE), "--progress", stdout=out, stderr=err)
    assert "reading [" in err.getvalue()
    assert "100%" in err.getvalue()
