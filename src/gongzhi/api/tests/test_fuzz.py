"""The whole API under a schema-driven fuzzer (schemathesis), with all of its checks:
no server error, every status and body as the OpenAPI document declares them, invalid
input refused, valid input accepted — as an anonymous caller, an owner and a clerk.

One setting differs from schemathesis' defaults: a well-formed request may still be
refused by a rule of the domain — the vote is closed, the code is wrong — with 400 and
its reason, which "valid input accepted" counts as accepted. Input that does not fit
the schema is 422, and that is what the rejection check asks for.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from gongzhi.accounts.models import Role
from gongzhi.api.api import api
from gongzhi.registry.tests.factories import (
    BuildingFactory,
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    unit_with_owners,
    user_with_role,
)

CONFIG = schemathesis.Config.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
schema.app = WSGIHandler()
PERSONAS = ["anonymous", "owner", "clerk"]
SIGNED_IN = {"session": None}  # the persona of the running test (tests run one at a time)


@schema.auth(refresh_interval=None)
class PersonaSession:
    """The persona's session cookie, told to schemathesis as the API's auth, so that its
    checks also try each operation without it and with a forged one."""

    def get(self, case, ctx):
        return SIGNED_IN["session"]

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), "sessionid": data}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A compound with owners, an open decision and a published notice, made once for
    the module inside a transaction that is rolled back after it: other modules never
    see it. Each test runs in a savepoint of its own within it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _make_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _make_world():
    from gongzhi.notices import services as notices
    from gongzhi.voting import services as voting

    area = NeighbourhoodFactory(name="模糊测试居民区")
    compound = CompoundFactory(neighbourhood=area, name="模糊测试小区")
    owners = [OwnerFactory(sub_district=area.sub_district) for _ in range(3)]
    building = BuildingFactory(compound=compound, name="1号楼")
    units = [
        unit_with_owners(compound, f"1-{101 + n}", "60.00", [owner], building=building)
        for n, owner in enumerate(owners)
    ]
    clerk = user_with_role("fuzz-clerk", Role.CLERK, neighbourhood=area)
    owner = user_with_role("fuzz-owner", Role.OWNER, owner=owners[0])
    now = timezone.now()
    decision = voting.decision_create(
        neighbourhood=area,
        title="模糊测试表决",
        text="",
        compounds=[compound],
        items=[voting.ItemSpec(text="是否同意？", matter="9")],
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=20),
        actor=clerk,
    )
    voting.decision_announce(decision=decision, actor=clerk, now=now - dt.timedelta(days=20))
    voting.decision_open(decision=decision, actor=clerk, now=now)
    notice = notices.notice_create(
        neighbourhood=area,
        compounds=[compound],
        kind="general",
        title="模糊测试公示",
        body="正文",
        display_from=now,
        display_until=now + dt.timedelta(days=10),
        opinions_open=True,
        actor=clerk,
    )
    notices.notice_publish(notice=notice, actor=clerk, now=now)
    entry = decision.register.get(unit=units[0])
    (ballot,) = voting.ballot_cast_online(
        decision=decision,
        entry=entry,
        choices={decision.items.get().pk: "agree"},
        user=owner,
    )
    sessions = {}
    for name, user in (("owner", owner), ("clerk", clerk)):
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies["sessionid"].value
    sessions["ids"] = {
        "decision_id": decision.pk,
        "notice_id": notice.pk,
        "compound_id": compound.pk,
        "building_id": building.pk,
        "unit_id": units[0].pk,
        "receipt": ballot.receipt,
    }
    return sessions


@pytest.fixture(autouse=True)
def connection_kept():
    """The requests run through a bare WSGI handler, which closes a connection left
    inside a transaction when a request starts and ends, as a server should. The tests
    run inside one (their data is rolled back), so, as Django's own test client does,
    the handler leaves the connection alone here. On SQLite's in-memory database
    closing is a no-op, which hid this; on PostgreSQL every later query failed."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(world, persona):
    SIGNED_IN["session"] = None if persona == "anonymous" else world[persona]
    yield persona
    SIGNED_IN["session"] = None


@pytest.fixture
def generous_limits(settings):
    """The fuzzer sends thousands of requests: rate limits would answer most of them."""
    settings.API_RATE_LIMITS = {"anonymous": "100000/m", "signed_in": "100000/m"}


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, persona, signed_in, generous_limits):
    case.call_and_validate()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.django_db
def test_real_objects_answer_as_the_schema_says(persona, world, signed_in, generous_limits):
    """Random ids mostly find nothing: each GET is also asked about the real objects."""
    checked, statuses = 0, set()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        names = [parameter.name for parameter in operation.path_parameters]
        if not all(name in world["ids"] for name in names):
            continue
        case = operation.Case(path_parameters={name: world["ids"][name] for name in names})
        if SIGNED_IN["session"]:
            case.cookies = {"sessionid": SIGNED_IN["session"]}
        # forged and missing sessions are the generated tests' business (ignored_auth)
        response = case.call_and_validate(excluded_checks=[ignored_auth])
        statuses.add(response.status_code)
        checked += 1
    assert checked >= 12
    # the personas are who they claim: signed-in callers get past the sign-in
    assert (401 in statuses) == (persona == "anonymous")
    assert 200 in statuses
