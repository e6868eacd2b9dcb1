"""Open311 GeoReport v2 through a real HTTP server and client: discovery of services,
public reads without personal data, posting with a key, errors in the spec's shape."""

import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command

from gongzhi.servicedesk.models import Channel, ServiceRequest
from gongzhi.servicedesk.services import steps

pytestmark = pytest.mark.django_db(transaction=True)


def get(server, path):
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def post(server, path, fields):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(server.url + path, data=data, method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def issue_key(desk) -> str:
    out = io.StringIO()
    call_command(
        "open311_key", "--name", "市民热线", "--sub-district", desk.neighbourhood.sub_district.name,
        stdout=out,
    )  # fmt: skip
    return out.getvalue().split()[-1]


def test_services_and_their_definition(live_server, desk):
    status, services = get(live_server, "/open311/v2/services.json")
    assert status == 200
    codes = {s["service_code"] for s in services}
    assert {"leak", "lift-fault", "water-supply", "e-bike-charging"} <= codes
    leak = next(s for s in services if s["service_code"] == "leak")
    assert leak["service_name"] == "房屋渗漏" and leak["type"] == "realtime"
    status, definition = get(live_server, "/open311/v2/services/leak.json")
    assert status == 200
    compound = next(a for a in definition["attributes"] if a["code"] == "compound")
    assert {"key": str(desk.shuixia.pk), "name": "水霞小区"} in compound["values"]
    assert get(live_server, "/open311/v2/services/nothing.json")[0] == 404


def test_public_reads_carry_no_personal_data(live_server, desk):
    item = desk.report(
        place="unit",
        unit=desk.units["mine"],
        description="卫生间顶部渗水 13811112222",
        now=None,  # the listing's default window is the last 90 days
    )
    steps.request_accept(request=item, actor=desk.users["provider"])
    status, rows = get(live_server, f"/open311/v2/requests/{item.pk}.json")
    assert status == 200 and len(rows) == 1
    row = rows[0]
    assert row["status"] == "open" and row["agency_responsible"] == "纺原物业"
    assert row["address"] == "水霞居民区 水霞小区"
    text = json.dumps(rows, ensure_ascii=False)
    for private in ("13811112222", "3-101", "卫生间", desk.users["owner"].username):
        assert private not in text
    assert "description" not in row
    status, listed = get(live_server, "/open311/v2/requests.json?status=open&service_code=leak")
    assert [r["service_request_id"] for r in listed] == [str(item.pk)]
    assert get(live_server, "/open311/v2/requests.json?status=closed")[1] == []


@pytest.mark.parametrize(
    "query",
    [
        "status=maybe",
        "start_date=yesterday",
        "start_date=2026-13-01T00:00:00",
        "service_request_id=1;2",
        "status=open%00",
    ],
)
def test_bad_filters_are_refused_in_the_specs_shape(live_server, desk, query):
    status, body = get(live_server, f"/open311/v2/requests.json?{query}")
    assert status == 400
    assert set(body[0]) == {"code", "description"} and body[0]["code"] == 400


def test_posting_needs_a_key_and_a_place(live_server, desk):
    fields = {
        "service_code": "leak",
        "description": "单元门口漏水",
        "attribute[compound]": str(desk.shuixia.pk),
    }
    assert post(live_server, "/open311/v2/requests.json", fields)[0] == 403
    assert (
        post(live_server, "/open311/v2/requests.json", {**fields, "api_key": "o311_wrong"})[0]
        == 403
    )
    key = issue_key(desk)
    status, body = post(
        live_server,
        "/open311/v2/requests.json",
        {**fields, "api_key": key, "description": "漏水\x00"},
    )
    assert (status, body[0]["code"]) == (400, 400)
    assert not ServiceRequest.objects.exists()
    status, body = post(live_server, "/open311/v2/requests.json", {**fields, "api_key": key})
    assert status == 201, body
    created = ServiceRequest.objects.get(pk=int(body[0]["service_request_id"]))
    assert (created.channel, created.compound, created.party_company) == (
        Channel.OPEN311,
        desk.shuixia,
        desk.companies["纺原物业"],
    )
    assert created.reporter is None
    # by map point: within 500 m of 水霞小区's centre, else refused
    near = {
        "service_code": "lighting",
        "description": "路灯不亮",
        "api_key": key,
        "lat": "31.2080",
        "long": "121.3938",
    }
    status, body = post(live_server, "/open311/v2/requests.json", near)
    assert status == 201, body
    assert (
        ServiceRequest.objects.get(pk=int(body[0]["service_request_id"])).compound == desk.shuixia
    )
    far = {**near, "lat": "31.2200"}
    assert post(live_server, "/open311/v2/requests.json", far)[0] == 400
    for bad in (
        {"service_code": "nothing"},
        {"description": ""},
        {"attribute[building]": "99号楼"},
    ):
        before = ServiceRequest.objects.count()
        status, body = post(
            live_server, "/open311/v2/requests.json", {**fields, "api_key": key, **bad}
        )
        assert status == 400 and body[0]["description"], bad
        assert ServiceRequest.objects.count() == before
    # revoked keys stop working
    call_command("open311_key", "--revoke", key[:10], stdout=io.StringIO())
    assert post(live_server, "/open311/v2/requests.json", {**fields, "api_key": key})[0] == 403
