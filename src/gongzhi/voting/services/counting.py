"""The public count: sessions, opened boxes, entered sheets, and the flags and
conflicts the count leaves for the committee to resolve."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.registry.models import CommitteeMember, Owner, Ownership

from ..ledger import ledger_append
from ..models import (
    BallotBox,
    BallotState,
    BoxEvent,
    BoxEventKind,
    Channel,
    CountSession,
    Decision,
    DecisionStatus,
    Evidence,
    EvidenceKind,
    PaperSheet,
    RegisterEntry,
    SessionStatus,
    Signature,
)
from .ballots import record_sheets, validate_choices
from .paper import box_event, names_present

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- the public count ---------------------------------------------------------


def committee_owner_ids(decision: Decision) -> set[int]:
    """Owners who sit on the committees of the decision's compounds."""
    return set(
        CommitteeMember.objects.filter(
            committee__status="active",
            committee__management_area__memberships__compound__in=decision.compounds.all(),
            committee__management_area__memberships__until__isnull=True,
            owner__isnull=False,
        ).values_list("owner_id", flat=True)
    )


@transaction.atomic
def count_start(
    *,
    decision: Decision,
    place: str,
    scrutineers: Sequence[str],
    counters: Sequence[str],
    witnesses: Sequence[Owner],
    actor: User,
    now: dt.datetime | None = None,
) -> CountSession:
    """Open a public count: its scrutineers (监票人), counters (计票人) and owner
    witnesses, at least as many as the rules of procedure ask, none of them on an
    owners' committee."""
    decision = locked(decision)
    now = clock.now(now)
    if decision.status != DecisionStatus.OPEN:
        raise ApplicationError(
            _("Ballots are counted while the decision is open, before it closes.")
        )
    if not place.strip():
        raise ApplicationError(_("Say where the count takes place."))
    scrutineers, counters = names_present(scrutineers), names_present(counters)
    distinct = {owner.pk: owner for owner in witnesses}
    on_register = set(
        decision.register.filter(owner_links__owner_id__in=distinct).values_list(
            "owner_links__owner_id", flat=True
        )
    )
    not_owners = [o.name or o.identifier for pk, o in distinct.items() if pk not in on_register]
    if not_owners:
        raise ApplicationError(
            _("Not owners on the register: %(names)s.") % {"names": "、".join(not_owners)}
        )
    committee = committee_owner_ids(decision)
    on_committee = [o.name or o.identifier for pk, o in distinct.items() if pk in committee]
    if on_committee:
        raise ApplicationError(
            _("Committee members cannot be witnesses: %(names)s.")
            % {"names": "、".join(on_committee)}
        )
    if len(distinct) < decision.min_witnesses:
        raise ApplicationError(
            _(
                "The rules of procedure ask for at least %(required)d owner witnesses; "
                "%(count)d are named."
            )
            % {"required": decision.min_witnesses, "count": len(distinct)}
        )
    session = CountSession.objects.create(
        decision=decision,
        place=place.strip(),
        started_at=now,
        scrutineers=scrutineers,
        counters=counters,
        started_by=actor,
    )
    session.witnesses.set(distinct.values())
    ledger_append(
        decision=decision,
        event="count_started",
        payload={
            "session": session.pk,
            "place": session.place,
            "scrutineers": scrutineers,
            "counters": counters,
            "witnesses": sorted(distinct),
        },
    )
    return session


def count_open_box(
    *,
    session: CountSession,
    box: BallotBox,
    present: Sequence[str],
    actor: User,
    seal_intact: bool = True,
    now: dt.datetime | None = None,
) -> BoxEvent:
    """Open a sealed box at the count, before the witnesses."""
    if session.status != SessionStatus.COUNTING:
        raise ApplicationError(_("This count session is closed."))
    if box.decision_id != session.decision_id:
        raise ApplicationError(_("This box belongs to another decision."))
    return box_event(
        box=box,
        kind=BoxEventKind.OPENED,
        at=clock.now(now),
        place=session.place,
        present=present,
        seal_intact=seal_intact,
        session=session,
        actor=actor,
        now=now,
    )


def _received_at(decision: Decision, now: dt.datetime) -> dt.datetime:
    """A ballot taken out of a box was dropped in before the window closed; it is
    dated at the latest moment that could have been."""
    return min(now, decision.closes_at - dt.timedelta(microseconds=1))


@transaction.atomic
def count_enter_sheet(
    *,
    session: CountSession,
    box: BallotBox,
    entry: RegisterEntry,
    choices: Mapping[int, str],
    signature: str,
    signer_name: str,
    handed_in_by: str,
    scan: Evidence,
    actor: User,
    authorisation: Evidence | None = None,
    id_copy: Evidence | None = None,
    now: dt.datetime | None = None,
) -> PaperSheet:
    """Enter one paper ballot taken from an opened box, with its scan.

    A ballot is valid with the owner's signature, or a proxy's with a written
    authorisation and the owner's ID copy. An unsigned or unauthorised one is kept
    as a rejected paper with its reason, and counts for nothing.
    """
    decision = locked(session.decision)
    now = clock.now(now)
    session = CountSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.COUNTING:
        raise ApplicationError(_("This count session is closed."))
    if not box.events.filter(kind=BoxEventKind.OPENED, session=session).exists():
        raise ApplicationError(_("Open the box at this session before taking ballots from it."))
    if entry.decision_id != decision.pk:
        raise ApplicationError(_("This unit is not on this decision's register."))
    if scan is None or scan.decision_id != decision.pk or scan.kind != EvidenceKind.SCAN:
        raise ApplicationError(_("Each ballot is entered with its scan."))
    if signature not in Signature.values:
        raise ApplicationError(_("Say who signed the ballot."))
    pairs = validate_choices(decision, choices)
    reason = ""
    if signature == Signature.UNSIGNED:
        reason = _("Unsigned: the ballot cannot be attributed to an owner.")
    elif signature == Signature.PROXY and (authorisation is None or id_copy is None):
        reason = _("Signed by a proxy without a written authorisation and the owner's ID copy.")
    elif not signer_name.strip():
        raise ApplicationError(_("Give the name of whoever signed."))
    sheet = PaperSheet.objects.create(
        decision=decision,
        entry=entry,
        session=session,
        box=box,
        signature=signature,
        signer_name=signer_name.strip(),
        handed_in_by=handed_in_by.strip(),
        authorisation=authorisation,
        id_copy=id_copy,
        scan=scan,
        rejected_reason=reason,
        recorded_by=actor,
    )
    ledger_append(
        decision=decision,
        event="sheet",
        payload={
            "sheet": sheet.pk,
            "entry": entry.pk,
            "box": box.label,
            "signature": signature,
            "scan": scan.sha256,
            "rejected": reason,
        },
    )
    if not reason:
        ballots = record_sheets(
            decision,
            [(entry, pairs)],
            channel=Channel.PAPER,
            cast_at=_received_at(decision, now),
            recorded_by=actor,
        )
        for ballot in ballots:
            ballot.sheet = sheet
        type(ballots[0]).objects.bulk_update(ballots, ["sheet"])
    return sheet


@transaction.atomic
def count_close(
    *, session: CountSession, actor: User | None, now: dt.datetime | None = None
) -> CountSession:
    """End the count; the ledger's head hash goes on the tally sheet."""
    decision = locked(session.decision)
    session = CountSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.COUNTING:
        raise ApplicationError(_("This count session is closed."))
    now = clock.now(now)
    entry = ledger_append(
        decision=decision,
        event="count_closed",
        payload={"session": session.pk, "sheets": session.sheets.count(), "at": now},
    )
    session.status = SessionStatus.CLOSED
    session.ended_at = now
    session.head_hash = entry.hash
    session.save(update_fields=["status", "ended_at", "head_hash"])
    return session


# --- flags and conflicts ------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    sheet: PaperSheet
    kind: str
    message: str


def _norm(name: str) -> str:
    return "".join(name.split()).lower()


def sheet_flags(decision: Decision) -> list[Flag]:
    """Doubts for the scrutineers; nothing here changes a ballot."""
    sheets = list(
        decision.sheets.select_related("entry__compound", "entry__unit").filter(rejected_reason="")
    )
    flags: list[Flag] = []
    cap = decision.proxy_cap
    by_proxy: dict[str, list[PaperSheet]] = defaultdict(list)
    by_bearer: dict[str, list[PaperSheet]] = defaultdict(list)
    for sheet in sheets:
        if sheet.signature == Signature.PROXY and sheet.signer_name:
            by_proxy[_norm(sheet.signer_name)].append(sheet)
        if sheet.handed_in_by:
            by_bearer[_norm(sheet.handed_in_by)].append(sheet)
    for group in by_proxy.values():
        if len({s.entry_id for s in group}) > cap:
            message = _("%(name)s signed as proxy for %(count)d units (cap %(cap)d).")
            flags += [
                Flag(
                    s,
                    "proxy_cap",
                    message % {"name": s.signer_name, "count": len(group), "cap": cap},
                )
                for s in group
            ]
    for group in by_bearer.values():
        if len({s.entry_id for s in group}) > cap:
            message = _("%(name)s handed in ballots for %(count)d units (cap %(cap)d).")
            flags += [
                Flag(
                    s,
                    "bearer_cap",
                    message % {"name": s.handed_in_by, "count": len(group), "cap": cap},
                )
                for s in group
            ]
    registered: dict[int, set[int]] = defaultdict(set)
    for entry_id, owner_id in decision.register.filter(
        pk__in=[s.entry_id for s in sheets]
    ).values_list("pk", "owner_links__owner_id"):
        if owner_id is not None:
            registered[entry_id].add(owner_id)
    live: dict[int, set[int]] = defaultdict(set)
    for unit_id, owner_id in Ownership.objects.filter(
        unit_id__in=[s.entry.unit_id for s in sheets]
    ).values_list("unit_id", "owner_id"):
        live[unit_id].add(owner_id)
    for sheet in sheets:
        if registered.get(sheet.entry_id, set()) != live.get(sheet.entry.unit_id, set()):
            flags.append(
                Flag(
                    sheet,
                    "owner_changed",
                    _("The unit's owners changed after the register was frozen."),
                )
            )
        if sheet.entry.developer_held:
            representative = sheet.entry.compound.developer_representative
            if not representative or _norm(representative) != _norm(sheet.signer_name):
                flags.append(
                    Flag(
                        sheet,
                        "developer_signature",
                        _(
                            "A developer-held unit signed by %(name)s, "
                            "not by the developer's authorised representative."
                        )
                        % {"name": sheet.signer_name or "—"},
                    )
                )
    return flags


@dataclass(frozen=True)
class Conflict:
    entry: RegisterEntry
    kind: str
    detail: str
    outcome: str


def conflict_report(decision: Decision) -> list[Conflict]:
    """Every unit with more than one ballot, every rejected paper and every proxy
    over the cap, with what the fixed rules did with each."""
    from ..models import Ballot

    rows: list[Conflict] = []
    ballots = (
        Ballot.objects.filter(decision=decision)
        .exclude(state=BallotState.SUPERSEDED)
        .select_related("entry__compound", "item")
        .order_by("entry_id", "item__position", "cast_at", "id")
    )
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for ballot in ballots:
        grouped[(ballot.entry_id, ballot.item_id)].append(ballot)
    for group in grouped.values():
        if len(group) < 2:
            continue
        channels = "、".join(
            f"{b.get_channel_display()} {timezone.localtime(b.cast_at):%m-%d %H:%M}" for b in group
        )
        counted = [b for b in group if b.state == BallotState.EFFECTIVE]
        outcome = (
            _("Counted: the %(channel)s ballot (the first valid one); the others were rejected.")
            % {"channel": counted[0].get_channel_display()}
            if counted
            else _("None of them counts.")
        )
        rows.append(Conflict(group[0].entry, "several_ballots", channels, outcome))
    for sheet in decision.sheets.exclude(rejected_reason="").select_related("entry__compound"):
        rows.append(
            Conflict(
                sheet.entry, sheet.signature, sheet.get_signature_display(), sheet.rejected_reason
            )
        )
    for flag in sheet_flags(decision):
        if flag.kind in ("proxy_cap", "bearer_cap"):
            rows.append(
                Conflict(
                    flag.sheet.entry,
                    flag.kind,
                    flag.message,
                    _("Flagged for the scrutineers; still counted."),
                )
            )
    return rows
