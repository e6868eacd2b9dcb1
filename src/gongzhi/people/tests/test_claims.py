"""Owners claim their units with the ID number and mobile the roll has: the same answer
whether anything matched, codes to the roll's mobile only, linked to exactly their
own owner records; units numbered per building are told apart."""

import pytest
from django.db import connection

from gongzhi.accounts.models import Membership, User
from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.errors import ApplicationError, RateLimited
from gongzhi.core.tests.outbox import last_code, sms_sent
from gongzhi.people.services import claims
from gongzhi.registry.selectors import owned_units

from .conftest import id_number

pytestmark = pytest.mark.django_db
PASSWORD = "a-new-Passw0rd"


def claim(town, building, room, serial, phone, address="10.0.0.1"):
    return claims.claim_request(
        compound=town.compound,
        building=building,
        room=room,
        id_number=id_number(serial),
        phone=phone,
        address=address,
    )


def test_an_owner_claims_exactly_their_own_unit(town):
    claim(town, "2号楼", "101", 2, "13811110002")
    user = claims.claim_confirm(
        phone="13811110002", code=last_code("13811110002"), password=PASSWORD, address="10.0.0.1"
    )
    assert scopes_for(user).owners == {town.owners["li"].pk}
    assert list(owned_units(user)) == [town.units["2-101"]]  # not 1号楼 101
    assert user.check_password(PASSWORD) and user.display_name == "李娜"


def test_co_owners_each_claim_the_same_unit_with_their_own_account(town):
    for serial, phone in ((2, "13811110002"), (3, "13811110003")):
        claim(town, "2号楼", "101", serial, phone)
        claims.claim_confirm(
            phone=phone, code=last_code(phone), password=PASSWORD, address="10.0.0.1"
        )
    users = User.objects.filter(phone__in=["13811110002", "13811110003"])
    assert users.count() == 2
    assert all(list(owned_units(u)) == [town.units["2-101"]] for u in users)


@pytest.mark.parametrize(
    "building,room,serial,phone",
    [
        ("1号楼", "101", 2, "13811110002"),  # li's ID and phone, but zhang's unit
        ("2号楼", "101", 1, "13811110002"),  # the unit's phone, another person's ID
        ("2号楼", "101", 2, "13811110001"),  # the right ID, a phone the roll gives someone else
        ("2号楼", "999", 2, "13811110002"),  # no such room
        ("", "101", 2, "13811110002"),  # ambiguous without the building
    ],
)
def test_nothing_is_sent_when_the_roll_disagrees_and_the_answer_is_the_same(
    town, client, building, room, serial, phone
):
    claim(town, building, room, serial, phone)
    assert sms_sent() == []
    data = {
        "compound": town.compound.pk,
        "building": building,
        "room": room,
        "id_number": id_number(serial),
        "phone": phone,
    }
    right = {
        "compound": town.compound.pk,
        "building": "2号楼",
        "room": "101",
        "id_number": id_number(2),
        "phone": "13811110002",
    }
    wrong_page = client.post("/people/claim/", data, REMOTE_ADDR="10.1.0.1")
    right_page = client.post("/people/claim/", right, REMOTE_ADDR="10.1.0.2")
    assert wrong_page.status_code == right_page.status_code == 302
    assert wrong_page["Location"] == right_page["Location"]
    api_wrong = client.post(
        "/api/accounts/claim",
        {**data, "unit": room},
        content_type="application/json",
        REMOTE_ADDR="10.1.0.3",
    )
    api_right = client.post(
        "/api/accounts/claim",
        {**right, "unit": "101"},
        content_type="application/json",
        REMOTE_ADDR="10.1.0.4",
    )
    assert api_wrong.status_code == api_right.status_code == 202
    assert api_wrong.json() == api_right.json()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("phone", "12345", "不是中国大陆手机号"),
        ("id_number", "110101199003070019", "校验"),  # wrong check digit
        ("id_number", "1101011990", "18"),
    ],
)
def test_malformed_input_is_refused_in_words(town, field, value, message):
    kwargs = {
        "compound": town.compound,
        "building": "2号楼",
        "room": "101",
        "id_number": id_number(2),
        "phone": "13811110002",
        "address": "10.0.0.1",
    }
    kwargs[field] = value
    with pytest.raises(ApplicationError, match=message):
        claims.claim_request(**kwargs)
    assert sms_sent() == []


def test_five_claims_an_hour_per_phone_and_per_address(town):
    for n in range(5):
        claim(town, "2号楼", "101", 2, "13811110002", address=f"10.0.0.{n}")
    with pytest.raises(RateLimited):
        claim(town, "2号楼", "101", 2, "13811110002", address="10.0.0.99")
    for n in range(5):
        claim(town, "1号楼", "101", 1, f"1390000000{n}", address="10.9.9.9")
    with pytest.raises(RateLimited):
        claim(town, "1号楼", "101", 1, "13811110001", address="10.9.9.9")


def test_a_unit_linked_to_someone_else_is_not_claimed_again(town):
    from gongzhi.accounts.services import membership_grant

    squatter = User.objects.create(username="s", phone="13700000000")
    membership_grant(user=squatter, role="owner", actor=None, owner=town.owners["zhang"])
    claim(town, "1号楼", "101", 1, "13811110001")
    assert sms_sent() == []  # the roll's owner is linked to another account: no code
    assert Membership.objects.filter(owner=town.owners["zhang"]).count() == 1


def test_claiming_again_with_the_same_mobile_links_the_same_account(town):
    for _ in range(2):
        claim(town, "1号楼", "101", 1, "13811110001")
        claims.claim_confirm(
            phone="13811110001",
            code=last_code("13811110001"),
            password=PASSWORD,
            address="10.0.0.1",
        )
    assert User.objects.filter(phone="13811110001").count() == 1
    assert Membership.objects.current().filter(owner=town.owners["zhang"]).count() == 1


def test_a_wrong_or_reused_code_is_refused(town):
    claim(town, "1号楼", "101", 1, "13811110001")
    code = last_code("13811110001")
    with pytest.raises(ApplicationError, match="验证码错误或已过期"):
        claims.claim_confirm(
            phone="13811110001",
            code="000000" if code != "000000" else "111111",
            password=PASSWORD,
            address="10.0.0.1",
        )
    claims.claim_confirm(phone="13811110001", code=code, password=PASSWORD, address="10.0.0.1")
    with pytest.raises(ApplicationError, match="验证码错误或已过期"):
        claims.claim_confirm(phone="13811110001", code=code, password=PASSWORD, address="10.0.0.1")


def test_the_claim_api_from_code_to_token(client, town):
    post = lambda url, data: client.post(url, data, content_type="application/json")  # noqa: E731
    answer = post(
        "/api/accounts/claim",
        {
            "compound": town.compound.pk,
            "building": "2号楼",
            "unit": "101",
            "id_number": id_number(3),
            "phone": "13811110003",
        },
    )
    assert answer.status_code == 202
    confirmed = post(
        "/api/accounts/claim/confirm",
        {"phone": "13811110003", "code": last_code("13811110003"), "password": PASSWORD},
    )
    assert confirmed.status_code == 201
    token = post("/api/accounts/token", {"phone": "13811110003", "password": PASSWORD}).json()[
        "token"
    ]
    units = client.get("/api/registry/my-units", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [u["id"] for u in units] == [town.units["2-101"].pk]
    listed = client.get("/api/accounts/compounds").json()
    assert {
        "id": town.compound.pk,
        "name": "番禺小区",
        "area": "番禺居民区",
        "sub_district": "新华路街道",
    } in listed


def test_id_numbers_are_never_stored_or_logged_in_the_clear(town, caplog, settings, tmp_path):
    """The whole database and the logs, searched for the ID numbers given in claims."""
    caplog.set_level("DEBUG")
    given = [id_number(2), id_number(9)]
    claim(town, "2号楼", "101", 2, "13811110002")
    claim(town, "2号楼", "101", 9, "13811110002", address="10.0.0.2")
    claims.claim_confirm(
        phone="13811110002", code=last_code("13811110002"), password=PASSWORD, address="10.0.0.1"
    )
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                for number in given:
                    assert number not in text, table
    for number in given:
        assert number not in caplog.text
