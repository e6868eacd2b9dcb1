"""What a signed-in user may act for, computed once per request from memberships."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, Role


@dataclass(frozen=True)
class Scopes:
    superuser: bool = False
    sub_districts: frozenset[int] = frozenset()
    neighbourhoods: frozenset[int] = frozenset()
    committee_compounds: frozenset[int] = frozenset()
    owners: frozenset[int] = frozenset()
    companies: frozenset[int] = frozenset()
    expert: bool = False
    economic_sub_districts: frozenset[int] = frozenset()
    foundations: frozenset[int] = frozenset()
    schemes_run_by: frozenset[int] = frozenset()
    merchant_organisations: frozenset[int] = frozenset()

    @property
    def is_staff_anywhere(self) -> bool:
        """Acts for the sub-district or a residents' committee somewhere."""
        return self.superuser or bool(self.sub_districts or self.neighbourhoods)


ANONYMOUS = Scopes()
_CACHE_ATTRIBUTE = "_gongzhi_scopes"


def scopes_for(user) -> Scopes:
    """The user's current scopes; cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    sets: dict[str, set[int]] = {
        "sub_districts": set(),
        "neighbourhoods": set(),
        "committee_compounds": set(),
        "owners": set(),
        "companies": set(),
        "economic_sub_districts": set(),
        "foundations": set(),
        "schemes_run_by": set(),
        "merchant_organisations": set(),
    }
    expert = False
    rows = Membership.objects.current().filter(user=user)
    columns = rows.values_list(
        "role",
        "sub_district_id",
        "neighbourhood_id",
        "compound_id",
        "owner_id",
        "company_id",
        "organisation_id",
    )
    for role, sub_district, neighbourhood, compound, owner, company, organisation in columns:
        if role == Role.SUB_DISTRICT_OFFICIAL:
            sets["sub_districts"].add(sub_district)
        elif role == Role.CLERK:
            sets["neighbourhoods"].add(neighbourhood)
        elif role == Role.COMMITTEE_MEMBER:
            sets["committee_compounds"].add(compound)
        elif role == Role.OWNER:
            sets["owners"].add(owner)
        elif role == Role.COMPANY_STAFF:
            sets["companies"].add(company)
        elif role == Role.EXPERT:
            expert = True
        elif role == Role.ECONOMIC_OFFICER:
            sets["economic_sub_districts"].add(sub_district)
        elif role == Role.FOUNDATION_CLERK:
            sets["foundations"].add(organisation)
        elif role == Role.DISTRICT_OFFICER:
            sets["schemes_run_by"].add(organisation)
        elif role == Role.MERCHANT:
            sets["merchant_organisations"].add(organisation)
    scopes = Scopes(
        superuser=user.is_superuser,
        expert=expert,
        **{name: frozenset(values) for name, values in sets.items()},
    )
    setattr(user, _CACHE_ATTRIBUTE, scopes)
    return scopes


def forget_scopes(user) -> None:
    """Drop the cached scopes after memberships changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
