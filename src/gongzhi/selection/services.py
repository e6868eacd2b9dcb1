"""Writes for provider selection: the pool, custody requests and picks, the hiring
plan, bids, the evaluation panel, the ranking and contracts."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked
from gongzhi.core.uploads import read_upload
from gongzhi.registry.headcount import Holding, person_key
from gongzhi.registry.models import (
    Compound,
    Neighbourhood,
    Owner,
    OwnersCommittee,
    PropertyCompany,
    UnitUse,
)
from gongzhi.registry.selectors import holdings
from gongzhi.registry.services import compound_provider_set

from . import scoring
from .models import (
    Bid,
    Custody,
    CustodyRequest,
    EvaluationPanel,
    HandoverItem,
    HandoverKind,
    PanelMember,
    PanelStatus,
    PlanStatus,
    PoolEntry,
    PoolEntryStatus,
    Presentation,
    Ranking,
    RequestedBy,
    RequestStatus,
    Score,
    SelectionDocument,
    SelectionPlan,
    ServiceContract,
)
from .notify import tell_bids_invited, tell_custody, tell_ranking
from .selectors import criteria_of, custody_candidates, plan_fees

# Shanghai 住宅物业管理规定 Art. 52: temporary custody from the pool lasts at most six months.
MAX_CUSTODY_MONTHS = 6
# 实施条例 Art. 54: the candidates are published within 3 days, for at least 3 days.
RANKING_PUBLISH_WITHIN = dt.timedelta(days=3)
RANKING_MIN_POSTING = dt.timedelta(days=3)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has none."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- the pool -----------------------------------------------------------------


@transaction.atomic
def pool_entry_set_status(*, entry: PoolEntry, status: str, reason: str, actor) -> PoolEntry:
    """Suspend, remove or reinstate a pool entry; suspension and removal give the reason."""
    entry = PoolEntry.objects.select_for_update().get(pk=entry.pk)
    if status not in PoolEntryStatus.values:
        raise ApplicationError(_("Unknown status."))
    if status != PoolEntryStatus.ACTIVE and not reason.strip():
        raise ApplicationError(_("Suspending or removing a company from the pool needs a reason."))
    if entry.status == PoolEntryStatus.REMOVED:
        raise ApplicationError(_("A removed company is admitted again only by a new entry."))
    old = {"status": entry.status, "reason": entry.status_reason}
    entry.status, entry.status_reason = status, reason.strip()
    entry.save(update_fields=["status", "status_reason"])
    audit_log(
        event_type=EventType.POOL_ENTRY_CHANGED,
        actor=actor,
        subject=entry,
        old=old,
        new={"status": status, "reason": entry.status_reason},
    )
    return entry


# --- custody ------------------------------------------------------------------


def active_committee(compound: Compound) -> OwnersCommittee | None:
    return OwnersCommittee.objects.filter(
        status="active",
        management_area__memberships__compound=compound,
        management_area__memberships__until__isnull=True,
    ).first()


def supporting_share(compound: Compound, supporters: Sequence[Owner]) -> tuple[int, int]:
    """(persons supporting, legal headcount): a person, as SPC Art. 9 counts them, supports
    when any of its owners is among the supporters."""
    units: list[Holding] = holdings(compounds=[compound])
    ids = {owner.pk for owner in supporters}
    persons = {person_key(h) for h in units}
    supporting = {person_key(h) for h in units if ids & h.owners}
    return len(supporting), len(persons)


@transaction.atomic
def custody_request_create(
    *,
    compound: Compound,
    requested_by: str,
    reason: str,
    actor,
    exiting_company: PropertyCompany | None = None,
    exit_notice_date: dt.date | None = None,
    supporters: Sequence[Owner] = (),
    now: dt.datetime | None = None,
) -> CustodyRequest:
    """A compound asks for a temporary custodian (Shanghai Art. 52): its owners'
    committee, or, where it has none, at least 20% of its owners through the
    residents' committee, counted by the legal headcount."""
    if not reason.strip():
        raise ApplicationError(_("Say why custody is needed."))
    committee = active_committee(compound)
    if requested_by == RequestedBy.COMMITTEE:
        if committee is None:
            raise ApplicationError(
                _(
                    "%(compound)s has no owners' committee; at least 20%% of its owners may ask "
                    "instead."
                )
                % {"compound": compound.name}
            )
    elif requested_by == RequestedBy.OWNERS:
        if committee is not None:
            raise ApplicationError(
                _("%(compound)s has an owners' committee, which makes the request.")
                % {"compound": compound.name}
            )
        supporting, total = supporting_share(compound, supporters)
        if supporting * 5 < total:  # at least 20 %, by cross multiplication
            raise ApplicationError(
                _(
                    "%(supporting)d of %(total)d owners (legal headcount) support the request; "
                    "at least 20%% must."
                )
                % {"supporting": supporting, "total": total}
            )
    else:
        raise ApplicationError(_("Unknown requester."))
    if exit_notice_date and exit_notice_date > timezone.localdate(clock.now(now)):
        raise ApplicationError(_("The exit notice date cannot be in the future."))
    request = CustodyRequest.objects.create(
        compound=compound,
        requested_by=requested_by,
        exiting_company=exiting_company,
        exit_notice_date=exit_notice_date,
        reason=reason.strip(),
        submitted_by=actor,
        submitted_at=clock.now(now),
    )
    request.supporters.set(supporters)
    # Civil Code Arts. 949-950: what the leaving provider must hand over.
    HandoverItem.objects.bulk_create(
        [HandoverItem(request=request, kind=kind) for kind in HandoverKind.values]
    )
    audit_log(
        event_type=EventType.CUSTODY_REQUESTED,
        actor=actor,
        subject=request,
        new={"compound": compound.name, "by": requested_by},
    )
    return request


@transaction.atomic
def handover_mark(
    *, item: HandoverItem, note: str, actor, now: dt.datetime | None = None
) -> HandoverItem:
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    if item.done_at is not None:
        raise ApplicationError(_("Already handed over."))
    item.done_at, item.note, item.recorded_by = clock.now(now), note.strip(), actor
    item.save(update_fields=["done_at", "note", "recorded_by"])
    return item


@transaction.atomic
def custody_assign(
    *,
    request: CustodyRequest,
    company: PropertyCompany,
    starts_on: dt.date,
    months: int,
    actor,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Custody:
    """Pick the custodian by the proximity principle (就近原则). Picking other than the
    nearest eligible company needs a written reason; at most six months (Art. 52)."""
    request = CustodyRequest.objects.select_for_update().get(pk=request.pk)
    now = clock.now(now)
    if request.status != RequestStatus.SUBMITTED:
        raise ApplicationError(_("This request already has its custodian, or was withdrawn."))
    if not 1 <= months <= MAX_CUSTODY_MONTHS:
        raise ApplicationError(
            _(
                "Custody from the pool lasts at most %(max)d months "
                "(Shanghai 住宅物业管理规定 Art. 52); a longer term is refused."
            )
            % {"max": MAX_CUSTODY_MONTHS}
        )
    ranked, excluded = custody_candidates(request.compound, on=starts_on)
    chosen = next((r for r in ranked if r.candidate.key == company.pk), None)
    if chosen is None:
        refused = next((e for e in excluded if e.candidate.key == company.pk), None)
        if refused is not None:
            raise ApplicationError(
                _("%(company)s cannot be picked: %(reason)s.")
                % {"company": company.name, "reason": refused.reason(_)}
            )
        raise ApplicationError(
            _("%(company)s is not in the temporary-provider pool.") % {"company": company.name}
        )
    if chosen.rank != 1 and not reason.strip():
        raise ApplicationError(
            _(
                "%(nearest)s is nearer (%(distance)d m); picking another company needs a written "
                "reason."
            )
            % {"nearest": ranked[0].candidate.name, "distance": round(ranked[0].distance_m)}
        )
    entry = (
        PoolEntry.objects.select_for_update()
        .filter(
            company=company,
            pool__district=request.compound.neighbourhood.sub_district.district,
            status=PoolEntryStatus.ACTIVE,
            valid_until__gte=starts_on,
            capacity__gt=0,
        )
        .order_by("-valid_until")
        .first()
    )
    if entry is None:  # changed since the candidates were read
        raise ApplicationError(
            _("%(company)s is not in the temporary-provider pool.") % {"company": company.name}
        )
    entry.capacity -= 1
    entry.save(update_fields=["capacity"])
    custody = Custody.objects.create(
        request=request,
        compound=request.compound,
        company=company,
        pool_entry=entry,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
        distance_m=round(chosen.distance_m),
        rank=chosen.rank,
        reason=reason.strip(),
        candidates=[
            {
                "company": r.candidate.name,
                "rank": r.rank,
                "distance_m": round(r.distance_m),
                "nearest": r.nearest.label,
            }
            for r in ranked
        ]
        + [
            {
                "company": e.candidate.name,
                "excluded": e.reason(),  # English, for the record and the audit trail
                "template": e.template,  # translated where it is shown
                "params": dict(e.params),
            }
            for e in excluded
        ],
        picked_by=actor,
        picked_at=now,
    )
    request.status = RequestStatus.ASSIGNED
    request.save(update_fields=["status"])
    compound_provider_set(compound=request.compound, company=company, actor=actor)
    audit_log(
        event_type=EventType.CUSTODY_ASSIGNED,
        actor=actor,
        subject=custody,
        new={
            "company": company.name,
            "rank": chosen.rank,
            "distance_m": custody.distance_m,
            "reason": custody.reason,
        },
    )
    tell_custody(custody)
    return custody


@transaction.atomic
def custody_extend(
    *, custody: Custody, months: int, reason: str, actor, now: dt.datetime | None = None
) -> Custody:
    """An extension is a new custody record, again of at most six months, with its reason."""
    custody = Custody.objects.select_for_update().get(pk=custody.pk)
    if hasattr(custody, "extended_by"):
        raise ApplicationError(_("This custody was already extended; extend the latest record."))
    if not reason.strip():
        raise ApplicationError(_("An extension needs its reason."))
    if not 1 <= months <= MAX_CUSTODY_MONTHS:
        raise ApplicationError(
            _(
                "Custody from the pool lasts at most %(max)d months "
                "(Shanghai 住宅物业管理规定 Art. 52); a longer term is refused."
            )
            % {"max": MAX_CUSTODY_MONTHS}
        )
    extension = Custody.objects.create(
        request=custody.request,
        compound=custody.compound,
        company=custody.company,
        pool_entry=custody.pool_entry,
        starts_on=custody.ends_on,
        ends_on=add_months(custody.ends_on, months),
        distance_m=custody.distance_m,
        rank=custody.rank,
        reason=reason.strip(),
        candidates=custody.candidates,
        extends=custody,
        picked_by=actor,
        picked_at=clock.now(now),
    )
    audit_log(
        event_type=EventType.CUSTODY_EXTENDED,
        actor=actor,
        subject=extension,
        new={"ends_on": extension.ends_on},
    )
    return extension


# --- hiring: the plan and the bids -------------------------------------------


@transaction.atomic
def plan_create(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    compounds: Sequence[Compound],
    decision,
    bids_close_at: dt.datetime,
    actor,
    credit_requirements: str = "",
    staffing_requirements: str = "",
    track_record_requirements: str = "",
    service_content: str = "",
    contract_months: int = 36,
    method: str = "",
    aggregate: str = "trimmed",
    criteria: Sequence[scoring.Criterion] = scoring.DEFAULT_CRITERIA,
) -> SelectionPlan:
    """A selection plan (Shanghai 住宅物业管理规定 Art. 39), linked to the owners' decision."""
    if not title.strip() or not compounds:
        raise ApplicationError(_("A selection plan needs a title and its compounds."))
    if aggregate not in scoring.METHODS:
        raise ApplicationError(_("Unknown aggregate."))
    if sum(1 for c in criteria if c.price) > 1 or sum(c.max_score for c in criteria) <= 0:
        raise ApplicationError(
            _("The criteria need positive points and at most one price criterion.")
        )
    plan = SelectionPlan.objects.create(
        neighbourhood=neighbourhood,
        title=title.strip(),
        decision=decision,
        bids_close_at=bids_close_at,
        credit_requirements=credit_requirements,
        staffing_requirements=staffing_requirements,
        track_record_requirements=track_record_requirements,
        service_content=service_content,
        contract_months=contract_months,
        method=method,
        aggregate=aggregate,
        criteria=[
            {"key": c.key, "label": c.label, "max": str(c.max_score), "price": c.price}
            for c in criteria
        ],
        created_by=actor,
    )
    plan.compounds.set(compounds)
    return plan


@transaction.atomic
def plan_publish(*, plan: SelectionPlan, actor, now: dt.datetime | None = None) -> SelectionPlan:
    """Invite bids; only once the owners' decision approving the plan has passed."""
    plan = locked(plan)
    now = clock.now(now)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("Only a draft plan can be published."))
    decision = plan.decision
    result = decision.results.order_by("-published_at").first()
    if decision.status != "final" or result is None or not result.passed:
        raise ApplicationError(
            _(
                "The owners' decision “%(title)s” has not passed with a final result; the plan "
                "cannot be published before."
            )
            % {"title": decision.title}
        )
    if plan.bids_close_at <= now:
        raise ApplicationError(_("The closing time for bids has already passed."))
    plan.status, plan.published_at = PlanStatus.PUBLISHED, now
    plan.save(update_fields=["status", "published_at"])
    audit_log(
        event_type=EventType.SELECTION_PLAN_PUBLISHED,
        actor=actor,
        subject=plan,
        new={"published_at": now},
    )
    tell_bids_invited(plan)
    return plan


def document_store(*, plan: SelectionPlan, upload, actor) -> SelectionDocument:
    checked = read_upload(upload, kinds=("pdf",))
    return checked.save_into(SelectionDocument(plan=plan, uploaded_by=actor))


def _fee_table(fees: Mapping[str, object]) -> dict[str, str]:
    table = {}
    labels = dict(UnitUse.choices)
    for kind, raw in fees.items():
        if kind not in labels:
            raise ApplicationError(_("Unknown property type: %(kind)s.") % {"kind": kind})
        if raw in ("", None):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ApplicationError(
                _("The fee for %(kind)s is not a number.") % {"kind": labels[kind]}
            ) from None
        if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
            raise ApplicationError(
                _(
                    "The fee for %(kind)s must be a positive amount in yuan with at most two "
                    "decimals."
                )
                % {"kind": labels[kind]}
            )
        table[kind] = f"{value:.2f}"
    if "residential" not in table:
        raise ApplicationError(_("Give at least the fee for residential units."))
    return table


@transaction.atomic
def bid_submit(
    *,
    plan: SelectionPlan,
    company: PropertyCompany,
    fees: Mapping[str, object],
    staff: int,
    public_revenue_share: object,
    term_months: int,
    actor,
    service_items: Sequence[Mapping[str, str]] = (),
    staffing_note: str = "",
    document: SelectionDocument | None = None,
    now: dt.datetime | None = None,
) -> Bid:
    """Submit or change a company's bid, only before bids close."""
    plan = locked(plan)
    now = clock.now(now)
    if plan.status != PlanStatus.PUBLISHED:
        raise ApplicationError(_("This plan does not invite bids."))
    if now >= plan.bids_close_at:
        raise ApplicationError(
            _("Bids closed at %(time)s.")
            % {"time": timezone.localtime(plan.bids_close_at).strftime("%Y-%m-%d %H:%M")}
        )
    try:
        share = Decimal(str(public_revenue_share))
    except InvalidOperation:
        raise ApplicationError(_("The share of public revenue is not a number.")) from None
    if not share.is_finite() or not 0 <= share <= 100:
        raise ApplicationError(_("The share of public revenue is a percentage from 0 to 100."))
    if staff < 1 or not 1 <= term_months <= 120:
        raise ApplicationError(_("Give the staff on site and a term of 1 to 120 months."))
    values = {
        "fees": _fee_table(fees),
        "staff": staff,
        "staffing_note": staffing_note,
        "public_revenue_share": share,
        "term_months": term_months,
        "service_items": [dict(item) for item in service_items],
        "updated_at": now,
        "submitted_by": actor,
    }
    if document is not None:
        values["document"] = document
    bid, created = Bid.objects.update_or_create(
        plan=plan, company=company, defaults=values, create_defaults={**values, "submitted_at": now}
    )
    audit_log(
        event_type=EventType.BID_SUBMITTED,
        actor=actor,
        subject=bid,
        new={"created": created, "fees": values["fees"], "share": share},
    )
    return bid


# --- the panel ----------------------------------------------------------------


def _panel(plan: SelectionPlan) -> EvaluationPanel:
    panel, _created = EvaluationPanel.objects.get_or_create(plan=plan)
    return panel


@transaction.atomic
def panel_add_member(
    *, plan: SelectionPlan, user, name: str, affiliation: str, is_expert: bool, actor
) -> PanelMember:
    panel = _panel(plan)
    if panel.status != PanelStatus.FORMING:
        raise ApplicationError(_("The panel is fixed once scoring opens."))
    if panel.members.filter(user=user).exists():
        raise ApplicationError(_("%(name)s already sits on this panel.") % {"name": name})
    return PanelMember.objects.create(
        panel=panel, user=user, name=name.strip(), affiliation=affiliation, is_expert=is_expert
    )


@transaction.atomic
def panel_declare(*, member: PanelMember, user, now: dt.datetime | None = None) -> PanelMember:
    """A member declares, in their own name, that they have no conflict of interest."""
    if member.user_id != user.pk:
        raise PermissionRefused(_("Members declare for themselves."))
    member.declared_no_conflict_at = clock.now(now)
    member.save(update_fields=["declared_no_conflict_at"])
    return member


@transaction.atomic
def panel_open(*, plan: SelectionPlan, actor, now: dt.datetime | None = None) -> EvaluationPanel:
    """Open scoring once bids are closed and the panel complies (招标投标法 Art. 37)."""
    plan = locked(plan)
    now = clock.now(now)
    if plan.status != PlanStatus.PUBLISHED or now < plan.bids_close_at:
        raise ApplicationError(_("Scoring opens after bids close."))
    if not plan.bids.exists():
        raise ApplicationError(_("No company has bid."))
    panel = _panel(plan)
    problems = scoring.panel_problems(
        [(m.name, m.is_expert, m.declared_no_conflict_at is not None) for m in panel.members.all()]
    )
    if problems:
        raise ApplicationError(
            _("The panel cannot score yet: %(problems)s.")
            % {"problems": "; ".join(_(template) % params for template, params in problems)}
        )
    panel.status, panel.opened_at = PanelStatus.SCORING, now
    panel.save(update_fields=["status", "opened_at"])
    plan.status = PlanStatus.EVALUATING
    plan.save(update_fields=["status"])
    return panel


@transaction.atomic
def score_submit(
    *,
    member: PanelMember,
    values: Mapping[int, Mapping[str, str]],
    user,
    now: dt.datetime | None = None,
) -> list[Score]:
    """A member's scores for every bid and judged criterion, all at once; once submitted
    they are final. Scores outside a criterion's range are refused and nothing is saved."""
    member = PanelMember.objects.select_for_update().select_related("panel__plan").get(pk=member.pk)
    if member.user_id != user.pk:
        raise PermissionRefused(_("Members score for themselves."))
    panel = member.panel
    if panel.status != PanelStatus.SCORING:
        raise ApplicationError(_("Scoring is not open."))
    if member.submitted_at is not None:
        raise ApplicationError(_("Your scores are already submitted."))
    judged = [c for c in criteria_of(panel.plan) if not c.price]
    bids = list(panel.plan.bids.all())
    rows, problems = [], []
    for bid in bids:
        for criterion in judged:
            raw = values.get(bid.pk, {}).get(criterion.key, "")
            if str(raw).strip() == "":
                problems.append(
                    _("%(company)s, %(criterion)s: missing")
                    % {"company": bid.company.name, "criterion": criterion.label}
                )
                continue
            try:
                value = scoring.parse_score(raw, criterion)
            except scoring.ScoreError as exc:
                problems.append(f"{bid.company.name}, {exc.text(_)}")
                continue
            rows.append(Score(member=member, bid=bid, criterion=criterion.key, value=value))
    if problems:
        raise ApplicationError(
            _("Nothing was saved: %(problems)s.") % {"problems": "; ".join(problems)}
        )
    Score.objects.bulk_create(rows)
    member.submitted_at = clock.now(now)
    member.save(update_fields=["submitted_at"])
    return rows


@transaction.atomic
def panel_close(*, plan: SelectionPlan, actor, now: dt.datetime | None = None) -> EvaluationPanel:
    """Close scoring when every member has submitted; aggregate and rank."""
    panel = EvaluationPanel.objects.select_for_update().get(plan=plan)
    if panel.status != PanelStatus.SCORING:
        raise ApplicationError(_("Scoring is not open."))
    waiting = [m.name for m in panel.members.filter(submitted_at__isnull=True)]
    if waiting:
        raise ApplicationError(_("Still to submit: %(names)s.") % {"names": "、".join(waiting)})
    evaluation = evaluate_plan(plan)
    panel.result = evaluation_json(evaluation)
    panel.status, panel.closed_at = PanelStatus.CLOSED, clock.now(now)
    panel.save(update_fields=["result", "status", "closed_at"])
    return panel


def evaluate_plan(plan: SelectionPlan) -> scoring.Evaluation:
    scores: dict[int, dict[int, dict[str, Decimal]]] = {}
    for member_id, bid_id, criterion, value in Score.objects.filter(bid__plan=plan).values_list(
        "member_id", "bid_id", "criterion", "value"
    ):
        scores.setdefault(member_id, {}).setdefault(bid_id, {})[criterion] = value
    fees = plan_fees(plan)
    bids = [(bid.pk, bid.company.name, fees[bid.pk]) for bid in plan.bids.select_related("company")]
    return scoring.evaluate(criteria_of(plan), bids, scores, plan.aggregate)  # type: ignore[arg-type]


def evaluation_json(evaluation: scoring.Evaluation) -> dict:
    def two(value) -> str:
        return f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}"

    return {
        "method": evaluation.method,
        "tie_at_cut": evaluation.tie_at_cut,
        "results": [
            {
                "bid": r.key,
                "company": r.name,
                "fee": f"{r.fee:.4f}",
                "criteria": {k: two(v) for k, v in r.criteria.items()},
                "quality": two(r.quality),
                "price_points": two(r.price_points),
                "total": two(r.total),
                "rank": r.rank,
                "candidate": r.candidate,
            }
            for r in evaluation.results
        ],
    }


@transaction.atomic
def ranking_publish(
    *,
    plan: SelectionPlan,
    posted_from: dt.datetime,
    posted_until: dt.datetime,
    actor,
    now: dt.datetime | None = None,
) -> Ranking:
    """Publish at most three ranked candidates (实施条例 Art. 53) within three days of the
    evaluation, posted for at least three days (Art. 54)."""
    plan = locked(plan)
    panel = EvaluationPanel.objects.get(plan=plan)
    if panel.status != PanelStatus.CLOSED:
        raise ApplicationError(_("The panel has not finished."))
    if panel.result.get("tie_at_cut"):
        raise ApplicationError(
            _("A tie across third place must be resolved by the panel before publishing.")
        )
    if panel.closed_at is None or posted_from > panel.closed_at + RANKING_PUBLISH_WITHIN:
        raise ApplicationError(
            _("The candidates are published within 3 days of the evaluation (实施条例 Art. 54).")
        )
    if posted_until - posted_from < RANKING_MIN_POSTING:
        raise ApplicationError(
            _("The candidates stay posted for at least 3 days (实施条例 Art. 54).")
        )
    candidates = [r for r in panel.result["results"] if r["candidate"]][: scoring.MAX_CANDIDATES]
    ranking = Ranking.objects.create(
        plan=plan,
        candidates=candidates,
        posted_from=posted_from,
        posted_until=posted_until,
        published_by=actor,
    )
    plan.status = PlanStatus.RANKED
    plan.save(update_fields=["status"])
    audit_log(
        event_type=EventType.RANKING_PUBLISHED,
        actor=actor,
        subject=plan,
        new={"candidates": [c["company"] for c in candidates]},
    )
    tell_ranking(plan)
    return ranking


@transaction.atomic
def presentation_record(
    *,
    plan: SelectionPlan,
    held_at: dt.datetime,
    place: str,
    attendance: int,
    questions: Sequence[Mapping[str, str]],
    actor,
) -> Presentation:
    """竞聘说明会 with its questions and answers."""
    if not place.strip():
        raise ApplicationError(_("Say where the presentation was held."))
    cleaned = [
        {"question": q.get("question", "").strip(), "answer": q.get("answer", "").strip()}
        for q in questions
        if q.get("question", "").strip()
    ]
    return Presentation.objects.create(
        plan=plan,
        held_at=held_at,
        place=place.strip(),
        attendance=attendance,
        questions=cleaned,
        recorded_by=actor,
    )


@transaction.atomic
def contract_record(
    *,
    plan: SelectionPlan | None,
    company: PropertyCompany,
    compounds: Sequence[Compound],
    fees: Mapping[str, object],
    service_items: Sequence[Mapping[str, str]],
    public_revenue_share: object,
    starts_on: dt.date,
    ends_on: dt.date,
    signed_on: dt.date,
    actor,
    management_area=None,
) -> ServiceContract:
    """A signed service contract; its public part is disclosed (Civil Code Art. 943)."""
    if plan is not None:
        plan = locked(plan)
        if plan.status not in (PlanStatus.RANKED, PlanStatus.CONTRACTED):
            raise ApplicationError(_("Contracts follow the published ranking."))
        ranked = {c["company"] for c in plan.ranking.candidates}
        if company.name not in ranked:
            raise ApplicationError(
                _("%(company)s is not among the ranked candidates.") % {"company": company.name}
            )
    if ends_on <= starts_on or signed_on > starts_on + dt.timedelta(days=366):
        raise ApplicationError(_("The contract must end after it starts."))
    try:
        share = Decimal(str(public_revenue_share))
    except InvalidOperation:
        raise ApplicationError(_("The share of public revenue is not a number.")) from None
    contract = ServiceContract.objects.create(
        plan=plan,
        company=company,
        management_area=management_area,
        fees=_fee_table(fees),
        service_items=[dict(item) for item in service_items],
        public_revenue_share=share,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        recorded_by=actor,
    )
    contract.compounds.set(compounds)
    for compound in compounds:
        compound_provider_set(compound=compound, company=company, actor=actor)
    if plan is not None:
        plan.status = PlanStatus.CONTRACTED
        plan.save(update_fields=["status"])
    audit_log(
        event_type=EventType.CONTRACT_RECORDED,
        actor=actor,
        subject=contract,
        new={"company": company.name, "compounds": sorted(c.name for c in compounds)},
    )
    return contract
