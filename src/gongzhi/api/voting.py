"""Owners' decisions over JSON: decisions, items, casting, paper entry, progress, results.

The same services and permission rules as the pages; a refused action answers
with the reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints, WithJsonSchema

from gongzhi.core.errors import PermissionRefused
from gongzhi.core.net import client_address
from gongzhi.core.params import object_or_404
from gongzhi.core.permissions import require
from gongzhi.voting import selectors, services
from gongzhi.voting.models import Decision

from .common import Refusal

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


# Question id -> choice. JSON keys are strings; these are a question's id in digits.
QuestionId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}$")]
Choices = Annotated[
    dict[QuestionId, Annotated[str, StringConstraints(max_length=20)]],
    WithJsonSchema(
        {
            "type": "object",
            "description": 'question id -> choice, e.g. {"12": "agree"}',
            "patternProperties": {"^[0-9]{1,18}$": {"type": "string", "maxLength": 20}},
            "additionalProperties": False,
        }
    ),
]


def by_question(choices: dict[str, str]) -> dict[int, str]:
    return {int(question): choice for question, choice in choices.items()}


class BallotIn(Schema):
    entry: int = Field(ge=1, le=10**18 - 1)
    choices: Choices


class PaperIn(BallotIn):
    received_at: dt.datetime | None = None


class CodeIn(Schema):
    code: Annotated[str, StringConstraints(max_length=32)]
    phone_last4: Annotated[str, StringConstraints(max_length=8)]
    choices: Choices


class BallotOut(Schema):
    item: int
    state: str
    reason: str
    channel: str
    cast_at: dt.datetime
    receipt: str


class ShortfallOut(Schema):
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
    participation_missing: ShortfallOut | None
    approval_missing: ShortfallOut
    passed: bool
    combined: bool = Field(
        False, description="the combined figure of a decision counted over all compounds"
    )


def _decision(decision_id: int, request) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("neighbourhood"), pk=decision_id)
    require(
        request, "voting.view_decision", decision, reason=_("This decision has not been announced.")
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


@router.get("/decisions/{decision_id}", response={200: DecisionOut, 403: Refusal}, auth=None)
def get_decision(request, decision_id: int):
    return _decision_out(_decision(decision_id, request))


@router.post(
    "/decisions/{decision_id}/ballots",
    response={200: list[BallotOut], 400: Refusal, 403: Refusal},
    summary="Cast an online ballot for one of your units",
)
def cast(request, decision_id: int, payload: BallotIn):
    decision = _decision(decision_id, request)
    entry = object_or_404(decision.register.all(), payload.entry)
    ballots = services.ballot_cast_online(
        decision=decision, entry=entry, choices=by_question(payload.choices), user=request.user
    )
    return Status(200, _ballots_out(ballots))


class ReceivedOut(Schema):
    units: int = Field(description="units whose delivery was recorded now (0: all were already)")


@router.post(
    "/decisions/{decision_id}/receive",
    response={200: ReceivedOut, 400: Refusal, 403: Refusal},
    summary="Confirm that the ballot reached you: delivery online (送达) of your units",
)
def receive(request, decision_id: int):
    """The same explicit action as the ballot page's: nothing else records a delivery."""
    from gongzhi.voting.services import delivery_record_online

    decision = _decision(decision_id, request)
    entries = selectors.entries_of_owner(decision, request.user)
    if not entries:
        raise PermissionRefused(_("You hold no unit on this decision's register."))
    return {"units": delivery_record_online(decision=decision, entries=entries, user=request.user)}


@router.post(
    "/ballots/with-code",
    response={200: list[BallotOut], 400: Refusal, 403: Refusal},
    auth=None,
    summary="Cast a ballot with the one-time code printed on the paper ballot",
)
def cast_with_code(request, payload: CodeIn):
    ballots = services.ballot_cast_with_code(
        code=payload.code,
        phone_last4=payload.phone_last4,
        choices=by_question(payload.choices),
        client=client_address(request),
    )
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
    entry = object_or_404(decision.register.all(), payload.entry)
    ballots = services.ballot_enter_paper(
        decision=decision,
        entry=entry,
        choices=by_question(payload.choices),
        clerk=request.user,
        received_at=payload.received_at,
    )
    return Status(200, _ballots_out(ballots))


@router.get(
    "/decisions/{decision_id}/progress",
    response={200: list[ProgressOut], 403: Refusal},
    summary="Live progress",
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
        return None if m is None else ShortfallOut(heads=m.heads, area=f"{m.area:.2f}")

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
            combined=row.combined,
        )
        for row in selectors.progress(decision)
    ]


class CountOut(Schema):
    area: str = Field(description="m², exact to two decimals")
    heads: int


class HeadsOut(Schema):
    heads: int


class GroupOut(Schema):
    """One compound's tally (or the combined one, without ``compound``)."""

    compound: str | None = None
    total: CountOut
    participating: CountOut
    agree: CountOut
    disagree: CountOut
    abstain: CountOut
    mixed: HeadsOut | None = Field(
        None,
        description="persons with several units who chose differently on them: they "
        "participate, neither for nor against (results published before this was "
        "reported separately count them under abstain, and have no mixed)",
    )
    delivered_not_returned: CountOut
    participation_met: bool
    approval_met: bool
    passed: bool


class OutcomeOut(Schema):
    passed: bool
    compounds: list[GroupOut]
    combined: GroupOut


class OptionResultOut(Schema):
    label: str
    key: str
    passed: bool
    without_clause: OutcomeOut
    with_clause: OutcomeOut | None
    clause_changes_outcome: bool


class ItemResultOut(Schema):
    item: int
    position: int
    text: str
    matter: str
    rule: str
    article: str
    options: list[OptionResultOut]
    passed: bool


class ResultOut(Schema):
    stage: str
    published_at: dt.datetime
    head_hash: str
    passed: bool
    scope: str
    non_voter_clause: bool
    excluded_uses: list[str]
    items: list[ItemResultOut]


@router.get(
    "/decisions/{decision_id}/result",
    auth=None,
    response={200: ResultOut, 403: Refusal, 404: Refusal},
    summary="The published result",
)
def result(request, decision_id: int):
    decision = _decision(decision_id, request)
    published = decision.results.latest_published()
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
    response={200: ReceiptOut, 403: Refusal, 404: Refusal},
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
