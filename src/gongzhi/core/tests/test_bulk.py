"""core.bulk.insert_rows: plain rows in, their new primary keys out, in order, across
as many statements as the database's parameter limit needs."""

from decimal import Decimal

import pytest

from gongzhi.core.bulk import insert_rows
from gongzhi.registry.models import Compound, Neighbourhood, Owner, SubDistrict, Unit

pytestmark = pytest.mark.django_db


def test_the_keys_come_back_in_the_order_of_the_rows():
    sub_district = SubDistrict.objects.create(name="测试街道")
    rows = [
        (sub_district.pk, f"O-{n:05d}", "person", f"业主{n}", "", "", "")
        for n in reversed(range(1500))  # several statements: 7 columns a row
    ]
    ids = insert_rows(
        Owner,
        (
            "sub_district",
            "identifier",
            "kind",
            "name",
            "phone",
            "id_number_hash",
            "id_number_masked",
        ),
        rows,
    )
    assert len(ids) == len(set(ids)) == 1500
    stored = dict(Owner.objects.values_list("pk", "identifier"))
    assert [stored[pk] for pk in ids] == [row[1] for row in rows]
    assert Owner.objects.get(identifier="O-00042").name == "业主42"


def test_decimals_are_stored_exactly_and_nothing_is_written_for_no_rows():
    compound = Compound.objects.create(
        neighbourhood=Neighbourhood.objects.create(
            sub_district=SubDistrict.objects.create(name="测试街道"), name="测试居民区"
        ),
        name="测试小区",
    )
    columns = ("compound", "building", "number", "area", "area_source", "status", "use")
    assert insert_rows(Unit, columns, []) == []
    [pk] = insert_rows(
        Unit,
        columns,
        [(compound.pk, None, "1-101", Decimal("89.07"), "register", "sold", "residential")],
    )
    assert Unit.objects.get(pk=pk).area == Decimal("89.07")
