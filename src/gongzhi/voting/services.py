"""Writes for owners' decisions. Every status change is a guarded transition under
a row lock, with an audit event; every ballot event goes into the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scopes import scopes_for
from gongzhi.core import clock, ratelimit
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.dbstats import refresh_statistics
from gongzhi.core.errors import ApplicationError, PermissionRefused, RateLimited
from gongzhi.core.locks import locked
from gongzhi.registry.models import Compound, Neighbourhood, Owner, Ownership, Unit
from gongzhi.registry.services import election_under_way

from .ledger import ledger_append, ledger_append_many
from .models import (
    MATTER_PRESET,
    Ballot,
    BallotState,
    Canvass,
    CanvassStatus,
    Channel,
    Confirmation,
    Decision,
    DecisionItem,
    DecisionResult,
    DecisionStatus,
    Extension,
    Matter,
    OneTimeCode,
    RegisterCorrection,
    RegisterEntry,
    RegisterOwner,
    ResultStage,
    RulePreset,
)
from .notify import tell_owners, tell_receipt
from .selectors import decision_tally_json

# 物业管理条例 Art. 14: the owners' assembly is notified 15 days before it meets.
NOTICE_DAYS = 15
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 10
CODE_MAX_FAILURES = 5

TRANSITIONS = {
    (DecisionStatus.DRAFT, DecisionStatus.ANNOUNCED),
    (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN),
    (DecisionStatus.OPEN, DecisionStatus.CLOSED),
    (DecisionStatus.CLOSED, DecisionStatus.PRELIMINARY),
    (DecisionStatus.PRELIMINARY, DecisionStatus.FINAL),
    (DecisionStatus.DRAFT, DecisionStatus.CANCELLED),
    (DecisionStatus.ANNOUNCED, DecisionStatus.CANCELLED),
    (DecisionStatus.OPEN, DecisionStatus.CANCELLED),
}


def _transition(decision: Decision, to: str, actor, **extra) -> None:
    if (decision.status, to) not in TRANSITIONS:
        raise ApplicationError(
            _("A decision that is %(status)s cannot become %(to)s.")
            % {"status": decision.get_status_display(), "to": DecisionStatus(to).label}
        )
    old = decision.status
    decision.status = to
    decision.save(update_fields=["status", *extra.pop("fields", [])])
    audit_log(
        event_type=EventType.DECISION_STATUS_CHANGED,
        actor=actor,
        subject=decision,
        old={"status": old},
        new={"status": to, **extra},
    )


# --- creating and announcing -------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    text: str
    matter: str
    rule: str | None = None  # None: the preset the matter proposes
    options: Sequence[str] = field(default_factory=tuple)


@transaction.atomic
def decision_create(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    text: str,
    compounds: Sequence[Compound],
    items: Sequence[ItemSpec],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    actor,
    scope: str = "each",
    online_voting: bool = True,
    non_voter_clause: bool = False,
    excluded_uses: Sequence[str] = (),
    paper_double_entry: bool = False,
) -> Decision:
    """A draft decision with its items."""
    if not title.strip():
        raise ApplicationError(_("A decision needs a title."))
    if not compounds:
        raise ApplicationError(_("A decision is put to the owners of at least one compound."))
    foreign = [
        c.name
        for c in compounds
        if c.neighbourhood.sub_district_id != neighbourhood.sub_district_id
    ]
    if foreign:
        raise ApplicationError(
            _("Not in this sub-district: %(names)s.") % {"names": ", ".join(foreign)}
        )
    if closes_at <= opens_at:
        raise ApplicationError(_("Voting must close after it opens."))
    if not items:
        raise ApplicationError(_("A ballot has at least one question."))
    if scope not in ("each", "combined"):
        raise ApplicationError(_("Unknown scope."))
    decision = Decision.objects.create(
        neighbourhood=neighbourhood,
        title=title.strip(),
        text=text,
        scope=scope,
        opens_at=opens_at,
        closes_at=closes_at,
        online_voting=online_voting,
        non_voter_clause=non_voter_clause,
        excluded_uses=sorted(set(excluded_uses)),
        paper_double_entry=paper_double_entry,
        created_by=actor,
    )
    decision.compounds.set(compounds)
    for position, spec in enumerate(items, start=1):
        item_add(decision=decision, spec=spec, position=position)
    audit_log(
        event_type=EventType.DECISION_CREATED,
        actor=actor,
        subject=decision,
        new={"title": decision.title, "compounds": sorted(c.name for c in compounds)},
    )
    return decision


def item_add(*, decision: Decision, spec: ItemSpec, position: int | None = None) -> DecisionItem:
    """Add a question to a draft; its Civil Code matter proposes the threshold."""
    if decision.status != DecisionStatus.DRAFT:
        raise ApplicationError(_("Questions can only be changed while the decision is a draft."))
    if spec.matter not in Matter.values:
        raise ApplicationError(_("Unknown matter."))
    rule = spec.rule or MATTER_PRESET[Matter(spec.matter)]
    if rule not in RulePreset.values:
        raise ApplicationError(_("Unknown threshold."))
    options = [o.strip() for o in spec.options if o.strip()]
    if len(options) == 1:
        raise ApplicationError(
            _(
                "A question with alternatives offers at least two; "
                "a single one is a yes/no question."
            )
        )
    if len(set(options)) != len(options):
        raise ApplicationError(_("Two alternatives have the same name."))
    if not spec.text.strip():
        raise ApplicationError(_("A question needs its text."))
    if position is None:
        position = (decision.items.count() or 0) + 1
    # Rejecting all alternatives is always offered: it is a choice value ("reject"),
    # not an option a clerk could forget (see DecisionItem.choice_values).
    return DecisionItem.objects.create(
        decision=decision,
        position=position,
        text=spec.text.strip(),
        matter=spec.matter,
        rule=rule,
        options=options,
    )


def _failed_before(decision: Decision, now: dt.datetime) -> list[str]:
    """Matters of this decision that failed in one of its compounds within the
    cooling-off period."""
    since = now - dt.timedelta(days=settings.VOTING_COOLING_OFF_DAYS)
    matters = set(decision.items.values_list("matter", flat=True))
    compounds = set(decision.compounds.values_list("pk", flat=True))
    found = []
    earlier = (
        Decision.objects.filter(
            status__in=[DecisionStatus.PRELIMINARY, DecisionStatus.FINAL],
            compounds__in=compounds,
            closes_at__gte=since,
            items__matter__in=matters,
        )
        .exclude(pk=decision.pk)
        .distinct()
    )
    for other in earlier:
        result = other.results.order_by("-published_at").first()
        if result is not None and not result.passed:
            found.append(other.title)
    return found


@transaction.atomic
def decision_announce(
    *,
    decision: Decision,
    actor,
    now: dt.datetime | None = None,
    notice_override_reason: str = "",
    cooling_off_override_reason: str = "",
) -> Decision:
    """Announce the decision and freeze its register.

    物业管理条例 Art. 14: at least 15 days' notice before voting opens, unless an
    override with its reason is recorded. A matter that failed cannot be put again
    within the cooling-off period, unless overridden with a reason.
    """
    decision = locked(decision)
    now = clock.now(now)
    if decision.status != DecisionStatus.DRAFT:
        raise ApplicationError(_("Only a draft can be announced."))
    if not decision.items.exists():
        raise ApplicationError(_("A ballot has at least one question."))
    if decision.opens_at - now < dt.timedelta(days=NOTICE_DAYS):
        if not notice_override_reason.strip():
            raise ApplicationError(
                _(
                    "Voting opens %(days)d days after the announcement; the law asks for "
                    "%(required)d (物业管理条例 Art. 14). Move the opening or record a reason."
                )
                % {"days": (decision.opens_at - now).days, "required": NOTICE_DAYS}
            )
        decision.notice_override_reason = notice_override_reason.strip()
    failed = _failed_before(decision, now)
    if failed:
        if not cooling_off_override_reason.strip():
            raise ApplicationError(
                _(
                    "The same matter failed within the last %(days)d days (%(titles)s). "
                    "Wait, or record why it is put again now."
                )
                % {"days": settings.VOTING_COOLING_OFF_DAYS, "titles": "; ".join(failed)}
            )
        decision.cooling_off_override_reason = cooling_off_override_reason.strip()
    count = _freeze_register(decision)
    if count == 0:
        raise ApplicationError(_("The compounds of this decision have no units on the roll."))
    decision.announced_at = now
    _transition(
        decision,
        DecisionStatus.ANNOUNCED,
        actor,
        fields=["announced_at", "notice_override_reason", "cooling_off_override_reason"],
        units=count,
        notice_override=decision.notice_override_reason,
        cooling_off_override=decision.cooling_off_override_reason,
    )
    ledger_append(
        decision=decision,
        event="register_frozen",
        payload={
            "units": count,
            "digest": register_digest(decision),
            "digest_version": REGISTER_DIGEST_VERSION,
        },
    )
    tell_owners(decision, "announced")
    return decision


def _freeze_register(decision: Decision) -> int:
    """Copy the compounds' units, areas and owners into the decision's register."""
    excluded = decision.excluded
    units = Unit.objects.filter(compound__in=decision.compounds.all()).select_related("building")
    entries = [
        RegisterEntry(
            decision=decision,
            unit_id=unit.pk,
            compound_id=unit.compound_id,
            building_name=unit.building.name if unit.building else "",
            unit_number=unit.number,
            area=unit.area,
            area_source=unit.area_source,
            status=unit.status,
            use=unit.use,
            excluded=unit.use in excluded,
        )
        for unit in units.iterator(chunk_size=5000)
    ]
    created = RegisterEntry.objects.bulk_create(entries, batch_size=2000)
    entry_of_unit = {entry.unit_id: entry.pk for entry in created}
    links = [
        RegisterOwner(
            entry_id=entry_of_unit[unit_id], owner_id=owner_id, identifier=identifier, name=name
        )
        for unit_id, owner_id, identifier, name in Ownership.objects.filter(
            unit__compound__in=decision.compounds.all()
        ).values_list("unit_id", "owner_id", "owner__identifier", "owner__name")
    ]
    RegisterOwner.objects.bulk_create(links, batch_size=2000)
    refresh_statistics(RegisterEntry, RegisterOwner)
    return len(created)


# Version 2 adds each entry's compound: moving a unit between compounds changes
# per-compound tallies, so it must change the digest too.
REGISTER_DIGEST_VERSION = 2


def register_rows(decision: Decision) -> dict[int, dict]:
    """The register's counted content, entry id -> its fields (owners sorted)."""
    owners: dict[int, list[int]] = {}
    for entry_id, owner_id in RegisterOwner.objects.filter(entry__decision=decision).values_list(
        "entry_id", "owner_id"
    ):
        owners.setdefault(entry_id, []).append(owner_id)
    fields = ("pk", "unit_id", "compound_id", "area", "status", "use", "excluded")
    return {
        entry_id: {
            "unit": unit_id,
            "compound": compound_id,
            "area": area,
            "status": status,
            "use": use,
            "excluded": excluded,
            "owners": sorted(owners.get(entry_id, [])),
        }
        for entry_id, unit_id, compound_id, area, status, use, excluded in (
            decision.register.values_list(*fields)
        )
    }


def digest_of_rows(rows: Mapping[int, Mapping], version: int = REGISTER_DIGEST_VERSION) -> str:
    """SHA-256 of register rows, as the ledger records it."""
    digest = hashlib.sha256()
    for entry_id in sorted(rows):
        row = rows[entry_id]
        compound = f"{row['compound']}|" if version >= 2 else ""
        line = (
            f"{entry_id}|{row['unit']}|{compound}{Decimal(row['area']):.2f}|{row['status']}|"
            f"{row['use']}|{int(bool(row['excluded']))}|"
        )
        line += ",".join(map(str, sorted(row["owners"])))
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def register_digest(decision: Decision) -> str:
    """SHA-256 of the register's content, for the ledger."""
    return digest_of_rows(register_rows(decision))


CORRECTABLE = {"area", "status", "excluded", "owners"}


@transaction.atomic
def register_correct(
    *, entry: RegisterEntry, field: str, value, reason: str, actor
) -> RegisterCorrection:
    """Correct the frozen register before voting opens; the reason is recorded and shown."""
    decision = locked(entry.decision)
    if decision.status != DecisionStatus.ANNOUNCED:
        raise ApplicationError(_("The register can only be corrected before voting opens."))
    if field not in CORRECTABLE:
        raise ApplicationError(_("This field of the register cannot be corrected."))
    if not reason.strip():
        raise ApplicationError(_("A correction needs its reason."))
    entry = RegisterEntry.objects.get(pk=entry.pk)
    if field == "owners":
        old = sorted(entry.owner_links.values_list("owner_id", flat=True))
        new = sorted(set(int(v) for v in value))
        entry.owner_links.all().delete()
        RegisterOwner.objects.bulk_create(
            [
                RegisterOwner(entry=entry, owner_id=pk, identifier=identifier, name=name)
                for pk, identifier, name in Owner.objects.filter(pk__in=new).values_list(
                    "pk", "identifier", "name"
                )
            ]
        )
    else:
        old = getattr(entry, field)
        if field == "area":
            try:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise ApplicationError(_("The area is not a number.")) from None
            if value <= 0:
                raise ApplicationError(_("The area must be greater than zero."))
        new = value
        setattr(entry, field, value)
        entry.save(update_fields=[field])
    correction = RegisterCorrection.objects.create(
        entry=entry, field=field, old_value=old, new_value=new, reason=reason.strip(), actor=actor
    )
    ledger_append(
        decision=decision,
        event="register_corrected",
        payload={"entry": entry.pk, "field": field, "old": old, "new": new, "reason": reason},
    )
    return correction


@transaction.atomic
def decision_open(*, decision: Decision, actor, now: dt.datetime | None = None) -> Decision:
    """Open voting, not before the announced time."""
    decision = locked(decision)
    now = clock.now(now)
    if decision.status == DecisionStatus.ANNOUNCED and now < decision.opens_at:
        raise ApplicationError(
            _("Voting opens at %(time)s as announced, not before.")
            % {"time": timezone.localtime(decision.opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    if decision.items.filter(matter=Matter.PROVIDER).exists() and election_under_way(
        decision.compounds.all()
    ):
        raise ApplicationError(
            _(
                "A vote to hire or dismiss the property company cannot open while the owners' "
                "committee is being re-elected (Shanghai 住宅物业管理规定 Art. 28)."
            )
        )
    _transition(decision, DecisionStatus.OPEN, actor)
    ledger_append(
        decision=decision,
        event="opened",
        payload={
            "register": register_digest(decision),
            "digest_version": REGISTER_DIGEST_VERSION,
            "closes_at": decision.closes_at,
        },
    )
    tell_owners(decision, "opened")
    return decision


@transaction.atomic
def decision_extend(
    *, decision: Decision, new_closes_at: dt.datetime, reason: str, actor
) -> Extension:
    """Extend the voting window with a posted reason, within the rules' maximum."""
    decision = locked(decision)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        raise ApplicationError(_("Only an announced or open vote can be extended."))
    if not reason.strip():
        raise ApplicationError(_("An extension is posted with its reason."))
    if new_closes_at <= decision.closes_at:
        raise ApplicationError(_("An extension must move the closing later."))
    first = decision.extensions.order_by("created_at").first()
    original = first.old_closes_at if first else decision.closes_at
    if new_closes_at - original > dt.timedelta(days=decision.max_extension_days):
        raise ApplicationError(
            _("The rules of procedure allow at most %(days)d days of extension in all.")
            % {"days": decision.max_extension_days}
        )
    extension = Extension.objects.create(
        decision=decision,
        old_closes_at=decision.closes_at,
        new_closes_at=new_closes_at,
        reason=reason.strip(),
        actor=actor,
    )
    decision.closes_at = new_closes_at
    decision.save(update_fields=["closes_at"])
    audit_log(
        event_type=EventType.DECISION_EXTENDED,
        actor=actor,
        subject=decision,
        old={"closes_at": extension.old_closes_at},
        new={"closes_at": new_closes_at, "reason": extension.reason},
    )
    ledger_append(
        decision=decision,
        event="extended",
        payload={"closes_at": new_closes_at, "reason": extension.reason},
    )
    return extension


@transaction.atomic
def decision_close(*, decision: Decision, actor, now: dt.datetime | None = None) -> DecisionResult:
    """Close voting once the window has ended and publish the preliminary result."""
    decision = locked(decision)
    now = clock.now(now)
    if decision.status == DecisionStatus.OPEN and now < decision.closes_at:
        raise ApplicationError(
            _("Voting is open until %(time)s; it cannot close early.")
            % {"time": timezone.localtime(decision.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    _transition(decision, DecisionStatus.CLOSED, actor)
    ledger_append(decision=decision, event="closed", payload={"at": now})
    return _publish(decision, ResultStage.PRELIMINARY, DecisionStatus.PRELIMINARY, actor, now)


@transaction.atomic
def decision_finalise(
    *, decision: Decision, actor, now: dt.datetime | None = None
) -> DecisionResult:
    """Publish the final result after the objection period."""
    decision = locked(decision)
    now = clock.now(now)
    if decision.status != DecisionStatus.PRELIMINARY:
        raise ApplicationError(_("Only a preliminary result can become final."))
    preliminary = decision.results.get(stage=ResultStage.PRELIMINARY)
    ends = preliminary.published_at + dt.timedelta(days=decision.objection_days)
    if now < ends:
        raise ApplicationError(
            _("Objections may be lodged until %(time)s; the final result comes after.")
            % {"time": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")}
        )
    open_objections = decision.objections.filter(answered_at__isnull=True).count()
    if open_objections:
        raise ApplicationError(
            _("%(count)d objection(s) still await an answer; the final result comes after.")
            % {"count": open_objections}
        )
    return _publish(decision, ResultStage.FINAL, DecisionStatus.FINAL, actor, now)


def _publish(decision, stage, status, actor, now) -> DecisionResult:
    data = decision_tally_json(decision)
    entry = ledger_append(
        decision=decision,
        event=f"result_{stage}",
        payload={
            "passed": data["passed"],
            "digest": hashlib.sha256(repr(data).encode()).hexdigest(),
        },
    )
    result = DecisionResult.objects.create(
        decision=decision,
        stage=stage,
        data=data,
        passed=data["passed"],
        head_hash=entry.hash,
        published_at=now,
    )
    _transition(decision, status, actor, passed=data["passed"])
    return result


@transaction.atomic
def decision_cancel(*, decision: Decision, reason: str, actor) -> Decision:
    decision = locked(decision)
    if not reason.strip():
        raise ApplicationError(_("Cancelling needs a reason."))
    decision.cancel_reason = reason.strip()
    _transition(decision, DecisionStatus.CANCELLED, actor, fields=["cancel_reason"], reason=reason)
    if decision.ledger.exists():
        ledger_append(decision=decision, event="cancelled", payload={"reason": reason})
    return decision


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
def ballot_correct(*, ballot: Ballot, choice: str, reason: str, actor) -> Ballot:
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


# --- one-time codes ---------------------------------------------------------


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def codes_issue(*, decision: Decision, entries: Sequence[RegisterEntry], actor) -> dict[int, str]:
    """New one-time codes for these units (for printing); earlier codes stop working.
    Only hashes are stored: the returned codes exist nowhere else."""
    decision = locked(decision)
    if decision.status not in (DecisionStatus.ANNOUNCED, DecisionStatus.OPEN):
        raise ApplicationError(_("Ballots are printed once the decision is announced."))
    codes: dict[int, str] = {}
    for entry in entries:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        OneTimeCode.objects.update_or_create(
            entry=entry,
            defaults={
                "code_hash": code_hash(code),
                "failed_attempts": 0,
                "locked": False,
                "used_at": None,
            },
        )
        codes[entry.pk] = code
    ledger_append(decision=decision, event="codes_issued", payload={"units": sorted(codes)})
    return codes


CODE_SCOPE = "vote-code"


def code_entry(code: str) -> OneTimeCode | None:
    return (
        OneTimeCode.objects.select_related("entry__decision")
        .filter(code_hash=code_hash(code))
        .first()
    )


def _phone_matches(entry: RegisterEntry, phone_last4: str) -> bool:
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if len(digits) != 4:
        return False
    phones = entry.owners.values_list("phone", flat=True)
    return any("".join(ch for ch in phone if ch.isdigit()).endswith(digits) for phone in phones)


def code_attempt(client: str) -> None:
    """Count one attempt with a voting code from this address, before the code is
    looked at; raise RateLimited over the limit. Call outside a transaction."""
    limits = settings.VOTE_CODE_RATE_LIMIT
    verdict = ratelimit.hit(
        CODE_SCOPE,
        client,
        limit=limits["per_address"],
        window=limits["window_seconds"],
        max_block=limits.get("max_block_seconds"),
    )
    if not verdict.allowed:
        raise RateLimited(
            _("Too many attempts from this address. Try again later."),
            retry_after=verdict.retry_after,
        )


def code_attempt_succeeded(client: str) -> None:
    """The code was right: its attempt does not count against the address."""
    ratelimit.refund(CODE_SCOPE, client)


def code_lookup(*, code: str, client: str) -> OneTimeCode | None:
    """The code's record for the voting page, counting a guess of an unknown code
    against the address like any failed attempt."""
    code_attempt(client)
    record = code_entry(code)
    if record is not None:
        code_attempt_succeeded(client)
    return record


def code_verify(*, code: str, phone_last4: str, client: str) -> OneTimeCode:
    """Check a one-time code and the last four digits of an owner's phone.

    The attempt is counted per address before anything is checked (atomically, so
    simultaneous guesses cannot slip past the limit) and given back only when code
    and digits are right. Failures are also counted per code, which locks after
    repeated failures; the code's count is saved before the refusal is raised.
    """
    code_attempt(client)
    failure = ""
    with transaction.atomic():
        record = code_entry(code)
        if record is None:
            raise PermissionRefused(_("This code is not valid."))
        record = OneTimeCode.objects.select_for_update().get(pk=record.pk)
        if record.locked:
            raise PermissionRefused(
                _(
                    "This code is locked after repeated failures. Vote on paper or ask "
                    "the residents' committee."
                )
            )
        if record.used_at is not None:
            raise PermissionRefused(_("This code has already been used."))
        if not _phone_matches(record.entry, phone_last4):
            record.failed_attempts += 1
            record.locked = record.failed_attempts >= CODE_MAX_FAILURES
            record.save(update_fields=["failed_attempts", "locked"])
            failure = (
                _("The code is now locked after repeated failures.")
                if record.locked
                else _("The phone digits do not match an owner of this unit.")
            )
    if failure:  # raised after the block, so the code's failure count is saved
        raise PermissionRefused(failure)
    code_attempt_succeeded(client)
    return record


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


# --- canvassing -------------------------------------------------------------


@transaction.atomic
def canvass_update(*, entry: RegisterEntry, status: str, notes: str, actor) -> Canvass:
    """Record a door-to-door visit to a unit that has not voted."""
    if status not in CanvassStatus.values:
        raise ApplicationError(_("Unknown canvass status."))
    canvass, _created = Canvass.objects.update_or_create(
        entry=entry, defaults={"status": status, "notes": notes.strip(), "updated_by": actor}
    )
    return canvass
