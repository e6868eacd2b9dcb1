"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, Membership


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
