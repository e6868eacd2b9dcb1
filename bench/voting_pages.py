"""Benchmark: the pages of one decision that grow with its compounds, at 20,000 units
and 15,000 ballots.

Each page is fetched through Django's test client as a signed-in organiser (rendering
included) and timed beside a one-query baseline in the same run: the rows the page
shows, read bare. Prints the ratio and the queries each page ran, which do not grow
with the register (the tests assert that on small data; here it is seen at size).

    python bench/voting_pages.py [--units 20000] [--ballots 15000] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 10  # every page within 10x of its one-query baseline


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(url: str, units: int, ballots: int) -> None:
    sys.path.insert(0, str(HERE))
    from common import django_on, world

    django_on(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # the test client's host is allowed

    from gongzhi.accounts.models import User
    from gongzhi.voting.models import Ballot, RegisterEntry
    from gongzhi.voting.services import ballots_enter_paper_batch

    started = time.perf_counter()
    decision, clerk = world(units)
    item = decision.items.get()
    rng = random.Random(3)
    entries = list(decision.register.order_by("pk"))
    chosen = rng.sample(entries, ballots)  # unsorted: ballots come in any order
    sheets = [(e, {item.pk: rng.choice(["agree", "agree", "disagree", "abstain"])}) for e in chosen]
    ballots_enter_paper_batch(
        decision=decision, sheets=sheets, clerk=clerk, received_at=timezone.now()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {units:,} units, {ballots:,} ballots, "
        f"set up in {time.perf_counter() - started:.1f} s"
    )
    organiser = User.objects.create_superuser(username="organiser", password="x" * 12)
    client = Client()
    client.force_login(organiser)
    compound = decision.compounds.order_by("name").last()
    base = f"/voting/{decision.pk}"

    def page(path):
        def call():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)

        return call

    register = RegisterEntry.objects.filter(decision=decision, excluded=False)
    effective = Ballot.objects.filter(item=item, state="effective")
    cases = [
        (
            "register, page 1",
            page(f"{base}/register/"),
            lambda: list(
                register.order_by("compound__name", "building_name", "unit_number").values(
                    "pk", "compound__name", "building_name", "unit_number", "area", "status"
                )[:100]
            ),
        ),
        (
            "register, last compound, a room",
            page(f"{base}/register/?compound={compound.pk}&unit=99"),
            lambda: list(
                register.filter(compound=compound, unit_number__icontains="99").values(
                    "pk", "building_name", "unit_number", "area"
                )[:100]
            ),
        ),
        (
            "ballots, page 1",
            page(f"{base}/ballots/"),
            lambda: list(
                effective.order_by("entry__compound__name", "entry__unit_number").values(
                    "pk", "entry__compound__name", "entry__unit_number", "choice"
                )[:100]
            ),
        ),
        (
            "ballots, page 40",
            page(f"{base}/ballots/?page=40"),
            lambda: list(
                effective.order_by("entry__compound__name", "entry__unit_number").values(
                    "pk", "entry__compound__name", "entry__unit_number", "choice"
                )[3900:4000]
            ),
        ),
        (
            "drive (progress, missing page 1)",
            page(f"{base}/drive/"),
            lambda: list(
                register.exclude(pk__in=effective.values("entry_id"))
                .order_by("compound__name", "building_name", "unit_number")
                .values("pk", "compound__name", "unit_number")[:100]
            ),
        ),
        (
            "drive, one compound",
            page(f"{base}/drive/?compound={compound.pk}"),
            lambda: list(
                register.filter(compound=compound)
                .exclude(pk__in=effective.values("entry_id"))
                .order_by("building_name", "unit_number")
                .values("pk", "unit_number")[:100]
            ),
        ),
        (
            "deliveries",
            page(f"{base}/deliveries/"),
            lambda: list(register.values("compound_id", "building_name")[:100]),
        ),
        (
            "the decision's page",
            page(f"{base}/"),
            lambda: list(register.values("pk")[:1]),
        ),
    ]
    print(f"{'page':34} {'page ms':>9} {'baseline ms':>12} {'ratio':>7} {'queries':>8}")
    worst = 0.0
    for name, call, baseline in cases:
        call()  # warm
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            call()
        took, bare = best(call), best(baseline)
        worst = max(worst, took / bare)
        print(
            f"{name:34} {took * 1000:9.1f} {bare * 1000:12.1f} {took / bare:7.1f} {len(queries):8d}"
        )
    print(f"worst ratio {worst:.1f}x (target <= {TARGET}x)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--ballots", type=int, default=15_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.database == "postgres":
        sys.path.insert(0, str(HERE.parent / "scripts"))
        from pgtemp import temporary_postgres  # type: ignore[import-not-found]

        with temporary_postgres() as url:
            run(url, args.units, args.ballots)
    else:
        run("", args.units, args.ballots)


if __name__ == "__main__":
    main()
