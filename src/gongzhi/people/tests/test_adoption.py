"""A real sub-district adopts the platform on a fresh database, with no demo: the area
is created, an official and a clerk are invited by SMS, a roll numbered per building
is imported, owners claim their homes through the page and the API with codes from the
SMS outbox, sign in with a token, reset a password — and a browser walks an owner from
claim to vote on a 390 px phone."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.tests.outbox import last_code, last_link, sms_sent
from gongzhi.core.tests.queue import drain
from gongzhi.registry.models import Compound, Neighbourhood, SubDistrict
from gongzhi.voting.models import Ballot
from gongzhi.voting.services import ItemSpec, decision_announce, decision_create, decision_open

from .conftest import id_number

ROLL = (
    "小区,楼栋,房号,面积,业主,业主姓名,联系电话,身份证号\n"
    f"番禺小区,1号楼,101,60.00,A1,张伟,13811110001,{id_number(1)}\n"
    f"番禺小区,2号楼,101,65.50,B1;B2,李娜;王强,13811110002;13811110003,{id_number(2)};{id_number(3)}\n"
    f"番禺小区,2号楼,102,70.00,C1,赵敏,13811110004,{id_number(4)}\n"
)
PASSWORD = "a-new-Passw0rd"


def json_post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", **headers)


def set_up_office(client):
    """What an administrator and the first official do on day one."""
    call_command("create_area", district="长宁区", sub_district="新华路街道", area="番禺居民区")
    assert not SubDistrict.objects.filter(is_demo=True).exists()
    call_command("grant", "official", sub_district="新华路街道", phone="13900000001", name="王芳")
    official_link = last_link("13900000001")
    client.post(official_link, {"password": PASSWORD})
    client.logout()
    assert (
        client.post(
            "/accounts/login/", {"username": "13900000001", "password": PASSWORD}
        ).status_code
        == 302
    )
    area = Neighbourhood.objects.get(name="番禺居民区")
    client.post(
        "/people/invite/",
        {"role": "clerk", "name": "李干事", "phone": "13900000002", "neighbourhood": area.pk},
    )
    client.logout()
    clerk_link = last_link("13900000002")
    assert client.post(clerk_link, {"password": PASSWORD}).status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("番禺小区清册.csv", ROLL.encode("utf-8"))
    answer = client.post("/registry/import/", {"neighbourhood": area.pk, "file": upload})
    assert answer.status_code == 200 and "import-report" in answer.content.decode()
    assert "番禺小区" in client.get("/registry/compounds/").content.decode()  # the clerk sees it
    client.logout()
    return Compound.objects.get(name="番禺小区")


@pytest.mark.django_db
def test_a_real_office_from_nothing_to_owners_signed_in(client):
    compound = set_up_office(client)
    # an owner claims on the page …
    client.post(
        "/people/claim/",
        {
            "compound": compound.pk,
            "building": "2号楼",
            "room": "101",
            "id_number": id_number(2),
            "phone": "13811110002",
        },
    )
    answer = client.post(
        "/people/claim/confirm/",
        {"phone": "13811110002", "code": last_code("13811110002"), "password": PASSWORD},
    )
    assert answer.status_code == 302 and answer["Location"] == "/registry/"
    assert "2号楼 101" in client.get("/registry/my-units/").content.decode()
    client.logout()
    # … her co-owner through the API of a mini-program, with a token
    api = Client()
    claim = {
        "compound": compound.pk,
        "building": "2号楼",
        "unit": "101",
        "id_number": id_number(3),
        "phone": "13811110003",
    }
    assert json_post(api, "/api/accounts/claim", claim).status_code == 202
    assert (
        json_post(
            api,
            "/api/accounts/claim/confirm",
            {"phone": "13811110003", "code": last_code("13811110003"), "password": PASSWORD},
        ).status_code
        == 201
    )
    token = json_post(
        api, "/api/accounts/token", {"phone": "13811110003", "password": PASSWORD}
    ).json()["token"]
    units = Client().get("/api/registry/my-units", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(units) == 1
    # … and resets a forgotten password
    assert (
        json_post(api, "/api/accounts/password-reset", {"phone": "13811110003"}).status_code == 202
    )
    assert (
        json_post(
            api,
            "/api/accounts/password-reset/confirm",
            {
                "phone": "13811110003",
                "code": last_code("13811110003"),
                "password": "another-Passw0rd",
            },
        ).status_code
        == 200
    )
    assert User.objects.get(phone="13811110003").check_password("another-Passw0rd")
    # the roll's neighbour at 1号楼 101 was told nothing
    assert sms_sent("13811110001") == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_owner_claims_their_home_and_votes_on_a_phone(live_server, phone_page):
    setup = Client()
    compound = set_up_office(setup)
    clerk = User.objects.get(phone="13900000002")
    now = timezone.now()
    decision = decision_create(
        neighbourhood=compound.neighbourhood,
        title="同意安装电瓶车充电桩",
        text="在2号楼旁安装充电桩。",
        compounds=[compound],
        items=[ItemSpec(text="是否同意？", matter="9")],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=10),
        actor=clerk,
    )
    decision_announce(decision=decision, actor=clerk, now=now - dt.timedelta(days=16))
    decision_open(decision=decision, actor=clerk, now=now)

    page, url = phone_page, live_server.url
    page.goto(f"{url}/accounts/login/")
    page.get_by_role("link", name="业主还没有账户？认领您的房屋").click()
    page.select_option("select[name=compound]", label="番禺小区")
    page.fill("input[name=building]", "1号楼")
    page.fill("input[name=room]", "101")
    page.fill("input[name=id_number]", id_number(1))
    page.fill("input[name=phone]", "138 1111 0001")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="发送验证码").click()
    page.wait_for_url("**/people/claim/confirm/")
    drain()  # the worker sends the SMS
    page.fill("input[name=code]", last_code("13811110001"))
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="开通账户").click()
    page.wait_for_url(re.compile(r".*/me/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    vote = page.get_by_test_id("open-vote")
    assert "同意安装电瓶车充电桩" in vote.inner_text()
    page.get_by_test_id("go-vote").click()
    card = page.locator("section.card").filter(has_text="1号楼 101")
    card.get_by_label("同意", exact=True).check()
    card.get_by_role("button", name="投票").click()
    assert page.get_by_test_id("chosen-1").inner_text() == "同意"
    page.get_by_test_id("confirm-button").click()
    notice = page.locator(".messages li.success")
    notice.wait_for()
    receipt = re.search(r"[A-Z2-9]{8}", notice.inner_text()).group(0)
    ballot = Ballot.objects.get(receipt=receipt)
    assert (ballot.entry.label, ballot.choice, ballot.channel) == ("1号楼 101", "agree", "online")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
