"""A decision's own pages: the list, creating one, its page, one view per guarded
transition, and the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.core.errors import ApplicationError
from gongzhi.core.permissions import require
from gongzhi.core.views import attempt
from gongzhi.registry.selectors import compounds_organised_by

from .. import selectors, services
from ..ballot_pdf import item_choices
from ..forms import (
    AnnounceForm,
    DecisionForm,
    ExtendForm,
    ItemForm,
    ReasonForm,
)
from ..ledger import head_hash
from ..models import (
    BallotState,
    Decision,
    DecisionStatus,
)
from .common import ENTER, MANAGE, decision_or_404, organised_decision, require_visible


def decision_list(request):
    managed = []
    if request.user.is_authenticated and request.user.has_perm(MANAGE):
        managed = list(selectors.decisions_managed_by(request.user))
    public = [d for d in selectors.decisions_public() if d not in managed]
    return render(request, "voting/list.html", {"managed": managed, "public": public})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    require(
        request,
        MANAGE,
        reason=_("Only residents' committee clerks and sub-district staff organise decisions."),
    )
    compounds = compounds_organised_by(request.user)
    form = DecisionForm(request.POST or None, compounds=compounds.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["compounds"])
        try:
            decision = services.decision_create(
                neighbourhood=chosen[0].neighbourhood,
                title=data["title"],
                text=data["text"],
                compounds=chosen,
                items=[
                    services.ItemSpec(
                        text=data["question"],
                        matter=data["matter"],
                        rule=data["rule"] or None,
                        options=data["options"].splitlines(),
                    )
                ],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                actor=request.user,
                scope=data["scope"],
                online_voting=data["online_voting"],
                non_voter_clause=data["non_voter_clause"],
                excluded_uses=data["excluded_uses"],
                paper_double_entry=data["paper_double_entry"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("voting:detail", pk=decision.pk)
    return render(request, "voting/create.html", {"form": form})


def decision_detail(request, pk: int):
    decision = decision_or_404(pk)
    require_visible(decision, request)
    can_manage = request.user.has_perm(MANAGE, decision)
    context = {
        "decision": decision,
        "items": [(item, item_choices(item)) for item in decision.items.all()],
        "compounds": decision.compounds.order_by("name"),
        "can_manage": can_manage,
        "can_enter": request.user.has_perm(ENTER, decision),
        "can_drive": request.user.has_perm("voting.view_drive", decision),
        "can_inspect": request.user.has_perm("voting.inspect_ballots", decision),
        "can_vote": request.user.has_perm("voting.vote", decision) and decision.online_voting,
        "can_run": request.user.has_perm("voting.run_paper_trail", decision),
        "can_scrutinise": request.user.has_perm("voting.scrutinise", decision),
        "can_trail": request.user.has_perm("voting.inspect_trail", decision),
        "sessions": decision.count_sessions.all(),
        "extensions": decision.extensions.all(),
        "announce_form": AnnounceForm(),
        "extend_form": ExtendForm(),
        "reason_form": ReasonForm(),
        "item_form": ItemForm(),
        "now": timezone.now(),
        # A public anchor of the chain: anyone may note it, and a later rewrite of the
        # ledger would not reproduce it.
        "ledger_head": head_hash(decision) if decision.status != DecisionStatus.DRAFT else "",
        "ledger_size": decision.ledger.count(),
    }
    return render(request, "voting/detail.html", context)


def _transition(request, decision: Decision, action, success: str):
    """Run one guarded transition; its refusal, or ``success``, shows on the page."""
    attempt(request, action, success)
    return redirect("voting:detail", pk=decision.pk)


def _incomplete(request, decision: Decision, message: str):
    messages.error(request, message)
    return redirect("voting:detail", pk=decision.pk)


@login_required
@require_POST
def decision_announce(request, pk: int):
    """Announce the decision and freeze its register."""
    decision = organised_decision(request, pk)
    form = AnnounceForm(request.POST)
    form.is_valid()  # both reasons are optional
    data = form.cleaned_data
    return _transition(
        request,
        decision,
        lambda: services.decision_announce(
            decision=decision,
            actor=request.user,
            notice_override_reason=data.get("notice_override_reason", ""),
            cooling_off_override_reason=data.get("cooling_off_override_reason", ""),
        ),
        _("Announced; the register is frozen and published."),
    )


@login_required
@require_POST
def decision_open(request, pk: int):
    decision = organised_decision(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_open(decision=decision, actor=request.user),
        _("Voting is open."),
    )


@login_required
@require_POST
def decision_close(request, pk: int):
    decision = organised_decision(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_close(decision=decision, actor=request.user),
        _("Voting closed; the preliminary result is published."),
    )


@login_required
@require_POST
def decision_finalise(request, pk: int):
    decision = organised_decision(request, pk)
    return _transition(
        request,
        decision,
        lambda: services.decision_finalise(decision=decision, actor=request.user),
        _("The final result is published."),
    )


@login_required
@require_POST
def decision_extend(request, pk: int):
    """Extend the voting window, with the posted reason."""
    decision = organised_decision(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, decision, _("Give the new closing time and the reason."))
    return _transition(
        request,
        decision,
        lambda: services.decision_extend(
            decision=decision,
            new_closes_at=form.cleaned_data["closes_at"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("The voting window is extended."),
    )


@login_required
@require_POST
def decision_cancel(request, pk: int):
    decision = organised_decision(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _transition(
        request,
        decision,
        lambda: services.decision_cancel(decision=decision, reason=reason, actor=request.user),
        _("Cancelled."),
    )


@login_required
@require_POST
def item_add(request, pk: int):
    """Add a question to a draft."""
    decision = organised_decision(request, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, decision, _("Give the question and its matter."))
    data = form.cleaned_data
    spec = services.ItemSpec(
        text=data["question"],
        matter=data["matter"],
        rule=data["rule"] or None,
        options=data["options"].splitlines(),
    )
    return _transition(
        request,
        decision,
        lambda: services.item_add(decision=decision, spec=spec),
        _("Question added."),
    )


def results(request, pk: int):
    """The published result: aggregates only, the rule and its article, the head hash."""
    decision = decision_or_404(pk)
    require_visible(decision, request)
    result = decision.results.latest_published()
    code = request.GET.get("receipt", "").strip().upper()[:16]
    receipt = selectors.receipt_lookup(decision, code) if code else None
    from ..forms import ObjectionForm
    from ..services import objection_period

    period = objection_period(decision)
    now = timezone.now()
    return render(
        request,
        "voting/results.html",
        {
            "decision": decision,
            "objections": decision.objections.all(),
            "objection_period": period,
            "can_object": (
                period is not None
                and decision.status == DecisionStatus.PRELIMINARY
                and period[0] <= now < period[1]
                and request.user.has_perm("voting.vote", decision)
            ),
            "objection_form": ObjectionForm(),
            "excluded": decision.ballots.filter(state=BallotState.EXCLUDED).count(),
            "result": result,
            "receipt": receipt,
            "receipt_code": code,
            "can_export": request.user.has_perm("voting.export", decision),
        },
    )
