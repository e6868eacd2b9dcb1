"""Shared set-up for the benchmarks: Django on a fresh database, a generated world."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def django_on(url: str) -> None:
    """Configure Django for a database URL ('' = a new SQLite file) and migrate it."""
    work = Path(tempfile.mkdtemp(prefix="gongzhi-bench-"))
    os.environ["DATABASE_URL"] = url
    os.environ["GONGZHI_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world(units: int, *, compounds: int = 10, seed: int = 5):
    """A residents' area with ``units`` units over ``compounds`` compounds, a clerk and
    an open decision over all of them. Returns (decision, clerk)."""
    from django.utils import timezone

    from gongzhi.accounts.models import User
    from gongzhi.registry.models import Neighbourhood, SubDistrict
    from gongzhi.registry.roll import OwnerEntry, RollRow
    from gongzhi.registry.services import roll_import
    from gongzhi.voting.services import (
        ItemSpec,
        decision_announce,
        decision_create,
        decision_open,
    )

    rng = random.Random(seed)
    sub_district = SubDistrict.objects.create(name="基准街道")
    neighbourhood = Neighbourhood.objects.create(sub_district=sub_district, name="基准居民区")
    rows, owner = [], 0
    for n in range(units):
        owner += 1
        owners = (OwnerEntry(f"O{owner}", phone=f"138{owner:08d}"),)
        if rng.random() < 0.3:
            owner += 1
            owners += (OwnerEntry(f"O{owner}", phone=f"138{owner:08d}"),)
        rows.append(
            RollRow(
                row=n + 2,
                compound=f"小区{n % compounds:02d}",
                unit=f"{n // compounds}",
                area=Decimal(rng.choice([45, 60, 75, 90, 120]) * 100 + rng.randrange(0, 100)) / 100,
                owners=owners,
            )
        )
    roll_import(rows=rows, neighbourhood=neighbourhood, actor=None)
    clerk = User.objects.create(username="clerk")
    now = timezone.now()
    decision = decision_create(
        neighbourhood=neighbourhood,
        title="基准表决",
        text="",
        compounds=list(neighbourhood.compounds.all()),
        items=[ItemSpec(text="是否同意？", matter="4")],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        actor=clerk,
    )
    decision = decision_announce(
        decision=decision,
        actor=clerk,
        now=now - dt.timedelta(days=20),
        notice_override_reason="bench",
    )
    return decision_open(decision=decision, actor=clerk, now=now), clerk
