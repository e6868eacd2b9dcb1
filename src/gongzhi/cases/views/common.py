"""What the case's and the meetings' pages share: finding the case, calendar files."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from gongzhi.core.views import download

from ..ics import meetings_ics
from ..models import ConsolidationCase


def calendar_download(request, meetings, name: str, filename: str) -> HttpResponse:
    """The meetings as an iCalendar file to download."""
    return download(
        meetings_ics(meetings, name=name, domain=request.get_host().split(":")[0]),
        f"{filename}.ics",
        "text/calendar; charset=utf-8",
    )


def case_or_404(pk: int) -> ConsolidationCase:
    """The case with everything its pages show, or 404."""
    return get_object_or_404(
        ConsolidationCase.objects.select_related(
            "neighbourhood__sub_district",
            "approval_decision",
            "selection_plan",
            "disclosure_notice",
            "merger_decision",
            "merger_notice",
            "merged_area",
            "committee_decision",
            "merged_committee",
            "reelection",
        ),
        pk=pk,
    )
