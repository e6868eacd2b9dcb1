"""Bearer tokens for mobile clients: issued for a password or a sign-in code, stored
hashed, expiring, revocable; every API endpoint accepts them."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.models import ApiToken
from gongzhi.core.tests.outbox import last_code
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def person():
    return UserFactory(username="wangfang", phone="13800138000")


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", **headers)


def token_for(client, **body):
    answer = post(client, "/api/accounts/token", {"phone": "13800138000", **body})
    return answer


def test_a_token_for_the_password_opens_the_api(client, person):
    answer = token_for(client, password=PASSWORD, name="小程序")
    assert answer.status_code == 200
    raw = answer.json()["token"]
    assert raw.startswith("gz_")
    stored = ApiToken.objects.get()
    assert raw not in (stored.key_hash, stored.prefix) and stored.name == "小程序"
    me = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["phone"] == "13800138000"
    assert (
        Client().get("/api/registry/my-units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 200
    )
    assert Client().get("/api/accounts/me").status_code == 401


def test_a_token_for_a_sign_in_code(client, person):
    post(client, "/api/accounts/sign-in-code", {"phone": "13800138000"})
    answer = token_for(client, code=last_code("13800138000"))
    assert answer.status_code == 200


def test_wrong_password_unknown_phone_and_nothing_given_are_refused(client, person):
    assert token_for(client, password="wrong").status_code == 400
    assert (
        post(
            client, "/api/accounts/token", {"phone": "13900139000", "password": PASSWORD}
        ).status_code
        == 400
    )
    answer = token_for(client)
    assert answer.status_code == 400 and "密码" in answer.json()["detail"]


def test_expired_and_revoked_tokens_are_refused(client, person):
    raw = token_for(client, password=PASSWORD).json()["token"]
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/accounts/me", **header).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/accounts/me", **header).status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert Client().post("/api/accounts/token/revoke", **header).status_code == 204
    assert Client().get("/api/accounts/me", **header).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_tokens_are_revoked_from_the_profile_by_their_owner_only(client, person):
    raw = token_for(client, password=PASSWORD).json()["token"]
    token = ApiToken.objects.get()
    other = UserFactory(username="other")
    client.force_login(other)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(person)
    profile = client.get("/accounts/profile/").content.decode()
    assert token.prefix in profile and raw not in profile
    client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_token_endpoint_counts_failures_with_the_sign_in_page(client, person, settings):
    settings.LOGIN_RATE_LIMIT = {**settings.LOGIN_RATE_LIMIT, "per_username": 3, "per_address": 100}
    for _ in range(3):
        token_for(client, password="wrong")
    assert token_for(client, password=PASSWORD).status_code == 429
    assert (
        client.post(
            "/accounts/login/", {"username": "13800138000", "password": PASSWORD}
        ).status_code
        == 429
    )


def test_the_password_reset_api_for_anyone_with_the_mobile(client, person):
    assert post(client, "/api/accounts/password-reset", {"phone": "13800138000"}).status_code == 202
    unknown = post(client, "/api/accounts/password-reset", {"phone": "13900139000"})
    assert unknown.status_code == 202
    assert (
        unknown.json()
        == post(client, "/api/accounts/password-reset", {"phone": "13700137000"}).json()
    )
    answer = post(
        client,
        "/api/accounts/password-reset/confirm",
        {"phone": "13800138000", "code": last_code("13800138000"), "password": "a-new-Passw0rd"},
    )
    assert answer.status_code == 200
    person.refresh_from_db()
    assert person.check_password("a-new-Passw0rd")
