"""A real office without the demo: the business pages and APIs answer with their
empty states, and the work pages refuse a person without a business role."""

import pytest

from gongzhi.core.tests.clients import as_
from gongzhi.registry.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_business_pages_on_a_fresh_database(client):
    for url, empty in (
        ("/merchants/", "没有符合条件的店铺"),
        ("/foundation/", "暂无基金"),
        ("/partners/", "暂无已签署的协议"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and empty in response.content.decode(), url
    for url in ("/api/merchants/", "/api/foundation/funds", "/api/certificates/?status=revoked"):
        assert client.get(url).json() == [], url
    assert client.get("/api/certificates/CNQC-2026-0001").status_code == 404
    as_(client, user_with_role("resident"))
    for url in ("/merchants/work/", "/foundation/ledger/", "/partners/work/", "/merchants/new/"):
        assert client.get(url).status_code == 403, url
