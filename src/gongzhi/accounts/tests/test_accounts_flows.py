"""Signing in by mobile number, by SMS code; resetting a password (also for someone
invited who never set one); a new mobile number; the answers never say whether a
number has an account."""

import re

import pytest

from gongzhi.accounts.models import User
from gongzhi.core.tests.clients import as_
from gongzhi.core.tests.outbox import last_code, sms_sent
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
NEW = "a-new-Passw0rd"


@pytest.fixture
def person():
    return UserFactory(username="wangfang", phone="13800138000")


def test_sign_in_with_the_mobile_number_however_typed(client, person):
    for typed in ("13800138000", "138 0013 8000", "wangfang"):
        client.logout()
        answer = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert answer.status_code == 302, typed


def test_failed_sign_ins_count_once_per_number_however_typed(client, person, settings):
    settings.LOGIN_RATE_LIMIT = {**settings.LOGIN_RATE_LIMIT, "per_username": 3, "per_address": 100}
    for typed in ("13800138000", "138 0013 8000", "+86 13800138000"):
        client.post("/accounts/login/", {"username": typed, "password": "wrong"})
    answer = client.post("/accounts/login/", {"username": "138-0013-8000", "password": PASSWORD})
    assert answer.status_code == 429


def test_sign_in_with_an_sms_code(client, person):
    client.post("/accounts/login/code/", {"phone": "138 0013 8000"})
    answer = client.post(
        "/accounts/login/code/confirm/", {"phone": "13800138000", "code": last_code("13800138000")}
    )
    assert answer.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_asking_for_a_code_for_an_unknown_number_answers_the_same_and_sends_nothing(client, person):
    known = client.post("/accounts/login/code/", {"phone": "13800138000"}, follow=True)
    unknown = client.post("/accounts/login/code/", {"phone": "13900139000"}, follow=True)
    assert known.status_code == unknown.status_code == 200

    def strip(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html.replace("13800138000", "N").replace("13900139000", "N")

    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert sms_sent("13900139000") == [] and len(sms_sent("13800138000")) == 1


def test_an_invited_person_without_a_password_resets_one_by_sms(client):
    invited = User.objects.create(username="13700137000", phone="13700137000")
    invited.set_unusable_password()
    invited.save()
    client.post("/accounts/password-reset/", {"phone": "13700137000"})
    answer = client.post(
        "/accounts/password-reset/confirm/",
        {"phone": "13700137000", "code": last_code("13700137000"), "password": NEW},
    )
    assert answer.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW)


def test_a_weak_new_password_is_refused_before_the_code_is_spent(client, person):
    client.post("/accounts/password-reset/", {"phone": "13800138000"})
    code = last_code("13800138000")
    weak = client.post(
        "/accounts/password-reset/confirm/",
        {"phone": "13800138000", "code": code, "password": "12345678"},
    )
    assert weak.status_code == 400 and "密码" in weak.content.decode()
    good = client.post(
        "/accounts/password-reset/confirm/", {"phone": "13800138000", "code": code, "password": NEW}
    )
    assert good.status_code == 302


def test_a_new_mobile_number_needs_its_own_code_and_must_be_free(client, person):
    other = UserFactory(username="other", phone="13600136000")
    as_(client, person).post("/accounts/profile/phone/", {"phone": "13600136000"})
    client.post(
        "/accounts/profile/phone/confirm/",
        {"phone": "13600136000", "code": last_code("13600136000")},
    )
    person.refresh_from_db()
    assert person.phone == "13800138000"  # taken by another account: refused
    client.post("/accounts/profile/phone/", {"phone": "13500135000"})
    client.post("/accounts/profile/phone/confirm/", {"phone": "13500135000", "code": "000000"})
    person.refresh_from_db()
    assert person.phone == "13800138000"  # wrong code
    client.post("/accounts/profile/phone/", {"phone": "13500135000"})
    client.post(
        "/accounts/profile/phone/confirm/",
        {"phone": "13500135000", "code": last_code("13500135000")},
    )
    person.refresh_from_db()
    assert person.phone == "13500135000"
    assert other.phone == "13600136000"


def test_no_get_changes_anything(client, person):
    for url in (
        "/accounts/login/code/",
        "/accounts/password-reset/",
        "/accounts/password-reset/confirm/",
    ):
        client.get(url + "?phone=13800138000")
    assert sms_sent() == []
