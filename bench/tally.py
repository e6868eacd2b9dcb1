"""Benchmark: `gongzhi tally` over 1,000,000 units in 2,000 compounds with 800,000 ballots.

Baseline, measured in the same run: a bare ``csv.reader`` pass over the same two
files. Ours: the real console command in a subprocess (start-up, reading,
validation, tally and JSON output included).

    python bench/tally.py [--units 1000000] [--compounds 2000] [--ballots 800000]
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(
    folder: Path, units: int, compounds: int, ballots: int, seed: int = 11
) -> tuple[Path, Path]:
    rng = random.Random(seed)
    roll, votes = folder / "roll.csv", folder / "ballots.csv"
    per_compound = units // compounds
    chosen = set(rng.sample(range(units), ballots))
    next_owner = 1
    with (
        roll.open("w", newline="", encoding="utf-8") as r,
        votes.open("w", newline="", encoding="utf-8") as b,
    ):
        roll_writer, ballot_writer = csv.writer(r), csv.writer(b)
        roll_writer.writerow(["compound", "building", "unit", "area", "owners", "status"])
        ballot_writer.writerow(["compound", "unit", "choice"])
        previous = ""
        for n in range(units):
            compound = f"C{n // per_compound:05d}"
            unit = f"{(n % per_compound) // 50 + 1}-{n % 50 + 101}"
            area = f"{rng.randrange(3000, 15000) / 100:.2f}"
            if n % 499 == 0:
                roll_writer.writerow([compound, "", unit, area, "", "unsold"])
            else:
                if previous and rng.random() < 0.03:
                    owners = previous  # a buyer with several units
                elif rng.random() < 0.3:
                    owners = f"O{next_owner};O{next_owner + 1}"
                    next_owner += 2
                else:
                    owners = f"O{next_owner}"
                    next_owner += 1
                previous = owners
                roll_writer.writerow([compound, "", unit, area, owners, "sold"])
            if n in chosen:
                ballot_writer.writerow(
                    [compound, unit, rng.choice(["同意", "同意", "同意", "反对", "弃权"])]
                )
    return roll, votes


def bare_pass(*paths: Path) -> float:
    started = time.perf_counter()
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for _row in csv.reader(handle):
                pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--compounds", type=int, default=2_000)
    parser.add_argument("--ballots", type=int, default=800_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gongzhi-bench-tally-"))
    started = time.perf_counter()
    roll, votes = generate(folder, args.units, args.compounds, args.ballots)
    print(
        f"generated {args.units:,} units, {args.ballots:,} ballots "
        f"in {time.perf_counter() - started:.1f}s"
    )

    baseline = min(bare_pass(roll, votes) for _ in range(3))
    command = [
        str(Path(sys.executable).parent / "gongzhi"),
        "tally",
        "--roll",
        str(roll),
        "--ballots",
        str(votes),
        "--rule",
        "civil-code-2021:ordinary",
        "--format",
        "json",
    ]
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        timings.append(time.perf_counter() - started)
    ours = min(timings)
    print(f"baseline  csv.reader over both files   {baseline:7.2f}s")
    print(
        f"gongzhi tally (json)                   {ours:7.2f}s   "
        f"ratio {ours / baseline:.2f}x (target <= 3x)"
    )
    print(f"output {len(done.stdout) / 1e6:.1f} MB JSON, {args.compounds} compounds")


if __name__ == "__main__":
    main()
