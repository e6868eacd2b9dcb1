"""The back office. Staff see only their own territory, like on every page."""

from django.contrib import admin
from django.db.models import Q

from gongzhi.accounts.scopes import scopes_for

from .models import (
    Building,
    CommitteeMember,
    Compound,
    ManagementArea,
    ManagementAreaCompound,
    Neighbourhood,
    Organisation,
    Owner,
    OwnersCommittee,
    Ownership,
    PropertyCompany,
    SubDistrict,
    Unit,
)


class TerritoryScopedAdmin(admin.ModelAdmin):
    """Narrows the change list to the sub-districts and residents' areas the user acts for.

    ``territory`` names the path from the model to its sub-district and residents' area.
    """

    sub_district_path = ""
    neighbourhood_path = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scopes = scopes_for(request.user)
        if scopes.superuser:
            return queryset
        condition = Q(pk__in=[])
        if self.sub_district_path:
            condition |= Q(**{f"{self.sub_district_path}__in": scopes.sub_districts})
        if self.neighbourhood_path:
            condition |= Q(**{f"{self.neighbourhood_path}__in": scopes.neighbourhoods})
        return queryset.filter(condition)


@admin.register(SubDistrict)
class SubDistrictAdmin(TerritoryScopedAdmin):
    list_display = ["name", "district", "city", "is_demo"]
    sub_district_path = "pk"


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(TerritoryScopedAdmin):
    list_display = ["name", "sub_district"]
    sub_district_path = "sub_district"
    neighbourhood_path = "pk"


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(Compound)
class CompoundAdmin(TerritoryScopedAdmin):
    list_display = ["name", "neighbourhood", "property_company", "address"]
    list_filter = ["neighbourhood"]
    search_fields = ["name", "address"]
    inlines = [BuildingInline]
    sub_district_path = "neighbourhood__sub_district"
    neighbourhood_path = "neighbourhood"


class OwnershipInline(admin.TabularInline):
    model = Ownership
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Unit)
class UnitAdmin(TerritoryScopedAdmin):
    list_display = ["number", "compound", "building", "area", "area_source", "status", "use"]
    list_filter = ["compound", "status", "use", "area_source"]
    search_fields = ["number"]
    list_select_related = ["compound", "building"]
    inlines = [OwnershipInline]
    sub_district_path = "compound__neighbourhood__sub_district"
    neighbourhood_path = "compound__neighbourhood"


@admin.register(Owner)
class OwnerAdmin(TerritoryScopedAdmin):
    list_display = ["identifier", "name", "kind", "id_number_masked"]
    search_fields = ["identifier", "name"]
    list_filter = ["kind"]
    readonly_fields = ["id_number_hash", "id_number_masked"]
    sub_district_path = "sub_district"


class AreaCompoundInline(admin.TabularInline):
    model = ManagementAreaCompound
    extra = 0


@admin.register(ManagementArea)
class ManagementAreaAdmin(TerritoryScopedAdmin):
    list_display = ["name", "established_on", "dissolved_on", "merged_into"]
    inlines = [AreaCompoundInline]
    sub_district_path = "sub_district"


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(TerritoryScopedAdmin):
    list_display = ["name", "management_area", "term_start", "term_end", "status"]
    inlines = [CommitteeMemberInline]
    sub_district_path = "management_area__sub_district"


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "address"]
    search_fields = ["name", "credit_code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sub_district", "neighbourhood"]
    list_filter = ["kind"]
