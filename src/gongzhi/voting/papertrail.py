"""The paper trail of a written consultation: evidence files, delivery, sealed boxes,
the public count, signatures and proxies, objections and re-verification.

Everything here is appended, never edited: a correction is a new record, and every
step is in the decision's ledger, so that a decision stands up in court.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked
from gongzhi.core.uploads import file_intact, read_upload
from gongzhi.registry.models import CommitteeMember, Owner, Ownership

from .ledger import head_hash, ledger_append, ledger_append_many
from .models import (
    BallotBox,
    BallotState,
    BoxEvent,
    BoxEventKind,
    Channel,
    CountSession,
    Decision,
    DecisionStatus,
    Delivery,
    DeliveryMethod,
    Evidence,
    EvidenceKind,
    Objection,
    PaperSheet,
    RegisterEntry,
    Reverification,
    ReverificationOutcome,
    SessionStatus,
    Signature,
)
from .notify import tell_objection_answered
from .services import ballot_payload, record_sheets, validate_choices

# --- evidence -----------------------------------------------------------------


@transaction.atomic
def evidence_store(*, decision: Decision, kind: str, upload, actor) -> Evidence:
    """Keep an uploaded image or PDF with its SHA-256, outside the web root."""
    if kind not in EvidenceKind.values:
        raise ApplicationError(_("Unknown kind of evidence."))
    checked = read_upload(upload)
    return checked.save_into(Evidence(decision=decision, kind=kind, uploaded_by=actor))


def evidence_intact(evidence: Evidence) -> bool:
    return file_intact(evidence.file, evidence.sha256)


# --- delivery -----------------------------------------------------------------


@transaction.atomic
def delivery_record(
    *,
    decision: Decision,
    entry: RegisterEntry,
    method: str,
    delivered_at: dt.datetime,
    actor,
    delivered_by: str = "",
    recipient: str = "",
    mail_number: str = "",
    note: str = "",
    evidence: Evidence | None = None,
    now: dt.datetime | None = None,
) -> Delivery:
    """Record how a unit's ballot was delivered (送达)."""
    decision = locked(decision)
    now = clock.now(now)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        raise ApplicationError(_("Ballots are delivered between the announcement and the close."))
    if entry.decision_id != decision.pk:
        raise ApplicationError(_("This unit is not on this decision's register."))
    if method not in DeliveryMethod.values:
        raise ApplicationError(_("Unknown delivery method."))
    if delivered_at > now:
        raise ApplicationError(_("A delivery cannot be recorded in the future."))
    if method == DeliveryMethod.HAND and not recipient.strip():
        raise ApplicationError(_("A hand delivery names who signed for it."))
    if method == DeliveryMethod.REGISTERED_MAIL and not mail_number.strip():
        raise ApplicationError(_("Registered mail needs its number."))
    if method == DeliveryMethod.ONLINE and not decision.online_voting:
        raise ApplicationError(
            _("The rules of procedure of this decision allow paper ballots only.")
        )
    if evidence is not None and evidence.decision_id != decision.pk:
        raise ApplicationError(_("The evidence belongs to another decision."))
    delivery = Delivery.objects.create(
        decision=decision,
        entry=entry,
        method=method,
        delivered_at=delivered_at,
        delivered_by=delivered_by.strip(),
        recipient=recipient.strip(),
        mail_number=mail_number.strip(),
        note=note.strip(),
        evidence=evidence,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    ledger_append(
        decision=decision,
        event="delivery",
        payload={
            "entry": entry.pk,
            "method": method,
            "at": delivered_at,
            "evidence": evidence.sha256 if evidence else None,
        },
    )
    return delivery


def delivery_record_online(*, decision: Decision, entries: Sequence[RegisterEntry], user) -> int:
    """An owner signing in to the ballot page has the ballot delivered online;
    recorded once per unit."""
    if not decision.online_voting or decision.status != DecisionStatus.OPEN:
        return 0
    done = set(
        Delivery.objects.filter(
            decision=decision, entry__in=entries, method=DeliveryMethod.ONLINE
        ).values_list("entry_id", flat=True)
    )
    count = 0
    for entry in entries:
        if entry.pk not in done:
            delivery_record(
                decision=decision,
                entry=entry,
                method=DeliveryMethod.ONLINE,
                delivered_at=timezone.now(),
                actor=user,
                delivered_by=_("online"),
                recipient=str(user),
            )
            count += 1
    return count


# --- boxes --------------------------------------------------------------------


@transaction.atomic
def box_create(*, decision: Decision, label: str, seal_number: str, actor) -> BallotBox:
    decision = locked(decision)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        raise ApplicationError(_("Boxes are set up between the announcement and the close."))
    if not label.strip() or not seal_number.strip():
        raise ApplicationError(_("A box needs its label and its seal number."))
    if decision.boxes.filter(label=label.strip()).exists():
        raise ApplicationError(_("There is already a box with this label."))
    return BallotBox.objects.create(
        decision=decision, label=label.strip(), seal_number=seal_number.strip()
    )


def _present(names: Sequence[str]) -> list[str]:
    people = [name.strip() for name in names if name.strip()]
    if not people:
        raise ApplicationError(_("Name the people present."))
    return people


@transaction.atomic
def box_event(
    *,
    box: BallotBox,
    kind: str,
    at: dt.datetime,
    place: str,
    present: Sequence[str],
    actor,
    seal_intact: bool = True,
    session: CountSession | None = None,
    now: dt.datetime | None = None,
) -> BoxEvent:
    """Seal, move or open a box, with time, place and the people present."""
    decision = locked(box.decision)
    now = clock.now(now)
    if at > now:
        raise ApplicationError(_("An event cannot be recorded in the future."))
    if not place.strip():
        raise ApplicationError(_("Say where it happened."))
    if decision.announced_at is not None and at < decision.announced_at:
        raise ApplicationError(_("A box event cannot precede the announcement of the decision."))
    people = _present(present)
    history = list(box.events.order_by("at", "id").values_list("kind", flat=True))
    if kind == BoxEventKind.SEALED:
        if BoxEventKind.SEALED in history:
            raise ApplicationError(_("This box is already sealed."))
    elif kind in (BoxEventKind.MOVED, BoxEventKind.OPENED):
        if BoxEventKind.SEALED not in history:
            raise ApplicationError(_("A box is sealed before it is moved or opened."))
        if BoxEventKind.OPENED in history:
            raise ApplicationError(_("This box has already been opened."))
        if kind == BoxEventKind.OPENED and session is None:
            raise ApplicationError(_("A box is opened only at a count session."))
    else:
        raise ApplicationError(_("Unknown box event."))
    event = BoxEvent.objects.create(
        box=box,
        kind=kind,
        at=at,
        place=place.strip(),
        present=people,
        seal_intact=seal_intact,
        session=session,
        recorded_by=actor,
    )
    ledger_append(
        decision=decision,
        event="box",
        payload={
            "box": box.label,
            "seal": box.seal_number,
            "kind": kind,
            "at": at,
            "place": event.place,
            "present": people,
            "seal_intact": seal_intact,
        },
    )
    return event


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
    actor,
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
    scrutineers, counters = _present(scrutineers), _present(counters)
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
    actor,
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
    actor,
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
def count_close(*, session: CountSession, actor, now: dt.datetime | None = None) -> CountSession:
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
    from .models import Ballot

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


# --- objections ---------------------------------------------------------------


def objection_period(decision: Decision) -> tuple[dt.datetime, dt.datetime] | None:
    preliminary = decision.results.filter(stage="preliminary").first()
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
    *, objection: Objection, answer: str, actor, now: dt.datetime | None = None
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
    actor,
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
    final = decision.results.filter(stage="final").first()
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


__all__ = [
    "Flag",
    "conflict_report",
    "count_close",
    "count_enter_sheet",
    "count_open_box",
    "count_start",
    "delivery_record",
    "evidence_store",
    "head_hash",
    "objection_answer",
    "objection_lodge",
    "reverification_record",
    "sheet_flags",
]
