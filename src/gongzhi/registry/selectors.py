"""Reads for the registry. Querysets are always narrowed to what the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core.masking import mask_name, mask_phone
from gongzhi.core.sorting import natural_key

from .headcount import CountResult, Holding, count
from .models import (
    DEVELOPER_HELD,
    Building,
    CommitteeMember,
    CommitteeRole,
    Compound,
    Neighbourhood,
    OwnersCommittee,
    Ownership,
    SubDistrict,
    Unit,
)


def demo_data_present() -> bool:
    return SubDistrict.objects.filter(is_demo=True).exists()


def compounds_visible_to(user) -> QuerySet[Compound]:
    """Compounds whose overview the user may open (same rule as ``registry.view_compound``)."""
    base = Compound.objects.select_related(
        "neighbourhood__sub_district", "property_company"
    ).order_by("neighbourhood__name", "name")
    scopes = scopes_for(user)
    if scopes.superuser:
        return base
    condition = (
        Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(pk__in=scopes.committee_compounds)
        | Q(property_company_id__in=scopes.companies)
    )
    if scopes.owners:
        condition |= Q(
            pk__in=Ownership.objects.filter(owner_id__in=scopes.owners).values("unit__compound_id")
        )
    return base.filter(condition)


def units_visible_to(user, *, compound: Compound | None = None) -> QuerySet[Unit]:
    """Units the user may open (same rule as ``registry.view_unit``)."""
    base = Unit.objects.select_related("compound__neighbourhood", "building")
    if compound is not None:
        base = base.filter(compound=compound)
    scopes = scopes_for(user)
    if scopes.superuser:
        return base
    condition = (
        Q(compound__neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(compound__neighbourhood_id__in=scopes.neighbourhoods)
        | Q(compound_id__in=scopes.committee_compounds)
    )
    if scopes.owners:
        condition |= Q(
            pk__in=Ownership.objects.filter(owner_id__in=scopes.owners).values("unit_id")
        )
    return base.filter(condition)


def neighbourhoods_organised_by(user) -> QuerySet[Neighbourhood]:
    """Residents' areas the user organises: as their clerk, or as staff of their
    sub-district (rolls are imported, decisions, notices and cases opened there)."""
    scopes = scopes_for(user)
    base = Neighbourhood.objects.select_related("sub_district")
    if scopes.superuser:
        return base
    return base.filter(
        Q(sub_district_id__in=scopes.sub_districts) | Q(pk__in=scopes.neighbourhoods)
    )


def compounds_organised_by(user) -> QuerySet[Compound]:
    """The compounds of the residents' areas the user organises."""
    scopes = scopes_for(user)
    if scopes.superuser:
        return Compound.objects.all()
    return Compound.objects.filter(
        Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
        | Q(neighbourhood_id__in=scopes.neighbourhoods)
    )


def owned_units(user) -> QuerySet[Unit]:
    """The signed-in owner's own units."""
    scopes = scopes_for(user)
    return (
        Unit.objects.filter(ownerships__owner_id__in=scopes.owners)
        .select_related("compound", "building")
        .distinct()
        .order_by("compound__name", "number")
    )


def holdings(
    *, compounds: Iterable[Compound | int], exclude_uses: Sequence[str] = ()
) -> list[Holding]:
    """The units of these compounds as the counting rules see them.

    Areas are read as Decimals and added in Python, never summed in SQL (SQLite
    stores decimals as floats).
    """
    compound_ids = [c.pk if isinstance(c, Compound) else c for c in compounds]
    units = Unit.objects.filter(compound_id__in=compound_ids)
    if exclude_uses:
        units = units.exclude(use__in=list(exclude_uses))
    owners_of: dict[int, set[int]] = defaultdict(set)
    ownerships = Ownership.objects.filter(unit__compound_id__in=compound_ids)
    if exclude_uses:
        ownerships = ownerships.exclude(unit__use__in=list(exclude_uses))
    for unit_id, owner_id in ownerships.values_list("unit_id", "owner_id").iterator(
        chunk_size=5000
    ):
        owners_of[unit_id].add(owner_id)
    return [
        Holding(
            compound=compound_id,
            unit=unit_id,
            area=area,
            owners=frozenset(owners_of.get(unit_id, ())),
            developer_held=status in DEVELOPER_HELD,
        )
        for unit_id, compound_id, area, status in units.values_list(
            "id", "compound_id", "area", "status"
        ).iterator(chunk_size=5000)
    ]


def compound_totals(
    *, compounds: Iterable[Compound | int], exclude_uses: Sequence[str] = ()
) -> CountResult:
    """Total exclusive area and legal headcount per compound and combined (SPC Arts. 8-9).

    The one place the registry counts: the overview pages, the API and the voting
    register all call this.
    """
    return count(holdings(compounds=compounds, exclude_uses=exclude_uses))


@dataclass
class CompoundProfile:
    """What the overview page shows beside the legal totals."""

    units_by_status: dict[str, int]
    units_by_use: dict[str, int]
    co_owned_units: int
    multi_unit_owners: int
    owners: int

    @property
    def developer_held_units(self) -> int:
        return sum(self.units_by_status.get(status, 0) for status in DEVELOPER_HELD)


def compound_profile(*, compound: Compound) -> CompoundProfile:
    units = Unit.objects.filter(compound=compound)
    by_status = dict(
        units.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    by_use = dict(units.order_by().values("use").annotate(n=Count("id")).values_list("use", "n"))
    co_owned = units.annotate(n=Count("ownerships")).filter(n__gt=1).count()
    per_owner = (
        Ownership.objects.filter(unit__compound=compound)
        .values("owner_id")
        .annotate(n=Count("unit_id"))
    )
    return CompoundProfile(
        units_by_status=by_status,
        units_by_use=by_use,
        co_owned_units=co_owned,
        multi_unit_owners=per_owner.filter(n__gt=1).count(),
        owners=per_owner.count(),
    )


def buildings_with_counts(*, compound: Compound) -> list[Building]:
    """The compound's buildings with ``unit_count``, in natural order (2号楼 before 10号楼)."""
    buildings = compound.buildings.annotate(unit_count=Count("units"))
    return sorted(buildings, key=lambda b: natural_key(b.name))


def building_units(*, building: Building) -> list[Unit]:
    """A building's units with their owners, in natural order (1-201 before 1-1001)."""
    units = building.units.select_related("building").prefetch_related("owners")
    return sorted(units, key=lambda u: natural_key(u.number))


ROLE_ORDER: dict[str, int] = {
    CommitteeRole.CHAIR: 0,
    CommitteeRole.VICE_CHAIR: 1,
    CommitteeRole.MEMBER: 2,
}


def committee_members(*, committee: OwnersCommittee) -> list[CommitteeMember]:
    """Chair first, then vice-chairs, then members."""
    return sorted(committee.members.all(), key=lambda m: (ROLE_ORDER.get(m.role, 9), m.name))


def public_sub_districts() -> QuerySet[SubDistrict]:
    return SubDistrict.objects.prefetch_related("neighbourhoods__compounds__property_company")


@dataclass
class OwnerLine:
    identifier: str
    name: str
    phone: str
    id_number_masked: str
    kind: str


def owner_lines(user, unit: Unit) -> list[OwnerLine]:
    """Owners of a unit as this user may see them: names and phones masked unless entitled."""
    full_names = user.has_perm("registry.view_compound_roll", unit.compound)
    own_unit = user.has_perm("registry.view_unit", unit) and not full_names
    contact = user.has_perm("registry.view_owner_contact", unit.compound) or own_unit
    lines = []
    for owner in unit.owners.all():
        organisation = owner.kind == "organisation"
        lines.append(
            OwnerLine(
                identifier=owner.identifier,
                name=owner.name
                if (full_names or own_unit or organisation)
                else mask_name(owner.name),
                phone=owner.phone if contact else mask_phone(owner.phone),
                id_number_masked=owner.id_number_masked,
                kind=owner.get_kind_display(),
            )
        )
    return lines
