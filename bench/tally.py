"""Benchmark: `gongzhi tally` over 1,000,000 units in 2,000 compounds with 800,000 ballots.

Baseline, measured in the same run: a bare ``csv.reader`` pass over the same two
files. Ours: the real console command in a subprocess (start-up, reading,
validation, tally and JSON output included). Measured twice: with each compound's
rows together (as an export writes them), and with both files' rows shuffled (a
roll sorted by owner, two exports one after the other).

    python bench/tally.py [--units 1000000] [--compounds 2000] [--ballots 800000]
"""

from __future__ import annotations

import argparse
import csv
import json
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


def shuffle_rows(path: Path, target: Path, seed: int = 5) -> Path:
    """The same file with its rows (after the header) in random order."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines[1:]
    random.Random(seed).shuffle(body)
    target.write_text(lines[0] + "".join(body), encoding="utf-8")
    return target


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

    shuffled = (
        shuffle_rows(roll, folder / "roll-shuffled.csv"),
        shuffle_rows(votes, folder / "ballots-shuffled.csv"),
    )
    outputs = []
    for label, (roll_path, votes_path) in (
        ("compounds together", (roll, votes)),
        ("rows shuffled", shuffled),
    ):
        baseline = min(bare_pass(roll_path, votes_path) for _ in range(3))
        command = [
            str(Path(sys.executable).parent / "gongzhi"),
            "tally",
            "--roll",
            str(roll_path),
            "--ballots",
            str(votes_path),
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
        outputs.append(json.loads(done.stdout))
        print(f"{label}:")
        print(f"  baseline  csv.reader over both files   {baseline:7.2f}s")
        print(
            f"  gongzhi tally (json)                   {ours:7.2f}s   "
            f"ratio {ours / baseline:.2f}x (target <= 1.5x)"
        )
    # the same roll in another order is the same tally (compounds listed in the order
    # first met, so compare them by name)
    by_name = [{g["compound"]: g for g in out["compounds"]} for out in outputs]
    assert by_name[0] == by_name[1] and outputs[0]["combined"] == outputs[1]["combined"]
    print(f"both orders give the same result; {args.compounds} compounds")


if __name__ == "__main__":
    main()
