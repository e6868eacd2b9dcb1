"""Exactly one ballot counts per unit and question, under real concurrency, and a
process killed mid-cast loses nothing it acknowledged."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.db import IntegrityError, close_old_connections, connection

from gongzhi.voting.ledger import chain_problems
from gongzhi.voting.models import Ballot, BallotState
from gongzhi.voting.services import ballot_enter_paper, decision_announce, decision_open

from .conftest import DURING, OPENS, T0


def opened(scene):
    decision = decision_announce(decision=scene.decision(), actor=scene.clerk, now=T0)
    return decision_open(decision=decision, actor=scene.clerk, now=OPENS)


@pytest.mark.django_db
def test_database_refuses_a_second_effective_ballot(scene):
    decision = opened(scene)
    entry, item = decision.register.get(unit_number="1-101"), decision.items.get()
    ballot_enter_paper(
        decision=decision, entry=entry, choices={item.pk: "agree"}, clerk=scene.clerk, now=DURING
    )
    with pytest.raises(IntegrityError):
        Ballot.objects.create(
            decision=decision, item=item, entry=entry, choice="disagree", channel="online"
        )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ballots_for_one_unit_count_exactly_once(scene):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises all writes)")
    decision = opened(scene)
    entry, item = decision.register.get(unit_number="1-101"), decision.items.get()
    writers = 8
    barrier = threading.Barrier(writers)
    outcomes, errors = [], []

    def cast(choice):
        try:
            barrier.wait()
            outcomes.extend(
                ballot_enter_paper(
                    decision=decision,
                    entry=entry,
                    choices={item.pk: choice},
                    clerk=scene.clerk,
                    now=DURING,
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=cast, args=(["agree", "disagree"][n % 2],)) for n in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Ballot.objects.filter(entry=entry).count() == writers  # none lost
    assert Ballot.objects.filter(entry=entry, state=BallotState.EFFECTIVE).count() == 1
    rejected = Ballot.objects.filter(entry=entry, state=BallotState.REJECTED)
    assert rejected.count() == writers - 1 and all(b.reason for b in rejected)
    assert chain_problems(decision) == []


def _worker_database(tmp_path):
    """A database of its own for the worker: an SQLite file, or a new PostgreSQL database."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "kill.sqlite3"
        return f"sqlite:///{path}", lambda: sqlite3.connect(path), lambda: None
    import psycopg

    name = f"gongzhi_kill_{uuid.uuid4().hex[:8]}"
    server = f"postgres://{default['USER']}@{default['HOST']}:{default['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", lambda: psycopg.connect(f"{server}/{name}"), drop


@pytest.mark.django_db
def test_killed_process_loses_no_acknowledged_ballot(tmp_path):
    url, connect, drop = _worker_database(tmp_path)
    try:
        worker = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("cast_worker.py")), "3000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DATABASE_URL": url, "GONGZHI_DATA_DIR": str(tmp_path)},
        )
        acknowledged = []
        for line in worker.stdout:
            if line.startswith("ACK "):
                acknowledged.append(int(line.split()[1]))
                if len(acknowledged) == 150:
                    os.kill(worker.pid, signal.SIGKILL)  # in the middle of the next cast
                    break
        worker.wait(timeout=60)
        assert worker.returncode == -signal.SIGKILL, worker.stderr.read()
        with connect() as database:
            stored = {row[0] for row in database.execute("SELECT id FROM voting_ballot").fetchall()}
        assert set(acknowledged) <= stored
        assert len(stored) >= 150
    finally:
        drop()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bad_codes_from_one_address_meet_its_limit(scene, settings):
    """The review's finding: 40 concurrent bad codes let 21 through a limit of 20."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (SQLite serialises all writes)")
    from gongzhi.core.errors import PermissionRefused, RateLimited
    from gongzhi.voting.services import ballot_cast_with_code

    settings.VOTE_CODE_RATE_LIMIT = {"per_address": 20, "window_seconds": 3600}
    decision = opened(scene)
    item = decision.items.get()
    attempts = 40
    barrier = threading.Barrier(attempts)
    refusals = []

    def guess(n):
        try:
            barrier.wait()
            ballot_cast_with_code(
                code=f"GUESS{n:05d}",
                phone_last4="0000",
                choices={item.pk: "agree"},
                client="6.6.6.6",
                now=DURING,
            )
        except PermissionRefused as exc:
            refusals.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refusals) == attempts
    checked = [r for r in refusals if not isinstance(r, RateLimited)]
    assert len(checked) == 20
