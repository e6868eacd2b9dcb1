"""Reporting on the page: an owner's own unit, photos without their metadata, similar
requests offered first, and every bad input refused in words with nothing written."""

from decimal import Decimal

import pytest

from gongzhi.core.tests.clients import as_
from gongzhi.servicedesk.models import RequestEvent, RequestPhoto, ServiceRequest, Watcher

from .conftest import photo


def form(desk, **fields):
    data = {
        "compound": desk.shuixia.pk,
        "category": desk.categories["leak"].pk,
        "place": "unit",
        "unit": desk.units["mine"].pk,
        "description": "卫生间顶部渗水，滴到地上",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_an_owner_reports_a_leak_with_a_photo(client, desk):
    as_(client, desk.users["owner"])
    page = client.get("/requests/new/").content.decode()
    assert 'value="unit" selected' in page  # their home, by default
    answer = client.post("/requests/new/", form(desk, photos=photo("漏水", size=64)))
    assert answer.status_code == 302
    item = ServiceRequest.objects.get()
    assert (item.reporter, item.unit, item.building) == (
        desk.users["owner"],
        desk.units["mine"],
        desk.building,
    )
    picture = RequestPhoto.objects.get()
    assert picture.stage == "report"
    assert client.get(answer["Location"]).status_code == 200


def test_a_similar_open_request_is_offered_before_a_second_report(client, desk):
    first = desk.report("neighbour")
    as_(client, desk.users["owner"])
    answer = client.post("/requests/new/", form(desk))
    assert answer.status_code == 200
    assert (
        f"#{first.pk}" in answer.content.decode()
        and 'data-testid="similar"' in answer.content.decode()
    )
    assert ServiceRequest.objects.count() == 1
    client.post(f"/requests/{first.pk}/me-too/")
    assert Watcher.objects.filter(request=first, user=desk.users["owner"]).exists()
    # or it is a different problem after all
    assert client.post("/requests/new/", form(desk, confirmed="1")).status_code == 302
    assert ServiceRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"description": "   "}, "必填"),
        ({"description": "漏" * 2001}, "2000"),
        ({"unit": "neighbour"}, ""),  # someone else's unit is not offered at all
        ({"category": "other_sub_district"}, ""),
        ({"photos": "text"}, "图片"),
        ({"photos": "six"}, "5"),
        ({"latitude": "31.220000", "longitude": "121.393800"}, "500"),
        ({"latitude": "31.206300"}, "坐标"),
        ({"place": "unit", "unit": ""}, "房屋"),
    ],
)
def test_bad_input_is_refused_in_words_and_writes_nothing(client, desk, fields, words):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongzhi.registry.tests.factories import SubDistrictFactory
    from gongzhi.servicedesk.models import Category

    values = dict(fields)
    if values.get("unit") == "neighbour":
        values["unit"] = desk.units["neighbour"].pk
    if values.get("category") == "other_sub_district":
        values["category"] = Category.objects.filter(sub_district=SubDistrictFactory()).first().pk
    if values.get("photos") == "text":
        values["photos"] = SimpleUploadedFile(
            "a.png", b"not an image at all", content_type="image/png"
        )
    if values.get("photos") == "six":
        values["photos"] = [photo(f"p{n}") for n in range(6)]
    answer = as_(client, desk.users["owner"]).post("/requests/new/", form(desk, **values))
    assert answer.status_code in (200, 400)
    assert words in answer.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not RequestPhoto.objects.exists() and not RequestEvent.objects.exists()


def test_staff_record_a_phone_call_with_the_callers_number(client, desk):
    as_(client, desk.users["clerk"])
    data = form(
        desk, place="building", unit="", building=desk.building.pk, channel="phone",
        reporter_name="陈阿姨", reporter_phone="139 0000 1111",
    )  # fmt: skip
    assert client.post("/requests/new/", data).status_code == 302
    item = ServiceRequest.objects.get()
    assert (item.channel, item.reporter, item.recorded_by) == ("phone", None, desk.users["clerk"])
    assert item.reporter_phone == "13900001111"
    bad = client.post("/requests/new/", {**data, "reporter_phone": "12345", "confirmed": "1"})
    assert "12345" in bad.content.decode() and ServiceRequest.objects.count() == 1


def test_reports_are_limited_per_person_per_hour(client, desk):
    as_(client, desk.users["owner"])
    for n in range(10):
        assert (
            client.post(
                "/requests/new/", form(desk, confirmed="1", description=f"第{n}次")
            ).status_code
            == 302
        )
    answer = client.post("/requests/new/", form(desk, confirmed="1"))
    assert answer.status_code == 429
    assert ServiceRequest.objects.count() == 10


def test_an_outsider_may_not_report(client, desk):
    assert as_(client, desk.users["outsider"]).get("/requests/new/").status_code == 403
    assert as_(client, desk.users["maotai_owner"]).post(
        "/requests/new/", form(desk)
    ).status_code in (200, 400, 403)
    assert not ServiceRequest.objects.exists()


def test_a_map_point_within_the_compound_is_kept(client, desk):
    as_(client, desk.users["owner"])
    client.post("/requests/new/", form(desk, latitude="31.207000", longitude="121.393800"))
    item = ServiceRequest.objects.get()
    assert (item.latitude, item.longitude) == (Decimal("31.207000"), Decimal("121.393800"))
