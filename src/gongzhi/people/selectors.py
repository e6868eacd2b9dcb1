"""Reads for people and roles, narrowed to what the reader manages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongzhi.accounts.models import Membership, Role
from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import Compound, Neighbourhood, PropertyCompany, SubDistrict
from gongzhi.selection.models import PoolEntry


def sub_districts_managed_by(user: Any) -> QuerySet[SubDistrict]:
    scopes = scopes_for(user)
    if scopes.superuser:
        return SubDistrict.objects.all()
    return SubDistrict.objects.filter(pk__in=scopes.sub_districts)


def areas_managed_by(user: Any) -> QuerySet[Neighbourhood]:
    scopes = scopes_for(user)
    base = Neighbourhood.objects.select_related("sub_district")
    if scopes.superuser:
        return base
    return base.filter(
        Q(sub_district_id__in=scopes.sub_districts) | Q(pk__in=scopes.neighbourhoods)
    )


def compounds_managed_by(user: Any) -> QuerySet[Compound]:
    return Compound.objects.filter(neighbourhood__in=areas_managed_by(user)).select_related(
        "neighbourhood"
    )


def companies_managed_by(user: Any) -> QuerySet[PropertyCompany]:
    """Companies whose staff the user may invite: serving their compounds, or in the
    pool of their district."""
    scopes = scopes_for(user)
    if scopes.superuser:
        return PropertyCompany.objects.all()
    areas = areas_managed_by(user)
    districts = set(areas.values_list("sub_district__district", flat=True))
    pooled = PoolEntry.objects.filter(pool__district__in=districts).values("company_id")
    return PropertyCompany.objects.filter(
        Q(compounds__neighbourhood__in=areas) | Q(pk__in=pooled)
    ).distinct()


def people_managed_by(user: Any, *, role: str = "", text: str = "") -> QuerySet[Membership]:
    """The roles in force in the user's territory (owners apart: they are many, and
    they are on the roll); ``text`` finds a name, a user name or a mobile number."""
    scopes = scopes_for(user)
    base = (
        Membership.objects.current()
        .exclude(role=Role.OWNER)
        .select_related(
            "user", "sub_district", "neighbourhood", "compound", "company", "granted_by"
        )
        .order_by("role", "user__display_name", "pk")
    )
    if role:
        base = base.filter(role=role)
    if text:
        base = base.filter(
            Q(user__display_name__icontains=text)
            | Q(user__username__icontains=text)
            | Q(user__phone__contains=text)
        )
    if scopes.superuser:
        return base
    areas = areas_managed_by(user)
    condition = (
        Q(neighbourhood__in=areas)
        | Q(compound__neighbourhood__in=areas)
        | Q(company__in=companies_managed_by(user))
    )
    if scopes.sub_districts:
        condition |= Q(sub_district_id__in=scopes.sub_districts) | Q(role=Role.EXPERT)
    return base.filter(condition)
