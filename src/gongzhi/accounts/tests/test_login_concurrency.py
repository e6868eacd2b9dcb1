"""The review's finding: 30–40 simultaneous wrong passwords for one user name were all
checked against a limit of 5. Attempts are now counted before the password is."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from gongzhi.registry.tests.factories import UserFactory


def _concurrently(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(n):
        try:
            barrier.wait()
            results.append(work(n))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_wrong_passwords_meet_the_limit_of_five(settings):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent requests need PostgreSQL (SQLite serialises all writes)")
    settings.LOGIN_RATE_LIMIT = {**settings.LOGIN_RATE_LIMIT, "per_address": 1000}
    UserFactory(username="clerk")

    def attempt(n):
        response = Client().post(
            "/accounts/login/",
            {"username": "clerk", "password": f"wrong-{n}"},
            REMOTE_ADDR="10.0.0.1",
        )
        return response.status_code

    statuses = _concurrently(40, attempt)
    # 200: the password was checked (and was wrong); 429: refused before any check
    assert statuses.count(200) == 5
    assert statuses.count(429) == 35


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_attempts_from_one_address_meet_its_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent requests need PostgreSQL (SQLite serialises all writes)")
    settings.LOGIN_RATE_LIMIT = {**settings.LOGIN_RATE_LIMIT, "per_address": 20}

    def attempt(n):
        response = Client().post(
            "/accounts/login/",
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
        )
        return response.status_code

    statuses = _concurrently(40, attempt)
    assert statuses.count(200) == 20
