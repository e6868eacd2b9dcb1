"""Benchmark: importing a 100,000-unit roll (XLSX) on SQLite.

Prints the time of a bare openpyxl read-only pass over the file (the baseline),
the time of our import (read, validate, write everything to a fresh SQLite
database), the ratio, and the time of re-importing the unchanged file.

    python bench/import_roll.py [--units 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import openpyxl


def generate(path: Path, units: int, seed: int = 7) -> None:
    """A realistic roll: 1,000 units per compound, 30% couples, some multi-unit owners."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("roll")
    sheet.append(
        [
            "compound",
            "building",
            "unit",
            "area",
            "area_source",
            "owners",
            "owner_names",
            "phones",
            "status",
        ]
    )
    next_owner = 1
    recent: list[str] = []
    for n in range(units):
        compound = f"小区{n // 1000:04d}"
        building = f"{(n % 1000) // 24 + 1}号楼"
        unit = f"{(n % 1000) // 24 + 1}-{(n % 24) // 4 + 1}{n % 4 + 1:02d}"
        area = f"{rng.randrange(3500, 14000) / 100:.2f}"
        if n % 997 == 0:
            sheet.append([compound, building, unit, area, "contract", "", "", "", "unsold"])
            continue
        if recent and rng.random() < 0.03:
            owners = rng.choice(recent)
        else:
            count = 1 if rng.random() < 0.7 else 2
            owners = ";".join(f"O-{next_owner + i:07d}" for i in range(count))
            next_owner += count
            recent = (recent + [owners])[-50:]
        ids = owners.split(";")
        names = ";".join(f"业主{i[-5:]}" for i in ids)
        phones = ";".join(f"138{int(i[2:]):08d}" for i in ids)
        sheet.append([compound, building, unit, area, "register", owners, names, phones, "sold"])
    workbook.save(path)


def baseline(path: Path) -> float:
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongzhi-bench-"))
    os.environ["DATABASE_URL"] = ""
    os.environ["GONGZHI_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from gongzhi.registry.models import Neighbourhood, SubDistrict, Unit
    from gongzhi.registry.services import roll_import, roll_read

    call_command("migrate", verbosity=0)
    sub_district = SubDistrict.objects.create(name="基准街道")
    neighbourhood = Neighbourhood.objects.create(sub_district=sub_district, name="基准居民区")

    roll = work / "roll.xlsx"
    started = time.perf_counter()
    generate(roll, args.units)
    print(
        f"generated {args.units:,} units in {time.perf_counter() - started:.1f}s "
        f"({roll.stat().st_size / 1e6:.1f} MB)"
    )

    bare = min(baseline(roll) for _ in range(2))
    started = time.perf_counter()
    parsed = roll_read(str(roll))
    reading = time.perf_counter() - started
    report = roll_import(rows=parsed.rows, neighbourhood=neighbourhood, actor=None)
    ours = time.perf_counter() - started
    assert report.units_created == args.units == Unit.objects.count(), report

    started = time.perf_counter()
    again = roll_import(rows=roll_read(str(roll)).rows, neighbourhood=neighbourhood, actor=None)
    reimport = time.perf_counter() - started
    assert not again.changed

    print(f"baseline  openpyxl read-only pass   {bare:7.2f}s")
    print(f"import    of which read + validate  {reading:7.2f}s")
    print(
        f"import    read, validate, write     {ours:7.2f}s   "
        f"ratio {ours / bare:.2f}x (target <= 1.0x)"
    )
    print(f"re-import unchanged file            {reimport:7.2f}s   ratio {reimport / bare:.2f}x")
    print(
        f"units {report.units_created:,}, owners {report.owners_created:,}, "
        f"buildings {report.buildings_created:,}, compounds {len(report.compounds_created):,}"
    )


if __name__ == "__main__":
    main()
