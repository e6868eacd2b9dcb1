"""``seed_demo``: the whole demo, deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from gongzhi.registry.models import (
    Neighbourhood,
    Organisation,
    PropertyCompany,
    SubDistrict,
)
from gongzhi.registry.services import (
    roll_import,
)
from gongzhi.selection.models import PoolEntry, ProviderPool

from .builder.decisions import seed_decisions, seed_open_decision, seed_paper_decision
from .builder.selection import seed_selection
from .builder.world import (
    COMPANIES,
    COMPOUNDS,
    NEIGHBOURHOOD,
    ORGANISATIONS,
    PERSONAS,
    SEED,
    SUB_DISTRICT,
    DemoGenerator,
    Persona,
    compound_setup,
    demo_credit_code,
    seed_personas,
)
from .business import seed_business
from .case import seed_case, seed_notices
from .projects import seed_projects
from .servicedesk import seed_servicedesk


@transaction.atomic
def seed_demo() -> list[Persona]:
    """Create or refresh the demo neighbourhood; return the personas to print."""
    rng = random.Random(SEED + 1)
    sub_district, _ = SubDistrict.objects.update_or_create(
        name=SUB_DISTRICT, defaults={"district": "长宁区", "city": "上海市", "is_demo": True}
    )
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        sub_district=sub_district, name=NEIGHBOURHOOD
    )
    organisations = {}
    for kind, name, local in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            kind=kind,
            name=name,
            defaults={
                "sub_district": sub_district,
                "neighbourhood": neighbourhood if local else None,
            },
        )

    companies = {}
    for plan in COMPANIES:
        code = demo_credit_code(rng)
        company = PropertyCompany.objects.filter(name=plan.name).first()
        if company is None:
            company = PropertyCompany(name=plan.name, credit_code=code)
        company.address = plan.address
        company.is_demo = True
        company.latitude = Decimal(plan.latitude)
        company.longitude = Decimal(plan.longitude)
        company.save()
        companies[plan.name] = company

    pool, _ = ProviderPool.objects.update_or_create(
        name="长宁区临时物业服务企业预选库", defaults={"district": "长宁区", "is_demo": True}
    )
    for plan in COMPANIES:
        if plan.in_pool:
            PoolEntry.objects.update_or_create(
                pool=pool,
                company=companies[plan.name],
                defaults={
                    "admitted_on": dt.date(2024, 1, 1),
                    "valid_until": dt.date(2025, 12, 31) if plan.expired else dt.date(2027, 12, 31),
                    "status": plan.pool_status,
                    "status_reason": plan.pool_reason,
                    "capacity": 3,
                },
            )

    generator = DemoGenerator()
    roll_import(rows=generator.roll(), neighbourhood=neighbourhood, actor=None, file_name="demo")

    for compound_plan in COMPOUNDS:
        compound_setup(neighbourhood, compound_plan, companies, rng)

    seed_personas(sub_district, neighbourhood, companies, organisations)
    seed_decisions(neighbourhood)
    seed_paper_decision(neighbourhood)
    seed_selection(neighbourhood, companies)
    seed_case(neighbourhood, companies)
    seed_open_decision(neighbourhood)
    seed_notices(neighbourhood)
    seed_servicedesk(neighbourhood)
    seed_projects(neighbourhood)
    seed_business(sub_district)
    return PERSONAS
