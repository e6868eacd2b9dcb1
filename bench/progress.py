"""Benchmark: live progress of one decision over 100,000 units with 80,000 ballots.

Times one refresh of the participation drive's figures (``voting.selectors.progress``:
every compound's tally and what is still missing) on SQLite and on PostgreSQL,
beside a bare read of the same register and ballot rows in the same run.

    python bench/progress.py [--units 100000] [--ballots 80000] [--database sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_one(url: str, units: int, ballots: int) -> None:
    sys.path.insert(0, str(HERE))
    from common import django_on, world

    django_on(url)
    from gongzhi.voting.models import Ballot, RegisterEntry
    from gongzhi.voting.selectors import progress
    from gongzhi.voting.services import ballots_enter_paper_batch

    started = time.perf_counter()
    decision, clerk = world(units)
    item = decision.items.get()
    rng = random.Random(3)
    entries = list(decision.register.order_by("pk"))
    chosen = rng.sample(entries, ballots)
    sheets = [(e, {item.pk: rng.choice(["agree", "agree", "disagree", "abstain"])}) for e in chosen]
    from django.utils import timezone

    ballots_enter_paper_batch(
        decision=decision, sheets=sheets, clerk=clerk, received_at=timezone.now()
    )
    print(f"  set-up: {units:,} units, {ballots:,} ballots in {time.perf_counter() - started:.1f}s")

    def bare():
        list(
            RegisterEntry.objects.filter(decision=decision).values_list(
                "id", "compound_id", "area", "status"
            )
        )
        list(Ballot.objects.filter(item=item, state="effective").values_list("entry_id", "choice"))

    def timed(function, runs=5):
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            function()
            samples.append(time.perf_counter() - began)
        return statistics.median(samples)

    baseline = timed(bare)
    refresh = timed(lambda: progress(decision))
    print(f"  bare read of register and ballots  {baseline * 1000:8.0f} ms")
    print(
        f"  progress refresh                   {refresh * 1000:8.0f} ms   "
        f"ratio {refresh / baseline:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--ballots", type=int, default=80_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.url is not None:
        run_one(args.url, args.units, args.ballots)
        return
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for target in targets:
        print(f"{target}:")
        command = [
            sys.executable,
            __file__,
            "--units",
            str(args.units),
            "--ballots",
            str(args.ballots),
        ]
        if target == "sqlite":
            subprocess.run([*command, "--url", ""], check=True)
        else:
            sys.path.insert(0, str(HERE.parent / "scripts"))
            from pgtemp import temporary_postgres

            with temporary_postgres() as url:
                subprocess.run([*command, "--url", url], check=True)


if __name__ == "__main__":
    main()
