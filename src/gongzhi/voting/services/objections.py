"""After the count: the objection period, objections and their answers,
re-verification of ballots, and how long the papers are kept."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked
from gongzhi.registry.models import Owner

from ..ledger import ledger_append, ledger_append_many
from ..models import (
    BallotState,
    Decision,
    DecisionStatus,
    Evidence,
    Objection,
    PaperSheet,
    ResultStage,
    Reverification,
    ReverificationOutcome,
)
from ..notify import tell_objection_answered
from .ballots import ballot_payload

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- objections ---------------------------------------------------------------


def objection_period(decision: Decision) -> tuple[dt.datetime, dt.datetime] | None:
    preliminary = decision.results.at_stage(ResultStage.PRELIMINARY)
    if preliminary is None:
        return None
    return preliminary.published_at, preliminary.published_at + dt.timedelta(
        days=decision.objection_days
    )


@transaction.atomic
def objection_lodge(
    *, decision: Decision, user, text: str, now: dt.datetime | None = None
) -> Objection:
    """A written, real-name objection by an owner on the register, during the period."""
    decision = locked(decision)
    now = clock.now(now)
    period = objection_period(decision)
    if (
        decision.status != DecisionStatus.PRELIMINARY
        or period is None
        or not period[0] <= now < period[1]
    ):
        raise ApplicationError(
            _("Objections are lodged during the period after the preliminary result.")
        )
    owners = scopes_for(user).owners
    owner = (
        Owner.objects.filter(pk__in=owners)
        .filter(pk__in=decision.register.values("owner_links__owner_id"))
        .first()
    )
    if owner is None:
        raise PermissionRefused(_("Only owners on this decision's register may object."))
    if not text.strip():
        raise ApplicationError(_("Write the objection."))
    objection = Objection.objects.create(
        decision=decision,
        owner=owner,
        lodged_by=user,
        text=text.strip(),
        lodged_at=now,
        answer_due=now + dt.timedelta(days=decision.objection_answer_days),
    )
    ledger_append(
        decision=decision, event="objection", payload={"objection": objection.pk, "at": now}
    )
    return objection


@transaction.atomic
def objection_answer(
    *, objection: Objection, answer: str, actor: User | None, now: dt.datetime | None = None
) -> Objection:
    decision = locked(objection.decision)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise ApplicationError(_("This objection has been answered."))
    if not answer.strip():
        raise ApplicationError(_("Write the answer."))
    objection.answer = answer.strip()
    objection.answered_at = clock.now(now)
    objection.answered_by = actor
    objection.save(update_fields=["answer", "answered_at", "answered_by"])
    ledger_append(
        decision=decision,
        event="objection_answered",
        payload={"objection": objection.pk, "at": objection.answered_at},
    )
    tell_objection_answered(objection)
    return objection


# --- re-verification ----------------------------------------------------------


@transaction.atomic
def reverification_record(
    *,
    sheet: PaperSheet,
    method: str,
    outcome: str,
    actor: User,
    note: str = "",
    evidence: Evidence | None = None,
    now: dt.datetime | None = None,
) -> Reverification:
    """Check a doubtful paper ballot with its owner. A ballot the owner disowns is
    excluded: its ballots leave the count, the change goes into the ledger."""
    decision = locked(sheet.decision)
    now = clock.now(now)
    if decision.status not in (
        DecisionStatus.OPEN,
        DecisionStatus.CLOSED,
        DecisionStatus.PRELIMINARY,
    ):
        raise ApplicationError(_("Ballots are re-verified until the final result."))
    if outcome not in ReverificationOutcome.values or method not in ("visit", "call"):
        raise ApplicationError(_("Say how the owner was reached and what they said."))
    if outcome != ReverificationOutcome.UNREACHABLE and evidence is None:
        raise ApplicationError(_("A re-verification is recorded with its evidence."))
    check = Reverification.objects.create(
        decision=decision,
        sheet=sheet,
        method=method,
        outcome=outcome,
        note=note.strip(),
        evidence=evidence,
        checked_at=now,
        checked_by=actor,
    )
    events = [
        (
            "reverification",
            {
                "sheet": sheet.pk,
                "method": method,
                "outcome": outcome,
                "evidence": evidence.sha256 if evidence else None,
            },
        )
    ]
    if outcome == ReverificationOutcome.DISOWNED:
        for ballot in sheet.ballots.select_for_update().filter(state=BallotState.EFFECTIVE):
            ballot.state = BallotState.EXCLUDED
            ballot.reason = _("The owner disowned this ballot on re-verification (%(method)s).") % {
                "method": check.get_method_display()
            }
            ballot.save(update_fields=["state", "reason"])
            events.append(("ballot", ballot_payload(ballot)))
            audit_log(
                event_type=EventType.BALLOT_EXCLUDED,
                actor=actor,
                subject=ballot,
                old={"state": BallotState.EFFECTIVE},
                new={"state": BallotState.EXCLUDED, "reverification": check.pk},
            )
    ledger_append_many(decision=decision, events=events)
    return check


# --- retention ----------------------------------------------------------------


def retention_until(decision: Decision) -> dt.date | None:
    """Kept at least for the owners' committee's term and never less than the one-year
    window to revoke a decision (SPC interpretation Art. 12)."""
    final = decision.results.at_stage(ResultStage.FINAL)
    if final is None:
        return None
    from gongzhi.registry.models import OwnersCommittee

    floor = timezone.localdate(final.published_at) + dt.timedelta(
        days=settings.VOTING_RETENTION_MIN_DAYS
    )
    terms = OwnersCommittee.objects.filter(
        management_area__memberships__compound__in=decision.compounds.all()
    ).values_list("term_end", flat=True)
    return max([floor, *terms])
