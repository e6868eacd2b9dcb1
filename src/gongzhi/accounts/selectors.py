"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, Membership, Role


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def memberships_of(user: Any) -> QuerySet[Membership]:
    """The roles a person holds now, with their scope."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("sub_district", "neighbourhood", "compound", "owner", "company")
        .order_by("role", "pk")
    )


def _ids(ids):
    """Ids as given: a queryset stays a subquery, anything else becomes a list."""
    return ids if isinstance(ids, QuerySet) else list(ids)


def _holders(**condition) -> QuerySet:
    from .models import User

    memberships = Membership.objects.current().filter(**condition)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def users_owning(owner_ids) -> QuerySet:
    """The accounts linked to these owners of the roll."""
    return _holders(role=Role.OWNER, owner_id__in=_ids(owner_ids))


def users_organising(*, neighbourhood_id: int, sub_district_id: int) -> QuerySet:
    """The clerks of a residents' area and the officials of its sub-district."""
    from django.db.models import Q

    from .models import User

    memberships = Membership.objects.current().filter(
        Q(role=Role.CLERK, neighbourhood_id=neighbourhood_id)
        | Q(role=Role.SUB_DISTRICT_OFFICIAL, sub_district_id=sub_district_id)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def users_on_committees(compound_ids) -> QuerySet:
    """The owners' committee members of these compounds."""
    return _holders(role=Role.COMMITTEE_MEMBER, compound_id__in=_ids(compound_ids))


def users_of_companies(company_ids) -> QuerySet:
    """The staff of these property companies."""
    return _holders(role=Role.COMPANY_STAFF, company_id__in=_ids(company_ids))


def users_clerking(neighbourhood_id: int) -> QuerySet:
    """The clerks of a residents' area."""
    return _holders(role=Role.CLERK, neighbourhood_id=neighbourhood_id)
