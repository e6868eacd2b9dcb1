"""The expert panel: members and their declarations, blind scoring, the ranking and
its publication, and the bid presentation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core import clock
from gongzhi.core.audit import EventType, audit_log
from gongzhi.core.errors import ApplicationError, PermissionRefused
from gongzhi.core.locks import locked

from .. import scoring
from ..models import (
    EvaluationPanel,
    PanelMember,
    PanelStatus,
    PlanStatus,
    Presentation,
    Ranking,
    Score,
    SelectionPlan,
)
from ..notify import tell_ranking
from ..selectors import criteria_of, plan_fees

if TYPE_CHECKING:
    from gongzhi.accounts.models import User

# 实施条例 Art. 54: the candidates are published within 3 days, for at least 3 days.
RANKING_PUBLISH_WITHIN = dt.timedelta(days=3)


RANKING_MIN_POSTING = dt.timedelta(days=3)


# --- the panel ----------------------------------------------------------------


def _panel(plan: SelectionPlan) -> EvaluationPanel:
    panel, _created = EvaluationPanel.objects.get_or_create(plan=plan)
    return panel


@transaction.atomic
def panel_add_member(
    *, plan: SelectionPlan, user, name: str, affiliation: str, is_expert: bool, actor: User | None
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
def panel_open(
    *, plan: SelectionPlan, actor: User | None, now: dt.datetime | None = None
) -> EvaluationPanel:
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
def panel_close(
    *, plan: SelectionPlan, actor: User | None, now: dt.datetime | None = None
) -> EvaluationPanel:
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
    actor: User,
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
    actor: User,
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
