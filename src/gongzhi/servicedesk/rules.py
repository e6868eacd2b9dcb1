"""Who may see and do what with service requests (django-rules).

- ``servicedesk.report``          report a request in a compound: its owners, the area's
                                  staff, the serving company's staff (on someone's behalf)
- ``servicedesk.view_request``    the reporter, the neighbours who said "me too", the
                                  party handling it, the area's staff, the compound's
                                  committee, the company serving the compound
- ``servicedesk.work_request``    accept, assign, start, defer, resolve: the party handling
                                  it (the area's clerks act for utilities, which have no
                                  accounts)
- ``servicedesk.route_request``   return or transfer: the handling party and the area's
                                  staff, who route every request of their area
- ``servicedesk.follow_up``       the residents' committee's follow-up visit or call
- ``servicedesk.quality_check``   the handling company's own check
- ``servicedesk.manage_assets``   lifts and charging points; incidents: area staff and the
                                  serving company
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.rules import (
    is_clerk,
    is_owner_in_compound,
    is_serving_company_staff,
    is_sub_district_official,
    is_superuser,
)

from .models import PartyKind, ServiceRequest

is_area_staff = is_superuser | is_sub_district_official | is_clerk


def _compound(obj):
    return obj.compound if isinstance(obj, ServiceRequest) else obj


@rules.predicate
def area_staff_of_request(user, request) -> bool:
    return request is not None and is_area_staff(user, _compound(request))


@rules.predicate
def is_reporter(user, request) -> bool:
    return isinstance(request, ServiceRequest) and request.reporter_id == user.pk


@rules.predicate
def is_watcher(user, request) -> bool:
    return (
        isinstance(request, ServiceRequest)
        and user.is_authenticated
        and request.watcher_links.filter(user=user).exists()
    )


@rules.predicate
def handles(user, request) -> bool:
    """Acts for the party the request is with now."""
    if not isinstance(request, ServiceRequest):
        return False
    scopes = scopes_for(user)
    compound = request.compound
    if request.party == PartyKind.COMPANY:
        return request.party_company_id in scopes.companies
    if request.party in (PartyKind.RESIDENTS_COMMITTEE, PartyKind.ORGANISATION):
        return compound.neighbourhood_id in scopes.neighbourhoods
    if request.party == PartyKind.OWNERS_COMMITTEE:
        return compound.pk in scopes.committee_compounds
    if request.party == PartyKind.SUB_DISTRICT:
        return compound.neighbourhood.sub_district_id in scopes.sub_districts
    return False


@rules.predicate
def compound_committee(user, request) -> bool:
    return request is not None and _compound(request).pk in scopes_for(user).committee_compounds


@rules.predicate
def serving_company(user, request) -> bool:
    return request is not None and is_serving_company_staff(user, _compound(request))


@rules.predicate
def owner_here(user, compound) -> bool:
    return compound is not None and is_owner_in_compound(user, _compound(compound))


rules.add_perm("servicedesk.report", owner_here | area_staff_of_request | serving_company)
rules.add_perm(
    "servicedesk.view_request",
    is_superuser
    | is_reporter
    | is_watcher
    | handles
    | area_staff_of_request
    | compound_committee
    | serving_company,
)
rules.add_perm("servicedesk.work_request", is_superuser | handles)
rules.add_perm("servicedesk.route_request", is_superuser | handles | area_staff_of_request)
rules.add_perm("servicedesk.follow_up", area_staff_of_request)
rules.add_perm("servicedesk.quality_check", is_superuser | (handles & serving_company))
rules.add_perm("servicedesk.manage_assets", area_staff_of_request | serving_company)
