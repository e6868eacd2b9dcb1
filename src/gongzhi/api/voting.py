"""Owners' decisions over JSON: decisions, items, casting, paper entry, progress, results.

The same services and permission rules as the pages; a refused action answers
with the reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongzhi.core.errors import ApplicationError
from gongzhi.core.net import client_address
from gongzhi.core.permissions import require
from gongzhi.voting import selectors, services
from gongzhi.voting.models import Decision

from .common import Refusal, refused

router = Router(tags=["voting"])


class ItemOut(Schema):
    id: int
    position: int
    text: str
    matter: str
    rule: str
    choices: list[str]


class DecisionOut(Schema):
    id: int
    title: str
    status: str
    scope: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    online_voting: bool
    non_voter_clause: bool
    compounds: list[str]
    items: list[ItemOut]


class BallotIn(Schema):
    entry: int
    choices: dict[int, str]


class PaperIn(BallotIn):
    received_at: dt.datetime | None = None


class CodeIn(Schema):
    code: str
    phone_last4: str
    choices: dict[int, str]


class BallotOut(Schema):
    item: int
    state: str
    reason: str
    channel: str
    cast_at: dt.datetime
    receipt: str


class MissingOut(Schema):
    heads: int
    area: str


class ProgressOut(Schema):
    compound: str
    total_area: str
    total_heads: int
    cast_area: str
    cast_heads: int
    agree_area: str
    agree_heads: int
    participation_missing: MissingOut | None
    approval_missing: MissingOut
    passed: bool


def _decision(decision_id: int, request) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("neighbourhood"), pk=decision_id)
    if decision.status not in selectors.PUBLIC_STATUSES:
        require(
            request,
            "voting.manage_decision",
            decision,
            reason=_("This decision has not been announced."),
        )
    return decision


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        title=decision.title,
        status=decision.status,
        scope=decision.scope,
        opens_at=decision.opens_at,
        closes_at=decision.closes_at,
        online_voting=decision.online_voting,
        non_voter_clause=decision.non_voter_clause,
        compounds=sorted(decision.compounds.values_list("name", flat=True)),
        items=[
            ItemOut(
                id=i.pk,
                position=i.position,
                text=i.text,
                matter=i.matter,
                rule=i.rule,
                choices=i.choice_values(),
            )
            for i in decision.items.all()
        ],
    )


def _ballots_out(ballots) -> list[BallotOut]:
    return [
        BallotOut(
            item=b.item_id,
            state=b.state,
            reason=b.reason,
            channel=b.channel,
            cast_at=b.cast_at,
            receipt=b.receipt,
        )
        for b in ballots
    ]


@router.get("/decisions", response=list[DecisionOut], auth=None, summary="Announced decisions")
def list_decisions(request):
    return [_decision_out(d) for d in selectors.decisions_public()]


@router.get("/decisions/{decision_id}", response=DecisionOut, auth=None)
def get_decision(request, decision_id: int):
    return _decision_out(_decision(decision_id, request))


@router.post(
    "/decisions/{decision_id}/ballots",
    response={200: list[BallotOut], 400: Refusal, 403: Refusal},
    summary="Cast an online ballot for one of your units",
)
def cast(request, decision_id: int, payload: BallotIn):
    decision = _decision(decision_id, request)
    entry = get_object_or_404(decision.register, pk=payload.entry)
    try:
        ballots = services.ballot_cast_online(
            decision=decision, entry=entry, choices=payload.choices, user=request.user
        )
        return Status(200, _ballots_out(ballots))
    except ApplicationError as exc:
        return refused(exc)


@router.post(
    "/ballots/with-code",
    response={200: list[BallotOut], 400: Refusal, 403: Refusal},
    auth=None,
    summary="Cast a ballot with the one-time code printed on the paper ballot",
)
def cast_with_code(request, payload: CodeIn):
    try:
        ballots = services.ballot_cast_with_code(
            code=payload.code,
            phone_last4=payload.phone_last4,
            choices=payload.choices,
            client=client_address(request),
        )
    except ApplicationError as exc:
        return refused(exc)
    return Status(200, _ballots_out(ballots))


@router.post(
    "/decisions/{decision_id}/paper-ballots",
    response={200: list[BallotOut], 400: Refusal, 403: Refusal},
    summary="Enter a paper ballot (clerk)",
)
def enter_paper(request, decision_id: int, payload: PaperIn):
    decision = _decision(decision_id, request)
    require(
        request,
        "voting.enter_ballots",
        decision,
        reason=_("Only the organisers enter paper ballots."),
    )
    entry = get_object_or_404(decision.register, pk=payload.entry)
    try:
        ballots = services.ballot_enter_paper(
            decision=decision,
            entry=entry,
            choices=payload.choices,
            clerk=request.user,
            received_at=payload.received_at,
        )
    except ApplicationError as exc:
        return refused(exc)
    return Status(200, _ballots_out(ballots))


@router.get(
    "/decisions/{decision_id}/progress", response=list[ProgressOut], summary="Live progress"
)
def progress(request, decision_id: int):
    decision = _decision(decision_id, request)
    require(
        request,
        "voting.view_drive",
        decision,
        reason=_("The drive is for the organisers and the owners' committees."),
    )

    def missing(m):
        return None if m is None else MissingOut(heads=m.heads, area=f"{m.area:.2f}")

    return [
        ProgressOut(
            compound=row.name,
            total_area=f"{row.total_area:.2f}",
            total_heads=row.total_heads,
            cast_area=f"{row.cast_area:.2f}",
            cast_heads=row.cast_heads,
            agree_area=f"{row.agree_area:.2f}",
            agree_heads=row.agree_heads,
            participation_missing=missing(row.participation_missing),
            approval_missing=missing(row.approval_missing),
            passed=row.passed,
        )
        for row in selectors.progress(decision)
    ]


@router.get(
    "/decisions/{decision_id}/result",
    auth=None,
    response={200: dict, 404: Refusal},
    summary="The published result",
)
def result(request, decision_id: int):
    decision = _decision(decision_id, request)
    published = decision.results.order_by("-published_at").first()
    if published is None:
        return Status(404, {"detail": _("No result has been published yet.")})
    return Status(
        200,
        {
            "stage": published.stage,
            "published_at": published.published_at,
            "head_hash": published.head_hash,
            "passed": published.passed,
            **published.data,
        },
    )


class ReceiptOut(Schema):
    recorded: bool
    counted: bool
    reason: str
    cast_at: dt.datetime
    channel: str


@router.get(
    "/decisions/{decision_id}/receipts/{receipt}",
    auth=None,
    response={200: ReceiptOut, 404: Refusal},
)
def receipt(request, decision_id: int, receipt: str):
    """Was my ballot recorded, and does it count? When and how, never what it said."""
    decision = _decision(decision_id, request)
    found = selectors.receipt_lookup(decision, receipt)
    if found is None:
        return Status(404, {"detail": _("No ballot has this receipt.")})
    return Status(
        200,
        {
            "recorded": True,
            "counted": found.counted,
            "reason": found.reason,
            "cast_at": found.cast_at,
            "channel": found.channel,
        },
    )
