"""The demo neighbourhood: the Shuixia (水霞) residents' area of Xianxia Xincun.

The compounds, companies and organisations are those of the reference case
(docs/domain.md). Everything else is INVENTED: unit counts, areas, coordinates,
owners' names, phone numbers and ID numbers. The sub-district is flagged
``is_demo`` so every page shows a banner saying so.

Built by topic: ``world`` (the area, its compounds, companies, owners and personas),
``decisions`` (the owners' decisions, on paper and online), ``selection`` (the pool,
custody and the hiring). ``demo.seed.seed_demo`` runs them all, with the case, the
notices, the service desk, the projects and the business services.
"""

from ..names import DEMO_PASSWORD, OPEN_DECISION, PAPER_DECISION, PLAN_TITLE, REFERENCE_DECISION
from .decisions import voted_decision
from .selection import OFFICES
from .world import (
    COMPANIES,
    COMPOUNDS,
    DEVELOPER_HONGXIA,
    GIVEN,
    NEIGHBOURHOOD,
    ORGANISATIONS,
    PERSONA_PHONES,
    PERSONAS,
    SEED,
    SUB_DISTRICT,
    SURNAMES,
    CompanyPlan,
    CompoundPlan,
    DemoGenerator,
    Persona,
)

__all__ = [
    "SEED",
    "DEMO_PASSWORD",
    "SUB_DISTRICT",
    "NEIGHBOURHOOD",
    "DEVELOPER_HONGXIA",
    "SURNAMES",
    "GIVEN",
    "CompoundPlan",
    "COMPOUNDS",
    "CompanyPlan",
    "COMPANIES",
    "ORGANISATIONS",
    "Persona",
    "PERSONAS",
    "DemoGenerator",
    "PERSONA_PHONES",
    "REFERENCE_DECISION",
    "PAPER_DECISION",
    "OPEN_DECISION",
    "voted_decision",
    "PLAN_TITLE",
    "OFFICES",
]
