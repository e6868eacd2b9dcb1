"""Registry read endpoints, permission-checked like the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from gongzhi.core.permissions import require
from gongzhi.registry import selectors
from gongzhi.registry.headcount import Totals
from gongzhi.registry.models import Building, Compound, Unit

from .common import Refusal  # noqa: E402

router = Router(tags=["registry"])


class TotalsOut(Schema):
    area: str
    heads: int
    units: int

    @staticmethod
    def of(totals: Totals | None) -> TotalsOut:
        if totals is None:
            return TotalsOut(area="0.00", heads=0, units=0)
        return TotalsOut(area=f"{totals.area:.2f}", heads=totals.heads, units=totals.units)


class CompoundOut(Schema):
    id: int
    name: str
    neighbourhood: str
    property_company: str | None
    totals: TotalsOut


class BuildingOut(Schema):
    id: int
    name: str
    units: int


class UnitOut(Schema):
    id: int
    number: str
    building: str | None
    area: str
    area_source: str
    status: str
    use: str


class OwnerOut(Schema):
    identifier: str
    name: str
    phone: str
    id_number_masked: str


class UnitDetailOut(UnitOut):
    compound: str
    owners: list[OwnerOut]


def _compound_out(compound: Compound, totals: Totals | None) -> CompoundOut:
    return CompoundOut(
        id=compound.pk,
        name=compound.name,
        neighbourhood=compound.neighbourhood.name,
        property_company=compound.property_company.name if compound.property_company else None,
        totals=TotalsOut.of(totals),
    )


def _unit_out(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "number": unit.number,
        "building": unit.building.name if unit.building else None,
        "area": f"{unit.area:.2f}",
        "area_source": unit.area_source,
        "status": unit.status,
        "use": unit.use,
    }


@router.get("/compounds", response=list[CompoundOut], summary="Compounds you may see")
def list_compounds(request):
    compounds = list(selectors.compounds_visible_to(request.user))
    totals = selectors.compound_totals(compounds=compounds).compounds
    return [_compound_out(c, totals.get(c.pk)) for c in compounds]


@router.get(
    "/compounds/{compound_id}",
    response={200: CompoundOut, 403: Refusal},
    summary="One compound with its legal totals (area and headcount, SPC Arts. 8-9)",
)
def get_compound(request, compound_id: int):
    compound = get_object_or_404(
        Compound.objects.select_related("neighbourhood", "property_company"), pk=compound_id
    )
    require(
        request, "registry.view_compound", compound, reason=_("You do not act for this compound.")
    )
    totals = selectors.compound_totals(compounds=[compound]).compounds.get(compound.pk)
    return _compound_out(compound, totals)


@router.get("/compounds/{compound_id}/buildings", response={200: list[BuildingOut], 403: Refusal})
def list_buildings(request, compound_id: int):
    compound = get_object_or_404(Compound.objects.select_related("neighbourhood"), pk=compound_id)
    require(
        request, "registry.view_compound_roll", compound, reason=_("You may not see this roll.")
    )
    return [
        BuildingOut(id=b.pk, name=b.name, units=b.unit_count)  # type: ignore[attr-defined]
        for b in selectors.buildings_with_counts(compound=compound)
    ]


@router.get("/buildings/{building_id}/units", response={200: list[UnitOut], 403: Refusal})
def list_units(request, building_id: int):
    building = get_object_or_404(
        Building.objects.select_related("compound__neighbourhood"), pk=building_id
    )
    require(
        request,
        "registry.view_compound_roll",
        building.compound,
        reason=_("You may not see this roll."),
    )
    return [_unit_out(u) for u in selectors.building_units(building=building)]


@router.get("/my-units", response=list[UnitOut], summary="The signed-in owner's own units")
def my_units(request):
    return [_unit_out(u) for u in selectors.owned_units(request.user)]


@router.get("/units/{unit_id}", response={200: UnitDetailOut, 403: Refusal})
def get_unit(request, unit_id: int):
    unit = get_object_or_404(
        Unit.objects.select_related("compound__neighbourhood", "building"), pk=unit_id
    )
    require(request, "registry.view_unit", unit, reason=_("This is not your unit."))
    owners = [
        OwnerOut(
            identifier=line.identifier,
            name=line.name,
            phone=line.phone,
            id_number_masked=line.id_number_masked,
        )
        for line in selectors.owner_lines(request.user, unit)
    ]
    return {**_unit_out(unit), "compound": unit.compound.name, "owners": owners}
