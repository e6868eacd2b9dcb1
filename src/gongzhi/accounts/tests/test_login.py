"""Signing in: rate-limited failures, CSRF, audit of a lock."""

import pytest
from django.test import Client

from gongzhi.core.models import AuditEvent, EventType
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def user():
    return UserFactory(username="clerk")


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_correct_password_signs_in(client, user):
    response = sign_in(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert client.get("/registry/compounds/").status_code == 200


def test_fifth_failure_locks_the_name_even_for_the_right_password(client, user, settings):
    settings.LOGIN_RATE_LIMIT = {"per_username": 5, "per_address": 100, "window_seconds": 900}
    for _ in range(4):
        assert sign_in(client, "clerk", "wrong").status_code == 200
    # the fourth failure leaves one attempt
    assert sign_in(client, "clerk", PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        sign_in(client, "clerk", "wrong")
    locked = sign_in(client, "clerk", PASSWORD)
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=EventType.SIGN_IN_LOCKED).count() == 1


def test_lock_is_per_name_case_insensitively(client, user, settings):
    settings.LOGIN_RATE_LIMIT = {"per_username": 3, "per_address": 100, "window_seconds": 900}
    for name in ["clerk", "CLERK", "Clerk"]:
        sign_in(client, name, "wrong")
    assert sign_in(client, "clerk", PASSWORD).status_code == 429


def test_one_address_trying_many_names_is_locked(client, user, settings):
    settings.LOGIN_RATE_LIMIT = {"per_username": 100, "per_address": 3, "window_seconds": 900}
    for n in range(3):
        sign_in(client, f"guess{n}", "wrong", address="10.9.9.9")
    assert sign_in(client, "clerk", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "clerk", PASSWORD, address="10.0.0.2").status_code == 302


def test_success_resets_the_name_counter(client, user, settings):
    settings.LOGIN_RATE_LIMIT = {"per_username": 3, "per_address": 100, "window_seconds": 900}
    sign_in(client, "clerk", "wrong")
    sign_in(client, "clerk", "wrong")
    assert sign_in(client, "clerk", PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "clerk", "wrong")
    sign_in(client, "clerk", "wrong")
    assert sign_in(client, "clerk", PASSWORD).status_code == 302


def test_sign_in_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 403


def test_admin_sign_in_goes_through_the_rate_limited_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"


def test_back_office_only_for_staff(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302  # not staff: sent to sign in


def test_sign_out_needs_post(client, user):
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
