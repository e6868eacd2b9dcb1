"""Reads for public notices."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from gongzhi.accounts.scopes import scopes_for
from gongzhi.registry.models import ManagementArea

from .models import Notice, NoticeOpinion, NoticeStatus, PublicRevenueStatement


def current_notices(now: dt.datetime | None = None) -> QuerySet[Notice]:
    """The board: published notices whose window is open now, ending soonest first."""
    now = now or timezone.now()
    return (
        Notice.objects.filter(
            status=NoticeStatus.PUBLISHED, display_from__lte=now, display_until__gt=now
        )
        .select_related("neighbourhood")
        .prefetch_related("compounds")
        .order_by("display_until", "pk")
    )


def past_notices(now: dt.datetime | None = None) -> QuerySet[Notice]:
    """Notices that were up and are kept for inspection (SPC Art. 13), newest first."""
    now = now or timezone.now()
    return (
        Notice.objects.filter(
            Q(status=NoticeStatus.PUBLISHED, display_until__lte=now)
            | Q(status=NoticeStatus.WITHDRAWN)
        )
        .select_related("neighbourhood")
        .prefetch_related("compounds")
        .order_by("-display_until", "-pk")
    )


def managed_notices(user) -> QuerySet[Notice]:
    """Every notice the user may manage, drafts included."""
    scopes = scopes_for(user)
    notices = Notice.objects.select_related("neighbourhood").prefetch_related("compounds")
    if scopes.superuser:
        return notices
    return notices.filter(
        Q(neighbourhood_id__in=scopes.neighbourhoods)
        | Q(neighbourhood__sub_district_id__in=scopes.sub_districts)
    )


def _organised_area(scopes, path: str = "") -> Q:
    """Management areas of the user's sub-districts, or holding a compound of their
    residents' areas; ``path`` leads from the queried model to the area."""
    return Q(**{f"{path}sub_district_id__in": scopes.sub_districts}) | Q(
        **{
            f"{path}memberships__until__isnull": True,
            f"{path}memberships__compound__neighbourhood_id__in": scopes.neighbourhoods,
        }
    )


def areas_organised_by(user) -> QuerySet[ManagementArea]:
    """Management areas in service whose public revenue the user reports."""
    scopes = scopes_for(user)
    areas = ManagementArea.objects.filter(dissolved_on__isnull=True)
    if scopes.superuser:
        return areas
    return areas.filter(_organised_area(scopes)).distinct()


def statements_managed_by(user) -> QuerySet[PublicRevenueStatement]:
    scopes = scopes_for(user)
    statements = PublicRevenueStatement.objects.select_related("management_area", "notice")
    if scopes.superuser:
        return statements
    return statements.filter(_organised_area(scopes, "management_area__")).distinct()


def opinions_for(notice: Notice, user, *, manage: bool) -> QuerySet[NoticeOpinion]:
    """Organisers see every opinion; the public the answered ones (shown without who
    left them); an owner also their own unanswered ones."""
    opinions = notice.opinions.select_related("owner").order_by("created_at")
    if manage:  # those awaiting an answer first
        return opinions.order_by(F("answered_at").asc(nulls_first=True), "created_at")
    mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
    return opinions.filter(Q(answered_at__isnull=False) | mine)
