"""A decision's life: created, announced, opened, extended, closed, finalised or
cancelled, each a guarded transition under a row lock with an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError
from gongzhi.core.locks import locked
from gongzhi.registry.models import Compound, Neighbourhood
from gongzhi.registry.services import election_under_way

from ..ledger import ledger_append
from ..models import (
    MATTER_PRESET,
    Decision,
    DecisionItem,
    DecisionResult,
    DecisionStatus,
    Extension,
    Matter,
    ResultStage,
    RulePreset,
)
from ..notify import tell_owners
from ..selectors import decision_tally_json
from .register import REGISTER_DIGEST_VERSION, register_digest, register_freeze

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# 物业管理条例 Art. 14: the owners' assembly is notified 15 days before it meets.
NOTICE_DAYS = 15


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


def _transition(decision: Decision, to: str, actor: User | None, **extra) -> None:
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
    actor: User,
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
        result = other.results.latest_published()
        if result is not None and not result.passed:
            found.append(other.title)
    return found


@transaction.atomic
def decision_announce(
    *,
    decision: Decision,
    actor: User | None,
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
    count = register_freeze(decision)
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


@transaction.atomic
def decision_open(
    *, decision: Decision, actor: User | None, now: dt.datetime | None = None
) -> Decision:
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
    *, decision: Decision, new_closes_at: dt.datetime, reason: str, actor: User
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
def decision_close(
    *, decision: Decision, actor: User | None, now: dt.datetime | None = None
) -> DecisionResult:
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
    *, decision: Decision, actor: User | None, now: dt.datetime | None = None
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


def _publish(decision, stage, status, actor: User | None, now) -> DecisionResult:
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
def decision_cancel(*, decision: Decision, reason: str, actor: User | None) -> Decision:
    decision = locked(decision)
    if not reason.strip():
        raise ApplicationError(_("Cancelling needs a reason."))
    decision.cancel_reason = reason.strip()
    _transition(decision, DecisionStatus.CANCELLED, actor, fields=["cancel_reason"], reason=reason)
    if decision.ledger.exists():
        ledger_append(decision=decision, event="cancelled", payload={"reason": reason})
    return decision
