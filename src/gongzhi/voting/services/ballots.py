"""Ballots: cast online or with a code, entered from paper, confirmed and corrected, each
an event in the decision's ledger."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked

from ..ledger import ledger_append, ledger_append_many
from ..models import (
    Ballot,
    BallotState,
    Channel,
    Confirmation,
    Decision,
    DecisionItem,
    DecisionStatus,
    OneTimeCode,
    RegisterEntry,
)
from ..notify import tell_receipt
from .codes import CODE_ALPHABET, code_verify

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- ballots ----------------------------------------------------------------


def validate_choices(
    decision: Decision,
    choices: Mapping[int, str],
    items: Sequence[DecisionItem] | None = None,
) -> list[tuple[DecisionItem, str]]:
    items = list(decision.items.all()) if items is None else items
    if set(choices) != {item.pk for item in items}:
        raise ApplicationError(_("Answer every question on the ballot."))
    pairs = []
    for item in items:
        value = choices[item.pk]
        if value not in item.choice_values():
            raise ApplicationError(
                _("“%(value)s” is not a choice for question %(position)d.")
                % {"value": value, "position": item.position}
            )
        pairs.append((item, value))
    return pairs


def ballot_payload(ballot: Ballot) -> dict:
    return {
        "ballot": ballot.pk,
        "item": ballot.item_id,
        "entry": ballot.entry_id,
        "choice": ballot.choice,
        "channel": ballot.channel,
        "state": ballot.state,
        "reason": ballot.reason,
        "cast_at": ballot.cast_at,
        "supersedes": ballot.supersedes_id,
    }


def _record(
    decision: Decision,
    entry: RegisterEntry,
    pairs: Iterable[tuple[DecisionItem, str]],
    *,
    channel: str,
    cast_at: dt.datetime,
    recorded_by=None,
    owner=None,
    receipt: str = "",
) -> list[Ballot]:
    """Record one ballot sheet (see ``record_sheets``)."""
    return record_sheets(
        decision,
        [(entry, list(pairs))],
        channel=channel,
        cast_at=cast_at,
        recorded_by=recorded_by,
        owner=owner,
        receipt=receipt,
    )


def record_sheets(
    decision: Decision,
    sheets: Sequence[tuple[RegisterEntry, Sequence[tuple[DecisionItem, str]]]],
    *,
    channel: str,
    cast_at: dt.datetime,
    recorded_by=None,
    owner=None,
    receipt: str = "",
) -> list[Ballot]:
    """Record ballot sheets: the first valid ballot per item and unit locks it; a
    later one from any channel is kept as rejected, with the reason. Every ballot
    goes into the ledger. Call with the decision row locked."""
    entry_ids = [entry.pk for entry, _pairs in sheets]
    taken = {
        (item_id, entry_id): (ch, at)
        for item_id, entry_id, ch, at in Ballot.objects.filter(
            decision=decision, entry_id__in=entry_ids, state=BallotState.EFFECTIVE
        ).values_list("item_id", "entry_id", "channel", "cast_at")
    }
    labels = dict(Channel.choices)
    recorder = recorded_by if recorded_by is not None and recorded_by.is_authenticated else None
    confirmation = (
        Confirmation.PENDING
        if channel == Channel.PAPER and decision.paper_double_entry
        else Confirmation.NOT_NEEDED
    )
    ballots = []
    for entry, pairs in sheets:
        for item, choice in pairs:
            ballot = Ballot(
                decision=decision,
                item=item,
                entry=entry,
                choice=choice,
                channel=channel,
                cast_at=cast_at,
                recorded_by=recorder,
                owner=owner,
                receipt=receipt,
                confirmation=confirmation,
            )
            first = taken.get((item.pk, entry.pk))
            if first is not None:
                ballot.state = BallotState.REJECTED
                ballot.confirmation = Confirmation.NOT_NEEDED
                ballot.reason = _(
                    "This unit already has a %(channel)s ballot on this question from %(time)s; "
                    "the first valid ballot counts."
                ) % {
                    "channel": labels[first[0]],
                    "time": timezone.localtime(first[1]).strftime("%Y-%m-%d %H:%M"),
                }
            else:
                taken[(item.pk, entry.pk)] = (channel, cast_at)
            ballots.append(ballot)
    try:
        with transaction.atomic():
            Ballot.objects.bulk_create(ballots, batch_size=1000)
    except IntegrityError:
        # Another process recorded an effective ballot in between (the decision lock
        # makes this rare; the database constraint decides). Save one by one: the
        # later ones are kept as rejected, nothing is lost.
        for ballot in ballots:
            ballot.pk = None
            try:
                with transaction.atomic():
                    ballot.save()
            except IntegrityError:
                ballot.pk = None
                ballot.state = BallotState.REJECTED
                ballot.reason = _("Another ballot for this unit was recorded at the same moment.")
                ballot.save()
    ledger_append_many(
        decision=decision, events=[("ballot", ballot_payload(ballot)) for ballot in ballots]
    )
    return ballots


def _open_for(decision: Decision, at: dt.datetime) -> None:
    if decision.status != DecisionStatus.OPEN:
        raise ApplicationError(_("This decision is not open for voting."))
    if not decision.opens_at <= at < decision.closes_at:
        raise ApplicationError(
            _("Ballots are accepted from %(opens)s until %(closes)s.")
            % {
                "opens": timezone.localtime(decision.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(decision.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )


def _receipt() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def ballot_cast_online(
    *,
    decision: Decision,
    entry: RegisterEntry,
    choices: Mapping[int, str],
    user,
    now: dt.datetime | None = None,
) -> list[Ballot]:
    """A signed-in owner votes for one of their units; returns the ballots with the receipt."""
    decision = locked(decision)
    now = clock.now(now)
    if not decision.online_voting:
        raise ApplicationError(
            _("The rules of procedure of this decision allow paper ballots only.")
        )
    _open_for(decision, now)
    if entry.decision_id != decision.pk:
        raise PermissionRefused(_("This unit is not on this decision's register."))
    owners = scopes_for(user).owners & set(entry.owner_links.values_list("owner_id", flat=True))
    if not owners:
        raise PermissionRefused(_("You are not an owner of this unit on the register."))
    pairs = validate_choices(decision, choices)
    owner = entry.owners.filter(pk__in=owners).first()
    ballots = _record(
        decision,
        entry,
        pairs,
        channel=Channel.ONLINE,
        cast_at=now,
        recorded_by=user,
        owner=owner,
        receipt=_receipt(),
    )
    tell_receipt(user=user, decision=decision, ballots=ballots)
    return ballots


@transaction.atomic
def ballot_enter_paper(
    *,
    decision: Decision,
    entry: RegisterEntry,
    choices: Mapping[int, str],
    clerk,
    received_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> list[Ballot]:
    """A clerk enters a paper ballot received during the voting window.

    Paper ballots are counted after they are collected, so entry is possible until
    the decision is closed, but the ballot must have been received inside the window.
    """
    decision = locked(decision)
    now = clock.now(now)
    received_at = received_at or now
    if received_at > now:
        raise ApplicationError(_("A ballot cannot be received in the future."))
    _open_for(decision, received_at)
    if entry.decision_id != decision.pk:
        raise ApplicationError(_("This unit is not on this decision's register."))
    pairs = validate_choices(decision, choices)
    return _record(
        decision, entry, pairs, channel=Channel.PAPER, cast_at=received_at, recorded_by=clerk
    )


@transaction.atomic
def ballots_enter_paper_batch(
    *,
    decision: Decision,
    sheets: Sequence[tuple[RegisterEntry, Mapping[int, str]]],
    clerk,
    received_at: dt.datetime,
    now: dt.datetime | None = None,
) -> list[Ballot]:
    """Enter a batch of paper ballots received together (a box opened at a count),
    all or nothing, with the same rules as one at a time."""
    decision = locked(decision)
    now = clock.now(now)
    if received_at > now:
        raise ApplicationError(_("A ballot cannot be received in the future."))
    _open_for(decision, received_at)
    items = list(decision.items.all())
    prepared = []
    for entry, choices in sheets:
        if entry.decision_id != decision.pk:
            raise ApplicationError(_("This unit is not on this decision's register."))
        prepared.append((entry, validate_choices(decision, choices, items)))
    return record_sheets(
        decision, prepared, channel=Channel.PAPER, cast_at=received_at, recorded_by=clerk
    )


@transaction.atomic
def ballot_confirm_paper(
    *, decision: Decision, entry: RegisterEntry, choices: Mapping[int, str], clerk
) -> list[Ballot]:
    """A second clerk enters the same paper ballot blind; differences are flagged."""
    decision = locked(decision)
    pairs = validate_choices(decision, choices)
    confirmed = []
    for item, choice in pairs:
        ballot = Ballot.objects.filter(
            item=item, entry=entry, state=BallotState.EFFECTIVE, channel=Channel.PAPER
        ).first()
        if ballot is None or ballot.confirmation != Confirmation.PENDING:
            raise ApplicationError(
                _("There is no paper ballot awaiting confirmation for this unit.")
            )
        if ballot.recorded_by_id == getattr(clerk, "pk", None):
            raise ApplicationError(_("The second entry must be made by another clerk."))
        ballot.confirmed_by = clerk
        ballot.confirmation_choice = choice
        ballot.confirmation = (
            Confirmation.CONFIRMED if choice == ballot.choice else Confirmation.DISPUTED
        )
        ballot.save(update_fields=["confirmed_by", "confirmation_choice", "confirmation"])
        ledger_append(
            decision=decision,
            event="ballot_confirmation",
            payload={"ballot": ballot.pk, "second_choice": choice, "result": ballot.confirmation},
        )
        confirmed.append(ballot)
    return confirmed


@transaction.atomic
def ballot_correct(*, ballot: Ballot, choice: str, reason: str, actor: User | None) -> Ballot:
    """Correct an entered paper ballot before the decision closes: the old ballot is
    superseded, the new one effective, and both stay with who, when and why."""
    decision = locked(ballot.decision)
    if decision.status != DecisionStatus.OPEN:
        raise ApplicationError(_("Ballots can be corrected only while the decision is open."))
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.state != BallotState.EFFECTIVE:
        raise ApplicationError(_("Only an effective ballot can be corrected."))
    if ballot.channel != Channel.PAPER:
        raise ApplicationError(_("Only a clerk's entry of a paper ballot can be corrected."))
    if not reason.strip():
        raise ApplicationError(_("A correction needs its reason."))
    if choice not in ballot.item.choice_values():
        raise ApplicationError(_("Not a choice for this question."))
    ballot.state = BallotState.SUPERSEDED
    ballot.reason = reason.strip()
    ballot.save(update_fields=["state", "reason"])
    corrected = Ballot.objects.create(
        decision=decision,
        item=ballot.item,
        entry=ballot.entry,
        choice=choice,
        channel=ballot.channel,
        cast_at=ballot.cast_at,
        recorded_by=actor,
        supersedes=ballot,
        reason=reason.strip(),
    )
    ledger_append(decision=decision, event="ballot", payload=ballot_payload(ballot))
    ledger_append(decision=decision, event="ballot", payload=ballot_payload(corrected))
    audit_log(
        event_type=EventType.BALLOT_CORRECTED,
        actor=actor,
        subject=corrected,
        old={"choice": ballot.choice},
        new={"choice": choice, "reason": reason},
    )
    return corrected


def ballot_cast_with_code(
    *,
    code: str,
    phone_last4: str,
    choices: Mapping[int, str],
    client: str,
    now: dt.datetime | None = None,
) -> list[Ballot]:
    """Vote online with the one-time code printed on the unit's paper ballot and the
    last four digits of an owner's phone; the code is used up by the vote."""
    record = code_verify(code=code, phone_last4=phone_last4, client=client)
    with transaction.atomic():
        decision = locked(record.entry.decision)
        now = clock.now(now)
        if not decision.online_voting:
            raise ApplicationError(
                _("The rules of procedure of this decision allow paper ballots only.")
            )
        _open_for(decision, now)
        pairs = validate_choices(decision, choices)
        record = OneTimeCode.objects.select_for_update().get(pk=record.pk)
        if record.used_at is not None:
            raise PermissionRefused(_("This code has already been used."))
        record.used_at = now
        record.save(update_fields=["used_at"])
        return _record(
            decision, record.entry, pairs, channel=Channel.CODE, cast_at=now, receipt=_receipt()
        )
