"""Consolidation cases over JSON: public milestones for everyone; the timeline with
what blocks the next stage, and the meetings, for those who follow the case (a
committee member sees only their own compound's rows and meetings)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from gongzhi.cases import selectors
from gongzhi.cases.models import ConsolidationCase, MeetingKind, MeetingStatus
from gongzhi.cases.stages import Stage
from gongzhi.core.permissions import require
from gongzhi.notices.models import NoticeStatus
from gongzhi.voting.models import DecisionStatus

from .common import Refusal  # noqa: E402

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    title: str
    neighbourhood: str
    compounds: list[str]
    stage: str
    stage_label: str
    opened_at: dt.datetime
    completed_at: dt.datetime | None
    page: str


class MilestoneOut(Schema):
    stage: str
    label: str
    reached_at: dt.datetime | None


class LinkOut(Schema):
    id: int
    title: str
    url: str


class MilestonesOut(Schema):
    case: CaseOut
    milestones: list[MilestoneOut]
    counts: dict[str, int]
    notices: list[LinkOut]
    decisions: list[LinkOut]


class GuardOut(Schema):
    compound: str | None
    text: str


class CompoundStateOut(Schema):
    compound: str
    state: str


class StageRowOut(Schema):
    stage: str
    label: str
    reached_at: dt.datetime | None
    is_next: bool
    missing: list[GuardOut]
    compounds: list[CompoundStateOut] | None


class ActionItemOut(Schema):
    title: str
    responsible: str
    due_on: dt.date
    status: str
    overdue: bool


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str
    compounds: list[str]
    action_items: list[ActionItemOut]
    page: str
    ics: str


def _case_out(case: ConsolidationCase) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "neighbourhood": case.neighbourhood.name,
        "compounds": sorted(c.name for c in case.compounds.all()),
        "stage": case.stage,
        "stage_label": str(Stage(case.stage).label),
        "opened_at": case.opened_at,
        "completed_at": case.completed_at,
        "page": reverse("cases:public", args=[case.pk]),
    }


def _case(case_id: int) -> ConsolidationCase:
    return get_object_or_404(
        ConsolidationCase.objects.select_related("neighbourhood__sub_district"), pk=case_id
    )


def _followed(request, case_id: int) -> ConsolidationCase:
    case = _case(case_id)
    require(request, "cases.view_case", case, reason=_("This case is not one you follow."))
    return case


@router.get("/", response=list[CaseOut], auth=None, summary="Every case, as the public sees it")
def list_cases(request):
    cases = (
        ConsolidationCase.objects.select_related("neighbourhood")
        .prefetch_related("compounds")
        .order_by("-opened_at")
    )
    return [_case_out(c) for c in cases]


@router.get(
    "/{case_id}/milestones",
    response=MilestonesOut,
    auth=None,
    summary="Stages reached and when, counts and public links; no personal data",
)
def milestones(request, case_id: int):
    case = _case(case_id)
    reached = dict(case.history.values_list("stage", "at"))
    notices = case.notices.exclude(status=NoticeStatus.DRAFT).order_by("display_from")
    decisions = case.decisions.exclude(status=DecisionStatus.DRAFT).order_by("opens_at")
    return {
        "case": _case_out(case),
        "milestones": [
            {"stage": s, "label": str(Stage(s).label), "reached_at": reached.get(s)}
            for s in Stage.values
        ],
        "counts": selectors.case_counts(case),
        "notices": [
            {"id": n.pk, "title": n.title, "url": reverse("notices:detail", args=[n.pk])}
            for n in notices
        ],
        "decisions": [
            {"id": d.pk, "title": d.title, "url": reverse("voting:detail", args=[d.pk])}
            for d in decisions
        ],
    }


@router.get(
    "/{case_id}/timeline",
    response={200: list[StageRowOut], 403: Refusal},
    summary="Every stage with what the next one still needs, in words",
)
def timeline(request, case_id: int):
    case = _followed(request, case_id)
    return [
        {
            "stage": row.stage,
            "label": row.label,
            "reached_at": row.reached_at,
            "is_next": row.is_next,
            "missing": [{"compound": c, "text": text} for c, text in row.missing],
            "compounds": None
            if row.per_compound is None
            else [{"compound": c, "state": state} for c, state in row.per_compound],
        }
        for row in selectors.timeline_for(request.user, case, _)
    ]


@router.get(
    "/{case_id}/meetings",
    response={200: list[MeetingOut], 403: Refusal},
    summary="The case's meetings, newest first",
)
def meetings(request, case_id: int):
    case = _followed(request, case_id)
    seen = selectors.compounds_seen_by(request.user, case)
    rows = case.meetings.prefetch_related("compounds", "action_items").order_by("-starts_at")
    if seen is not None:
        rows = rows.filter(compounds__in=seen).distinct()
    today = timezone.localdate()
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "kind_label": str(MeetingKind(m.kind).label),
            "title": m.title,
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "place": m.place,
            "status": str(MeetingStatus(m.status).label),
            "compounds": sorted(c.name for c in m.compounds.all()),
            "action_items": [
                {
                    "title": a.title,
                    "responsible": a.owner,
                    "due_on": a.due_on,
                    "status": a.status,
                    "overdue": a.overdue_on(today),
                }
                for a in m.action_items.all()
            ],
            "page": reverse("cases:meeting", args=[m.pk]),
            "ics": reverse("cases:meeting_calendar", args=[m.pk]),
        }
        for m in rows
    ]
