"""The paper trail's first half: evidence files, delivery of the ballots, and the sealed
boxes with their witnessed events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.core.uploads import file_intact, read_upload

from ..ledger import ledger_append
from ..models import (
    BallotBox,
    BoxEvent,
    BoxEventKind,
    CountSession,
    Decision,
    DecisionStatus,
    Delivery,
    DeliveryMethod,
    Evidence,
    EvidenceKind,
    RegisterEntry,
)

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# --- evidence -----------------------------------------------------------------


@transaction.atomic
def evidence_store(*, decision: Decision, kind: str, upload, actor: User | None) -> Evidence:
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
    actor: User | None,
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
def box_create(
    *, decision: Decision, label: str, seal_number: str, actor: User | None
) -> BallotBox:
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


def names_present(names: Sequence[str]) -> list[str]:
    """The names of the people present at a box event or a count, refused if none."""
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
    actor: User,
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
    people = names_present(present)
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
