"""API request rates: anonymous callers by address (forwarded headers only from our own
proxies), signed-in callers by account in a bucket of their own."""

import pytest
from django.test import Client

from gongzhi.core.net import client_address
from gongzhi.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PUBLIC = "/api/voting/decisions"


@pytest.fixture
def rates(settings):
    settings.API_RATE_LIMITS = {"anonymous": "3/m", "signed_in": "5/m"}
    settings.TRUSTED_PROXIES = []
    return settings


def test_anonymous_callers_are_limited_by_address(rates):
    client = Client()
    statuses = [client.get(PUBLIC, REMOTE_ADDR="9.9.9.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(PUBLIC, REMOTE_ADDR="9.9.9.8").status_code == 200


def test_a_forged_forwarded_header_does_not_open_a_new_bucket(rates):
    client = Client()
    statuses = [
        client.get(PUBLIC, REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(rates):
    rates.TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client()
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="1.1.1.1", **via_proxy).status_code == 200
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="1.1.1.1", **via_proxy).status_code == 429
    # another client behind the same proxy has its own bucket; a hop forged before
    # the proxy's own does not change who the proxy saw
    forged = "6.6.6.6, 2.2.2.2"
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR=forged, **via_proxy).status_code == 200


def test_signed_in_callers_have_their_own_bucket_on_public_endpoints(rates):
    anonymous = Client()
    for _ in range(3):
        anonymous.get(PUBLIC, REMOTE_ADDR="9.9.9.9")
    assert anonymous.get(PUBLIC, REMOTE_ADDR="9.9.9.9").status_code == 429
    member = Client()
    member.force_login(UserFactory())
    statuses = [member.get(PUBLIC, REMOTE_ADDR="9.9.9.9").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


class _Request:
    def __init__(self, remote, forwarded=""):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        ([], "9.9.9.9", "1.1.1.1", "9.9.9.9"),  # no proxy configured: header ignored
        (["127.0.0.1"], "9.9.9.9", "1.1.1.1", "9.9.9.9"),  # not from our proxy
        (["127.0.0.1"], "127.0.0.1", "1.1.1.1", "1.1.1.1"),
        (["10.0.0.0/8"], "10.0.0.2", "3.3.3.3, 1.1.1.1, 10.0.0.5", "1.1.1.1"),  # two proxies
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "1.1.1.1, not-an-address", "127.0.0.1"),
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(_Request(remote, forwarded)) == client
