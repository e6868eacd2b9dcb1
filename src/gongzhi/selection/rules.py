"""Who may do what in provider selection (django-rules).

- ``selection.manage_pool``      suspend, remove or reinstate pool entries (sub-district staff)
- ``selection.request_custody``  ask for custody for a compound (its committee; its
                                 residents' committee for owners where there is none)
- ``selection.view_request``     a custody request and its candidates
- ``selection.assign_custody``   pick the custodian (the sub-district)
- ``selection.manage_plan``      the selection plan, the panel, the ranking, contracts
- ``selection.view_plan``        a plan: everyone once bids are invited; before, its organisers
- ``selection.bid``              submit the company's own bid
- ``selection.score``            score as a member of the plan's panel
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Custody, CustodyRequest, PoolEntry, SelectionPlan
from .selectors import PUBLIC_PLAN, districts_of


def _compound(obj):
    if isinstance(obj, CustodyRequest | Custody):
        return obj.compound
    return obj


@rules.predicate
def is_sub_district_staff(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None:
        return bool(scopes.sub_districts)
    if isinstance(obj, SelectionPlan):
        return obj.neighbourhood.sub_district_id in scopes.sub_districts
    if isinstance(obj, PoolEntry):  # the district's pool serves its sub-districts
        return obj.pool.district in districts_of(scopes.sub_districts)
    return _compound(obj).neighbourhood.sub_district_id in scopes.sub_districts


@rules.predicate
def is_area_clerk(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None:
        return bool(scopes.neighbourhoods)
    if isinstance(obj, SelectionPlan):
        return obj.neighbourhood_id in scopes.neighbourhoods
    return _compound(obj).neighbourhood_id in scopes.neighbourhoods


@rules.predicate
def is_compound_committee(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if obj is None or isinstance(obj, SelectionPlan):
        return False
    return _compound(obj).pk in scopes.committee_compounds


@rules.predicate
def is_company_staff(user, obj=None) -> bool:
    return bool(scopes_for(user).companies)


@rules.predicate
def is_panel_member(user, plan=None) -> bool:
    if plan is None or not user.is_authenticated:
        return False
    panel = getattr(plan, "panel", None)
    return panel is not None and panel.members.filter(user=user).exists()


@rules.predicate
def is_published_plan(user, plan=None) -> bool:
    return isinstance(plan, SelectionPlan) and plan.status in PUBLIC_PLAN


official = rules.is_superuser | is_sub_district_staff

rules.add_perm("selection.manage_pool", official)
rules.add_perm("selection.request_custody", official | is_area_clerk | is_compound_committee)
rules.add_perm("selection.view_request", official | is_area_clerk | is_compound_committee)
rules.add_perm("selection.assign_custody", official)
rules.add_perm("selection.manage_plan", official | is_area_clerk)
rules.add_perm("selection.view_plan", is_published_plan | official | is_area_clerk)
rules.add_perm("selection.bid", is_company_staff)
rules.add_perm("selection.score", is_panel_member)
