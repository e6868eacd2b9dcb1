"""Benchmark: the service desk with 200,000 requests over 50 compounds.

Times, through the real pages (Django's test client, templates included):
the company's queue (open requests, soonest due first, page 1 of 50), the clerk's
"everything" queue filtered by a word, a request's page, a compound's public
statistics, and the Open311 listing of 1,000 requests; each beside a baseline
measured in the same run: one bare query returning the same rows. Prints the
queries each page runs. Requests are generated unsorted (random report times and
states), as a city's would be.

    python bench/servicedesk.py [--requests 200000] [--compounds 50] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def generate(requests: int, compounds: int):
    from django.utils import timezone

    from gongzhi.accounts.models import Role, User
    from gongzhi.accounts.services import membership_grant
    from gongzhi.core.identifiers import credit_code_check_character
    from gongzhi.registry.models import (
        Building,
        Compound,
        Neighbourhood,
        PropertyCompany,
        SubDistrict,
    )
    from gongzhi.servicedesk.models import (
        OPEN_STATUSES,
        Category,
        Feedback,
        Outcome,
        PartyKind,
        ServiceRequest,
        Status,
    )

    rng = random.Random(11)
    sub_district = SubDistrict.objects.create(name="基准街道")
    area = Neighbourhood.objects.create(sub_district=sub_district, name="基准居民区")
    body = "91310000MA1FL0000"
    company = PropertyCompany.objects.create(
        name="基准物业", credit_code=body + credit_code_check_character(body)
    )
    places = []
    for n in range(compounds):
        compound = Compound.objects.create(
            neighbourhood=area, name=f"小区{n:02d}", property_company=company
        )
        buildings = Building.objects.bulk_create(
            [Building(compound=compound, name=f"{b}号楼") for b in range(1, 21)]
        )
        places.append((compound, buildings))
    categories = list(Category.objects.filter(sub_district=sub_district))
    staff = User.objects.create_user("provider")
    membership_grant(user=staff, role=Role.COMPANY_STAFF, actor=None, company=company)
    clerk = User.objects.create_user("clerk")
    membership_grant(user=clerk, role=Role.CLERK, actor=None, neighbourhood=area)
    now = timezone.now()
    statuses = [Status.CLOSED] * 80 + [Status.RESOLVED] * 5 + list(OPEN_STATUSES) * 3
    batch = []
    for n in range(requests):
        compound, buildings = rng.choice(places)
        created = now - dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        status = rng.choice(statuses)
        done = created + dt.timedelta(hours=rng.uniform(1, 120))
        finished = status in (Status.RESOLVED, Status.CLOSED)
        batch.append(
            ServiceRequest(
                compound=compound,
                building=rng.choice(buildings),
                place="building",
                category=rng.choice(categories),
                description=f"第{n}号报修：楼道灯不亮，请尽快处理",
                status=status,
                outcome=Outcome.FIXED if finished else "",
                party=PartyKind.COMPANY,
                party_company=company,
                created_at=created,
                accepted_at=created + dt.timedelta(hours=1) if status != Status.SUBMITTED else None,
                resolved_at=done if finished else None,
                closed_at=done if status == Status.CLOSED else None,
                response_due=created + dt.timedelta(days=1),
                resolve_due=created + dt.timedelta(days=3),
            )
        )
        if len(batch) == 5000:
            ServiceRequest.objects.bulk_create(batch)
            batch = []
    ServiceRequest.objects.bulk_create(batch)
    closed = list(
        ServiceRequest.objects.filter(status=Status.CLOSED).values_list("pk", flat=True)[:60000]
    )
    Feedback.objects.bulk_create(
        [
            Feedback(
                request_id=pk, fixed=True, overall=rng.randint(3, 5), speed=4, attitude=5, at=now
            )
            for pk in closed
        ],
        batch_size=5000,
    )
    return staff, clerk, places[0][0]


def run(url: str, requests: int, compounds: int) -> None:
    sys.path.insert(0, str(HERE))
    from common import django_on

    django_on(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed; e-mail stays in memory

    from gongzhi.servicedesk.models import OPEN_STATUSES, ServiceRequest

    started = time.perf_counter()
    staff, clerk, compound = generate(requests, compounds)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {requests:,} requests in {compounds} compounds, generated in "
        f"{time.perf_counter() - started:.1f} s"
    )
    some = ServiceRequest.objects.filter(compound=compound).order_by("-pk").first()

    company, office, public = Client(), Client(), Client()
    company.force_login(staff)
    office.force_login(clerk)

    def page(client, path):
        def call():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)

        return call

    cases = [
        (
            "company queue, page 1",
            page(company, "/requests/"),
            lambda: list(
                ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
                .order_by("resolve_due", "pk")
                .values_list("pk", "category__name", "compound__name", "resolve_due")[:50]
            ),
        ),
        (
            "clerk: everything, a word",
            page(office, "/requests/?scope=all&status=all&q=灯不亮"),
            lambda: list(
                ServiceRequest.objects.filter(description__contains="灯不亮")
                .order_by("resolve_due", "pk")
                .values_list("pk", "category__name", "compound__name")[:50]
            ),
        ),
        (
            "a request's page",
            page(company, f"/requests/{some.pk}/"),
            lambda: list(ServiceRequest.objects.filter(pk=some.pk).values()),
        ),
        (
            "public statistics of a compound",
            page(public, f"/requests/public/{compound.pk}/"),
            lambda: list(
                ServiceRequest.objects.filter(compound=compound).values_list(
                    "category_id", "party", "status", "created_at", "resolved_at"
                )
            ),
        ),
        (
            "Open311 requests.json (1,000)",
            page(public, "/open311/v2/requests.json"),
            lambda: list(
                ServiceRequest.objects.order_by("-created_at").values(
                    "pk", "status", "category__name", "compound__name", "created_at"
                )[:1000]
            ),
        ),
    ]
    print(f"{'page':34} {'page ms':>9} {'baseline ms':>12} {'ratio':>7} {'queries':>8}")
    for name, call, baseline in cases:
        call()  # warm
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            call()
        took, base = best(call), best(baseline)
        print(
            f"{name:34} {took * 1000:9.1f} {base * 1000:12.1f} {took / base:7.1f} {len(queries):8d}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--compounds", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.database == "postgres":
        sys.path.insert(0, str(HERE.parent / "scripts"))
        from pgtemp import temporary_postgres  # type: ignore[import-not-found]

        with temporary_postgres() as url:
            run(url, args.requests, args.compounds)
    else:
        run("", args.requests, args.compounds)


if __name__ == "__main__":
    main()
