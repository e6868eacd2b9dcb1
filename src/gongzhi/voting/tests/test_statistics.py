"""Freezing a register refreshes PostgreSQL's planner statistics inside the same
transaction, so the queries that follow (the register digest, the tally) do not plan
as if the register were empty."""

import pytest
from django.db import connection

from gongzhi.voting.models import RegisterOwner
from gongzhi.voting.services import decision_announce

from .conftest import T0

pytestmark = pytest.mark.django_db


def reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_register_statistics_count_the_rows_just_frozen(scene):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with connection.cursor() as cursor:  # as autovacuum would, while the tables are empty
        cursor.execute("ANALYZE voting_registerentry, voting_registerowner")
    assert reltuples("voting_registerentry") <= 0
    decision = decision_announce(decision=scene.decision(), actor=scene.clerk, now=T0)
    entries = decision.register.count()
    assert entries > 0
    assert reltuples("voting_registerentry") == entries
    links = RegisterOwner.objects.filter(entry__decision=decision).count()
    assert reltuples("voting_registerowner") == links
