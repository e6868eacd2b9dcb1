"""Real rolls number rooms per building: 1号楼 101 and 2号楼 101 are two units. Every
error names the row, the column as the file wrote it, the unit and the value."""

import io

import pytest

from gongzhi.registry.models import Unit
from gongzhi.registry.services import RollImportError, roll_import, roll_read

from .factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

CHINESE = (
    "小区,楼栋,房号,面积,业主,业主姓名,联系电话\n"
    "番禺小区,1号楼,101,60.00,A1,张伟,13811110001\n"
    "番禺小区,2号楼,101,65.50,B1,李娜,13811110002\n"
    "番禺小区,2号楼,102,70.00,C1,王强,13811110003\n"
)


def load(text, area, **kwargs):
    roll = roll_read(io.BytesIO(text.encode("utf-8")), name="清册.csv")
    return roll_import(
        rows=roll.rows,
        neighbourhood=area,
        actor=None,
        file_name=roll.name,
        labels=roll.labels,
        **kwargs,
    )


@pytest.fixture
def area():
    return NeighbourhoodFactory(name="番禺居民区")


def test_rooms_numbered_per_building_are_different_units(area):
    report = load(CHINESE, area)
    assert report.units_created == 3
    labels = sorted(unit.label for unit in Unit.objects.select_related("building"))
    assert labels == ["1号楼 101", "2号楼 101", "2号楼 102"]
    again = load(CHINESE, area)
    assert (again.units_unchanged, again.units_created, again.changed) == (3, 0, False)


def test_the_same_room_twice_in_one_building_is_refused_naming_the_unit(area):
    text = CHINESE + "番禺小区,1号楼,101,61.00,D1,赵敏,13811110004\n"
    with pytest.raises(RollImportError) as caught:
        load(text, area)
    assert caught.value.lines() == [
        "第 5 行，房号 列 “101”：房屋重复：已在第 2 行出现（房屋 1号楼 101）"
    ]
    assert not Unit.objects.exists()


def test_errors_use_the_files_own_column_names_and_name_the_unit(area):
    text = "小区,楼栋,房号,面积,业主\n番禺小区,1号楼,101,60.00,\n番禺小区,3号楼,201,-12.00,E1\n"
    with pytest.raises(RollImportError) as caught:
        load(text, area)
    assert caught.value.lines() == [
        "第 2 行，业主 列：已售房屋至少要有一名业主（房屋 1号楼 101）",
        "第 3 行，面积 列 “-12.00”：面积必须大于零（房屋 3号楼 201）",
    ]


def test_a_column_missing_from_a_chinese_file_is_named_in_chinese(area):
    with pytest.raises(RollImportError) as caught:
        load("小区,楼栋,房号,业主\n番禺小区,1号楼,101,A1\n", area)
    assert caught.value.lines() == ["表头，面积 列：缺少必填列"]


def test_a_unit_recorded_without_a_building_gets_it_from_the_next_roll(area):
    load("小区,房号,面积,业主\n番禺小区,101,60.00,A1\n番禺小区,102,61.00,B1\n", area)
    first, second = Unit.objects.get(number="101"), Unit.objects.get(number="102")
    report = load(CHINESE, area)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.building.name == "1号楼"  # the same unit, now in its building
    assert second.building.name == "2号楼"
    assert (report.units_updated, report.units_created) == (2, 1)  # 2号楼 101 is new
    assert report.units_not_in_file == 0


def test_a_room_several_buildings_have_needs_the_building(area):
    load(CHINESE, area)
    with pytest.raises(RollImportError) as caught:
        load("小区,房号,面积,业主\n番禺小区,101,60.00,A1\n", area)
    assert caught.value.lines() == [
        "第 2 行，房号 列 “101”：番禺小区 有多个楼栋都有 101 室：请填写楼栋（房屋 101）"
    ]
    assert Unit.objects.count() == 3


def test_the_roll_template_downloads_with_chinese_headers(client, area):
    from gongzhi.accounts.models import Role
    from gongzhi.core.tests.clients import as_

    from .factories import user_with_role

    clerk = user_with_role("clerk", Role.CLERK, neighbourhood=area)
    as_(client, clerk)
    csv = client.get("/registry/import/template.csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("小区,楼栋,房号,面积,业主")
    xlsx = client.get("/registry/import/template.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:5] == ["小区", "楼栋", "房号", "面积", "业主"]
    # the template's own example rows import as they are
    roll = roll_read(io.BytesIO(xlsx.content), name="模板.xlsx")
    assert len(roll.rows) >= 2
    assert "清册模板" in client.get("/registry/import/").content.decode()


def test_a_large_roll_from_the_web_is_imported_in_the_background(client, area, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongzhi.accounts.models import Role
    from gongzhi.core.models import Job
    from gongzhi.core.tests.clients import as_
    from gongzhi.core.tests.queue import drain, job_file

    from .factories import user_with_role

    settings.ROLL_IMPORT_SYNC_BYTES = 10  # every roll counts as large here
    as_(client, user_with_role("clerk", Role.CLERK, neighbourhood=area))
    upload = SimpleUploadedFile("清册.csv", CHINESE.encode("utf-8"))
    answer = client.post("/registry/import/", {"neighbourhood": area.pk, "file": upload})
    assert not Unit.objects.exists()  # nothing read inside the request
    report = job_file(client, answer).decode("utf-8-sig")
    assert Unit.objects.count() == 3 and "3" in report
    bad = SimpleUploadedFile("坏.csv", (CHINESE + "番禺小区,1号楼,101,1,X\n").encode("utf-8"))
    answer = client.post("/registry/import/", {"neighbourhood": area.pk, "file": bad})
    drain()
    job = Job.objects.order_by("-pk").first()
    assert job.status == "failed" and "未导入任何内容" in job.message
    errors = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert "第 5 行，房号 列 “101”：房屋重复" in errors
    assert Unit.objects.count() == 3
    assert not list((settings.MEDIA_ROOT / "imports").iterdir())  # the upload is not kept
