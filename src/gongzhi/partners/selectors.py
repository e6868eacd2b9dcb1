"""Reads of partners, agreements and the pipeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import SubDistrict

from .models import STAGE_ORDER, Agreement, AgreementStatus, Commitment, Enterprise, Event


def managed_sub_districts(user) -> QuerySet[SubDistrict]:
    scopes = scopes_for(user)
    if scopes.superuser:
        return SubDistrict.objects.all()
    return SubDistrict.objects.filter(pk__in=scopes.economic_sub_districts | scopes.sub_districts)


def public_agreements() -> QuerySet[Agreement]:
    return (
        Agreement.objects.exclude(status=AgreementStatus.DRAFT)
        .order_by("-signed_on", "pk")
        .select_related("sub_district", "event")
        .prefetch_related("parties__organisation", "commitments")
    )


def agreements_managed(user) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(sub_district__in=managed_sub_districts(user))
        .select_related("sub_district")
        .prefetch_related("parties__organisation", "commitments")
        .annotate(
            open_commitments=Count("commitments", filter=Q(commitments__done_on__isnull=True))
        )
    )


def overdue_commitments(user, today: dt.date) -> QuerySet[Commitment]:
    return Commitment.objects.filter(
        agreement__sub_district__in=managed_sub_districts(user),
        done_on__isnull=True,
        due_on__lt=today,
    ).select_related("agreement", "owner")


def pipeline(user) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(sub_district__in=managed_sub_districts(user))
        .select_related("organisation", "recommended_by")
        .annotate(services_count=Count("services"))
    )


def counts_per_partner(enterprises) -> list[tuple[str, list[int], int]]:
    """(partner, count per stage in order, total) — '' for enterprises nobody
    recommended."""
    table: dict[str, list[int]] = defaultdict(lambda: [0] * len(STAGE_ORDER))
    for enterprise in enterprises:
        partner = enterprise.recommended_by.name if enterprise.recommended_by else ""
        table[partner][[s.value for s in STAGE_ORDER].index(enterprise.stage)] += 1
    return sorted(
        ((p, row, sum(row)) for p, row in table.items()), key=lambda r: (-r[2], r[0] == "", r[0])
    )


def public_events() -> QuerySet[Event]:
    return Event.objects.select_related("sub_district").prefetch_related("booths")
