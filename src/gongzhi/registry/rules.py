"""Who may see or change what in the registry (django-rules).

Every view, API endpoint and template asks through these permission names:

- ``registry.view_compound``       the compound's overview and its aggregate totals
- ``registry.view_compound_roll``  every unit of the compound, with owner names
- ``registry.view_unit``           one unit and its owners
- ``registry.view_owner_contact``  phone numbers unmasked
- ``registry.import_roll``         import a roll into a residents' area
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Building, Compound, Neighbourhood, Ownership, SubDistrict, Unit


@dataclass(frozen=True)
class Location:
    sub_district_id: int | None
    neighbourhood_id: int | None = None
    compound_id: int | None = None
    unit_id: int | None = None
    company_id: int | None = None


def locate(obj) -> Location | None:
    """Where an object sits in the territory; None for "anywhere"."""
    if obj is None:
        return None
    if isinstance(obj, Unit):
        compound = obj.compound
        return Location(
            compound.neighbourhood.sub_district_id,
            compound.neighbourhood_id,
            compound.pk,
            obj.pk,
            compound.property_company_id,
        )
    if isinstance(obj, Building):
        obj = obj.compound
    if isinstance(obj, Compound):
        return Location(
            obj.neighbourhood.sub_district_id,
            obj.neighbourhood_id,
            obj.pk,
            company_id=obj.property_company_id,
        )
    if isinstance(obj, Neighbourhood):
        return Location(obj.sub_district_id, obj.pk)
    if isinstance(obj, SubDistrict):
        return Location(obj.pk)
    raise TypeError(f"registry rules cannot locate {type(obj).__name__}")


@rules.predicate
def is_sub_district_official(user, obj=None) -> bool:
    scopes = scopes_for(user)
    where = locate(obj)
    if where is None:
        return bool(scopes.sub_districts)
    return where.sub_district_id in scopes.sub_districts


@rules.predicate
def is_clerk(user, obj=None) -> bool:
    scopes = scopes_for(user)
    where = locate(obj)
    if where is None:
        return bool(scopes.neighbourhoods)
    return where.neighbourhood_id is not None and where.neighbourhood_id in scopes.neighbourhoods


@rules.predicate
def is_committee_member(user, obj=None) -> bool:
    scopes = scopes_for(user)
    where = locate(obj)
    if where is None:
        return bool(scopes.committee_compounds)
    return where.compound_id is not None and where.compound_id in scopes.committee_compounds


@rules.predicate
def is_owner_in_compound(user, obj=None) -> bool:
    scopes = scopes_for(user)
    if not scopes.owners:
        return False
    where = locate(obj)
    if where is None:
        return True
    if where.compound_id is None:
        return False
    return Ownership.objects.filter(
        owner_id__in=scopes.owners, unit__compound_id=where.compound_id
    ).exists()


@rules.predicate
def is_unit_owner(user, unit=None) -> bool:
    scopes = scopes_for(user)
    if not scopes.owners or unit is None:
        return False
    return Ownership.objects.filter(owner_id__in=scopes.owners, unit_id=unit.pk).exists()


@rules.predicate
def is_serving_company_staff(user, obj=None) -> bool:
    scopes = scopes_for(user)
    where = locate(obj)
    if where is None:
        return bool(scopes.companies)
    return where.company_id is not None and where.company_id in scopes.companies


is_superuser = rules.is_superuser
is_territory_staff = is_superuser | is_sub_district_official | is_clerk

rules.add_perm(
    "registry.view_compound",
    is_territory_staff | is_committee_member | is_owner_in_compound | is_serving_company_staff,
)
rules.add_perm("registry.view_compound_roll", is_territory_staff | is_committee_member)
rules.add_perm("registry.view_unit", is_territory_staff | is_committee_member | is_unit_owner)
rules.add_perm("registry.view_owner_contact", is_territory_staff)
rules.add_perm("registry.import_roll", is_territory_staff)
